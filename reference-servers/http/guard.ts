/**
 * DNS-rebinding defence shared by every HTTP reference server. The spec requires validating
 * Origin and answering a present but invalid one with exactly 403 (SEC-ORIGIN-01/02); a foreign
 * Host is rejected as well (SEC-HOST-01), as a separate decision so that one check's fault does
 * not mask the other. An absent Origin is fine: non-browser clients send none.
 */
import type { IncomingMessage } from 'node:http';
import { sharedSeamsFor } from '../faults/hooks/index.js';
import type { FaultSet } from '../faults/index.js';

export interface GuardRejection {
  status: number;
  reason: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `host[:port]` → [hostname, port or undefined]; brackets kept on IPv6 literals. */
function splitAuthority(authority: string): [string, string | undefined] {
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > close) return [authority.slice(0, colon).toLowerCase(), authority.slice(colon + 1)];
  return [authority.toLowerCase(), undefined];
}

function isOurAuthority(authority: string, port: number, extraHosts: readonly string[]): boolean {
  const [name, p] = splitAuthority(authority);
  if (!LOOPBACK_NAMES.has(name) && !extraHosts.includes(name)) return false;
  return p === undefined || p === String(port);
}

function isOurOrigin(origin: string, port: number, extraHosts: readonly string[]): boolean {
  const sep = origin.indexOf('://');
  if (sep < 0) return false; // includes the opaque origin "null" of sandboxed pages and file: URLs
  const scheme = origin.slice(0, sep).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return false;
  const authority = origin.slice(sep + 3);
  // An origin is scheme://host[:port] and nothing else; a path means it is not a real Origin.
  if (authority === '' || authority.includes('/')) return false;
  // A loopback page on another port is another local application, not this server's own page,
  // and an origin leaves out its scheme's default port.
  const [name, p] = splitAuthority(authority);
  const effective = p ?? (scheme === 'https' ? '443' : '80');
  return (LOOPBACK_NAMES.has(name) || extraHosts.includes(name)) && effective === String(port);
}

/**
 * Decide whether a request may be served. `port` is the port the server listens on;
 * `extraHosts` names further host names (lower case) the server was deliberately bound to.
 * Returns undefined when allowed. Defects hook in at the request guard seam (seams.ts).
 */
export function checkOriginAndHost(
  req: IncomingMessage,
  port: number,
  faults: FaultSet,
  extraHosts: readonly string[] = [],
): GuardRejection | undefined {
  const guard = sharedSeamsFor(faults).guard;
  const origin = req.headers.origin;
  if (origin !== undefined && !guard.originAllowed(isOurOrigin(origin, port, extraHosts), origin)) {
    return { status: guard.originRefusal, reason: `Origin not allowed: ${origin}` };
  }
  const host = req.headers.host;
  if (host !== undefined && !guard.hostAllowed(isOurAuthority(host, port, extraHosts), host)) {
    return { status: 403, reason: `Host not allowed: ${host}` };
  }
  return undefined;
}

/** The body for a guard rejection: a JSON-RPC error without id, as the spec allows. */
export function guardRejectionBody(rejection: GuardRejection): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: rejection.reason } });
}
