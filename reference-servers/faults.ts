/**
 * Fault switches: each turns on exactly one defect in a reference server and names the checks
 * that must catch it. The project's tests run every fault against every server that has it and
 * assert that exactly the named checks (those that apply to the server's transport) change
 * verdict. The share of faults caught is the harness's mutation score.
 */
import type { ServerKind } from './kinds.js';

export interface FaultDef {
  name: string;
  /** the defect, as a server author would recognise it */
  description: string;
  /** check IDs that must catch it (on a server whose transport they apply to) */
  catches: readonly string[];
  /** the servers that implement this fault */
  servers: readonly ServerKind[];
}

const ALL: readonly ServerKind[] = [
  'sdk-stdio',
  'sdk-sse',
  'sdk-http-json',
  'sdk-http-sse',
  'sdk-stateless',
  'min-stdio',
  'min-sse',
  'min-http',
];
const LEGACY_ERA: readonly ServerKind[] = ALL.filter((k) => k !== 'sdk-stateless');
const STDIO: readonly ServerKind[] = ['sdk-stdio', 'min-stdio'];
const SSE: readonly ServerKind[] = ['sdk-sse', 'min-sse'];
const STREAMABLE: readonly ServerKind[] = ['sdk-http-json', 'sdk-http-sse', 'min-http'];
const WEB: readonly ServerKind[] = [...SSE, ...STREAMABLE, 'sdk-stateless'];

