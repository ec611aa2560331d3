/**
 * Which revisions a target serves, found by asking it: `initialize` offering each legacy revision
 * (a server that supports the revision echoes it; otherwise it counter-offers another), and
 * `server/discover` for 2026-07-28. Two answers come out of it: the protocol versions the server
 * negotiates, which checks about version negotiation compare against, and among those the
 * revisions whose transport section defines the target's transport, which the checks run at.
 * The same single-revision probe doubles as the cheap "is the target still there" test after a
 * check errors.
 */
import { DEADLINES, withDeadline } from '../drivers/deadline.js';
import {
  errorOf,
  isModern,
  LEGACY_REVISIONS,
  META,
  REVISIONS,
  type JsonRpcMessage,
  type Revision,
  type TransportKind,
} from '../drivers/protocol.js';
import { discoveryRequest } from '../drivers/rpc-core.js';
import type { Driver, RpcSession } from '../drivers/session.js';
import { closeQuietly } from './context.js';

export type ServerInfo = { name?: string; version?: string };

export type ProbeResult =
  | { kind: 'supported'; serverInfo?: ServerInfo }
  /** the target answered, but not with this revision */
  | { kind: 'refused'; detail: string }
  /** no answer at all: spawn failed, connection refused, deadline passed */
  | { kind: 'unreachable'; reason: string };

export interface Discovery {
  /** every revision the target negotiates, whether or not it defines the target's transport */
  supported: Revision[];
  /** the supported revisions that define the target's transport: the ones checks run at */
  testable: Revision[];
  serverInfo?: ServerInfo;
  probes: Partial<Record<Revision, ProbeResult>>;
  /** why no verdict can be had from this target; undefined when at least one revision is served */
  problem?: string;
}

/**
 * The revisions whose transport section defines this transport: legacy HTTP+SSE is 2024-11-05's,
 * Streamable HTTP arrived in 2025-03-26, stdio is in all of them. Testing a Streamable HTTP
 * server at 2024-11-05 would test a combination no revision describes, even though many servers
 * negotiate 2024-11-05 over it (and 2025-11-25 over legacy SSE).
 */
export function revisionsDefining(transport: TransportKind): readonly Revision[] {
  if (transport === 'sse') return ['2024-11-05'];
  if (transport === 'http') return REVISIONS.filter((r) => r !== '2024-11-05');
  return REVISIONS;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function asServerInfo(value: unknown): ServerInfo | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { name, version } = value as Record<string, unknown>;
  const info: ServerInfo = {};
  if (typeof name === 'string') info.name = name;
  if (typeof version === 'string') info.version = version;
  return info.name === undefined && info.version === undefined ? undefined : info;
}

function resultObject(msg: JsonRpcMessage): Record<string, unknown> | undefined {
  const r = msg.result;
  return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
}

function judge(revision: Revision, response: JsonRpcMessage): ProbeResult {
  const err = errorOf(response);
  if (err) return { kind: 'refused', detail: `error ${err.code}: ${err.message}` };
  const result = resultObject(response);
  if (!result) return { kind: 'refused', detail: 'a response without a result object' };
  if (isModern(revision)) {
    const meta = result._meta as Record<string, unknown> | undefined;
    return { kind: 'supported', serverInfo: asServerInfo(result.serverInfo ?? meta?.[META.serverInfo]) };
  }
  if (result.protocolVersion !== revision) {
    return { kind: 'refused', detail: `counter-offered ${JSON.stringify(result.protocolVersion)}` };
  }
  return { kind: 'supported', serverInfo: asServerInfo(result.serverInfo) };
}

/**
 * Why a request got no answer, from what the driver logged: a transport error (connection
 * refused) or a process event (exit). Other probes run at the same time, so this is a hint,
 * which is all a message needs.
 */
