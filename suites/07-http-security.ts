/** HTTP security beyond the Origin rejection of origin.ts (catalog section 7): Host, local Origins, the bound address. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { REVISIONS } from '../drivers/protocol.js';
import type { HttpFamilySession } from '../drivers/session.js';
import type { Check, Outcome } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { describeStatus } from './probes.js';

const SECURITY = spec('2025-11-25', 'basic/transports#security-warning');
const WEB: readonly ['sse', 'http'] = ['sse', 'http'];

/** The harmless probe without changes must succeed first: a server that refuses everything proves nothing. */
async function control(session: HttpFamilySession): Promise<Outcome | undefined> {
  const reply = await session.probe({});
  if (reply.status >= 200 && reply.status <= 299) return undefined;
  return violated('the harmless request succeeds (control)', describeStatus(reply.status, reply.error), 'info');
}

const LISTEN = '0A';

/** Listening sockets on `port` in /proc/net/tcp{,6}: [local address hex, inode]. */
function listeningOn(port: number): Array<{ address: string; inode: string }> {
  const out: Array<{ address: string; inode: string }> = [];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== LISTEN) continue;
      const [address, p] = (f[1] ?? '').split(':');
      if (p === hexPort && address !== undefined) out.push({ address, inode: f[9] ?? '' });
    }
  }
  return out;
}

/** The socket inodes this process holds: a target whose socket is among them was started by the harness. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return inodes;
  }
  for (const fd of fds.slice(0, 10_000)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // a descriptor closed meanwhile
    }
  }
  return inodes;
}

/** 127.x.x.x (hex, little-endian per word) or ::1, in /proc/net notation. */
function isLoopbackHex(address: string): boolean {
  if (address.length === 8) return address.endsWith('7F');
  if (address === '00000000000000000000000001000000') return true;
  // ::ffff:127.x.x.x
  return address.startsWith('0000000000000000FFFF0000') && address.endsWith('7F');
}

function showHexAddress(address: string): string {
  if (address.length !== 8) return address === '00000000000000000000000000000000' ? '[::]' : `IPv6 ${address}`;
  const bytes = (address.match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).reverse();
  return bytes.join('.');
}

export const securityChecks: readonly Check[] = [
  {
    id: 'SEC-ORIGIN-03',
    title: 'An absent or local Origin is accepted',
    requirement: "Requests without Origin (non-browser clients) and from the server's own localhost origin are served.",
    level: 'INF',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.web();
      const failed = await control(session);
      if (failed) return violated('a request without Origin is served', failed.kind === 'violated' ? failed.actual : '');
      const origin = `http://localhost:${new URL(session.url).port}`;
      const reply = await session.probe({ Origin: origin });
      if (reply.status < 200 || reply.status > 299) return violated(`Origin: ${origin} is served`, describeStatus(reply.status, reply.error));
      return ok();
    },
  },
  {
    id: 'SEC-HOST-01',
    title: 'A foreign Host is rejected',
    requirement: 'A localhost server rejects a request whose Host header names another host (DNS rebinding).',
    level: 'INF',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.web();
      const host = new URL(session.url).hostname;
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return skip(`the target is not on localhost (${host})`);
      const failed = await control(session);
      if (failed) return failed;
      const reply = await session.probe({ Host: 'evil.example' });
      if (reply.status >= 400 && reply.status <= 499) return ok(`rejected with ${reply.status}`);
      return violated('a 4xx rejection of Host: evil.example', describeStatus(reply.status, reply.error));
    },
  },
  {
    id: 'SEC-BIND-01',
    title: 'A local server listens on loopback only',
    requirement: 'A locally run server SHOULD bind only to localhost (127.0.0.1), not to every interface.',
    level: 'SHOULD',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      // Only reads /proc: no traffic ever goes to a non-loopback address.
      const url = 'url' in ctx.target ? new URL(ctx.target.url) : undefined;
      const port = url ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : Number.NaN;
      if (!Number.isInteger(port)) return skip('no target URL');
      const own = ownSocketInodes();
      const sockets = listeningOn(port).filter((s) => own.has(s.inode));
      if (sockets.length === 0) return skip('the harness did not launch the target, or cannot see its sockets');
      const open = sockets.find((s) => !isLoopbackHex(s.address));
      if (open) return violated('listening on loopback only', `listening on ${showHexAddress(open.address)}:${port}`);
      return ok();
    },
  },
];