export const FAULTS: readonly FaultDef[] = [
  // ---- JSON-RPC, every transport (message layer) ----
  {
    name: 'id-type-coerce',
    description: 'response ids lose their JSON type: numeric strings become numbers, numbers become strings',
    catches: ['RPC-ID-01'],
    servers: ALL,
  },
  {
    name: 'parse-error-silent',
    description: 'unparseable input is dropped without a -32700 error (the SDK stdio default)',
    catches: ['RPC-ERR-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'invalid-request-accepted',
    description: 'a request with "jsonrpc":"1.0", a non-string method or an object id is executed instead of rejected with -32600',
    catches: ['RPC-ERR-02'],
    servers: ALL,
  },
  {
    name: 'unknown-method-wrong-code',
    description: 'an unknown method is answered with -32603 instead of -32601',
    catches: ['RPC-ERR-03', 'H4-HDR-03'],
    servers: ALL,
  },
  {
    name: 'answer-notifications',
    description: 'every notification is answered with a response',
    catches: ['RPC-NOT-02', 'SHTTP-POST-01', 'H4-POST-01'],
    servers: ALL,
  },
  // ---- lifecycle (initialize era) ----
  {
    name: 'echo-unsupported-version',
    description: 'initialize echoes whatever protocolVersion the client asked for, even one it does not support',
    // The echo is both not a supported version (LC-VER-02) and not the latest one (LC-VER-03).
    catches: ['LC-VER-02', 'LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'counter-offer-oldest',
    description: 'for an unsupported version, initialize counter-offers the oldest version, not the latest',
    catches: ['LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'no-server-info',
    description: 'the initialize result has no serverInfo',
    catches: ['LC-INIT-02'],
    servers: LEGACY_ERA,
  },
  {
    name: 'ping-non-empty',
    description: 'ping answers {"pong":true} instead of an empty result',
    catches: ['LC-PING-01'],
    servers: LEGACY_ERA,
  },
  // ---- stdio ----
  {
    name: 'stdout-banner',
    description: 'a log line is printed on stdout at start-up',
    catches: ['STDIO-FRAME-02'],
    servers: STDIO,
  },
  {
    name: 'pretty-print-tool-results',
    description: 'tools/call results are written as indented, multi-line JSON',
    catches: ['STDIO-FRAME-01'],
    servers: STDIO,
  },
  {
    name: 'no-line-buffering',
    description: 'stdin lines are split within each read() chunk, so a message that arrives in two reads is lost',
    catches: ['STDIO-FRAME-04'],
    servers: STDIO,
  },
  {
    name: 'ignore-stdin-eof',
    description: 'the process keeps running after stdin closes',
    catches: ['STDIO-SHUT-01'],
    servers: STDIO,
  },
  // ---- Streamable HTTP, 2025 shape ----
  {
    name: 'notification-200',
    description: 'an accepted notification POST is answered 200 instead of 202',
    catches: ['SHTTP-POST-01', 'H4-POST-01'],
    servers: [...STREAMABLE, 'sdk-stateless'],
  },
  {
    name: 'get-409',
    description: 'the GET stream is refused with 409 Conflict (neither SSE nor 405)',
    catches: ['SHTTP-GET-01'],
    servers: STREAMABLE,
  },
  {
    name: 'session-id-non-ascii',
    description: 'session ids contain a space, outside visible ASCII',
    catches: ['SHTTP-SESSION-02'],
    servers: STREAMABLE,
  },
  {
    name: 'missing-session-accepted',
    description: 'a request without Mcp-Session-Id is served instead of answered 400',
    catches: ['SHTTP-SESSION-04'],
    servers: STREAMABLE,
  },
  {
    name: 'unknown-session-400',
    description: 'a session id the server never issued is answered 400 instead of 404',
    catches: ['SHTTP-SESSION-06'],
    servers: STREAMABLE,
  },
  {
    name: 'delete-keeps-session',
    description: 'DELETE answers 200 but the session keeps working',
    catches: ['SHTTP-SESSION-05'],
    servers: STREAMABLE,
  },
  {
    name: 'bad-body-200',
    description: 'an unparseable POST body is answered 200 (with a -32700 body) instead of 400',
    catches: ['SHTTP-POST-05'],
    servers: STREAMABLE,
  },
  {
    name: 'accept-any-protocol-version',
    description: 'any MCP-Protocol-Version header value is accepted',
    catches: ['SHTTP-PVER-01'],
    servers: STREAMABLE,
  },
  // ---- HTTP security ----
  {
    name: 'no-origin-check',
    description: 'requests from any Origin are served (DNS rebinding)',
    catches: ['SEC-ORIGIN-01', 'SEC-ORIGIN-02'],
    servers: WEB,
  },
  {
    name: 'origin-400',
    description: 'a foreign Origin is rejected with 400 instead of 403',
    catches: ['SEC-ORIGIN-02'],
    servers: [...STREAMABLE, 'sdk-stateless'],
  },
  // ---- legacy HTTP+SSE ----
  {
    name: 'endpoint-not-first',
    description: 'the event stream sends another event before the endpoint event',
    catches: ['LSSE-EP-02'],
    servers: SSE,
  },
  // ---- Streamable HTTP, 2026-07-28 stateless shape ----
  {
    name: 'unknown-method-200',
    description: 'an unknown method is answered -32601 with HTTP 200 instead of 404',
    catches: ['H4-HDR-03'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'version-error-no-data',
    description: 'an unsupported protocol version is rejected without data.supported and data.requested',
    catches: ['MOD-VER-01'],
    servers: ['sdk-stateless'],
  },
];

export type FaultName = string;

export function findFault(name: string): FaultDef | undefined {
  return FAULTS.find((f) => f.name === name);
}

export function faultsFor(kind: ServerKind): FaultDef[] {
  return FAULTS.filter((f) => f.servers.includes(kind));
}

/** Parse `--fault a,b` / repeated flags into a checked set; unknown names are a usage error. */
export function parseFaults(names: readonly string[], kind: ServerKind): Set<string> {
  const set = new Set<string>();
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    const def = findFault(name);
    if (!def) throw new Error(`unknown fault "${name}"`);
    if (!def.servers.includes(kind)) throw new Error(`fault "${name}" is not available on ${kind}`);
    set.add(name);
  }
  return set;
}