function failureSince(driver: Driver, mark: number): string | undefined {
  const entries = driver.log.since(mark);
  const failed = entries.findLast((e) => e.http?.error !== undefined || (e.direction === 'meta' && e.channel === 'process'));
  return failed?.http?.error ?? failed?.summary;
}

/** The revision to open the probe's session at: the offered one, unless the transport does not define it. */
function sessionRevisionFor(transport: TransportKind, offered: Revision): Revision {
  const defining = revisionsDefining(transport);
  return defining.includes(offered) ? offered : (defining[0] as Revision);
}

/** Ask the target whether it serves `revision`, within about `timeoutMs` plus the connect deadline. */
export async function probeRevision(driver: Driver, revision: Revision, timeoutMs: number): Promise<ProbeResult> {
  const mark = driver.log.mark;
  let session: RpcSession;
  try {
    const opening = driver.open(sessionRevisionFor(driver.transport, revision), { initialize: false });
    session = await withDeadline(opening, DEADLINES.connect, 'connect');
  } catch (err) {
    return { kind: 'unreachable', reason: messageOf(err) };
  }
  const { method, params } = discoveryRequest(revision);
  try {
    const started = performance.now();
    // The outer deadline covers a driver that does not honour timeoutMs.
    const reply = await withDeadline(session.request(method, params, { timeoutMs }), timeoutMs + 1000, method);
    if (reply.response) return judge(revision, reply.response);
    if (reply.status !== undefined && reply.status > 0) {
      return { kind: 'refused', detail: `HTTP ${reply.status} without a JSON-RPC response` };
    }
    // A driver may flag a reply cut short by a dead channel as timed out; the clock tells them apart.
    const waitedOut = reply.timedOut && performance.now() - started >= timeoutMs * 0.9;
    if (waitedOut) return { kind: 'unreachable', reason: `no answer to ${method} within ${timeoutMs} ms` };
    const failure = failureSince(driver, mark) ?? 'the connection closed without an answer';
    return { kind: 'unreachable', reason: `${method}: ${failure}` };
  } catch (err) {
    return { kind: 'unreachable', reason: messageOf(err) };
  } finally {
    await closeQuietly(session);
  }
}

function describeProbes(probes: Discovery['probes']): string {
  return Object.entries(probes)
    .map(([rev, p]) => `${rev}: ${p.kind === 'refused' ? p.detail : p.kind === 'unreachable' ? p.reason : 'served'}`)
    .join('; ');
}

/**
 * Probe every candidate revision at once, so a target that never answers costs one deadline,
 * not one per revision.
 */
export async function discover(driver: Driver, timeoutMs: number): Promise<Discovery> {
  // 2026-07-28 has no legacy SSE transport to carry server/discover.
  const candidates = driver.transport === 'sse' ? LEGACY_REVISIONS : REVISIONS;
  const results = await Promise.all(candidates.map((r) => probeRevision(driver, r, timeoutMs)));
  const probes: Discovery['probes'] = {};
  const supported: Revision[] = [];
  let serverInfo: ServerInfo | undefined;
  candidates.forEach((revision, i) => {
    const result = results[i] as ProbeResult;
    probes[revision] = result;
    if (result.kind === 'supported') {
      supported.push(revision);
      serverInfo ??= result.serverInfo;
    }
  });
  const testable = supported.filter((r) => revisionsDefining(driver.transport).includes(r));
  const discovery: Discovery = { supported, testable, probes };
  if (serverInfo) discovery.serverInfo = serverInfo;
  if (results.every((r) => r.kind === 'unreachable')) {
    discovery.problem = `target unreachable: ${(results[0] as { reason: string }).reason}`;
  } else if (supported.length === 0) {
    discovery.problem = `the target serves none of ${candidates.join(', ')} (${describeProbes(probes)})`;
  } else if (testable.length === 0) {
    discovery.problem = `the target serves ${supported.join(', ')}, none of which defines the ${driver.transport} transport`;
  }
  return discovery;
}
