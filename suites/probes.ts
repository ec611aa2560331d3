/**
 * Small pieces the checks share: evidence texts, waits on a session's history, and the probes
 * several checks run (a cancelled slow call, a listen, a call answering the server's requests).
 * The JSON-RPC pieces (ids, the era's envelopes, the harmless request) come from the core and the
 * HTTP and SSE steps from the drivers; they are re-exported here under the names the checks use,
 * so that a check imports its vocabulary from one place and none of it is defined twice.
 */
import { DEADLINES, sleep, waitFor } from '../drivers/deadline.js';
import { ErrorCode, isRequest, type JsonRpcMessage } from '../drivers/protocol.js';
import { buildError, buildResult, harmlessMethod, isResponseShaped, sameIdExactly } from '../drivers/rpc-core.js';
import type { RawReply, RpcReply, RpcSession } from '../drivers/session.js';
import type { SseEvent } from '../drivers/wire-log.js';
import type { CheckContext, Outcome } from './check.js';
import { ok, violated } from './check.js';

export {
  bodylessHeaders,
  describeStatus,
  isSseStream,
  openPost,
  postProgress,
  resumeStream,
  streamGetHeaders,
} from '../drivers/http-raw.js';
export { harmlessMethod, initializeParams, rawRequest } from '../drivers/rpc-core.js';
/** JSON-RPC ids are equal only with the same type and value: "1" is not 1 (how RPC-ID-01 judges an echo). */
export { sameIdExactly as sameId } from '../drivers/rpc-core.js';
/**
 * The same id value, ignoring its JSON type (the core's loose rule): for checks about error
 * codes, which leave the id's type to RPC-ID-01 so that one defect fails one check.
 */
export { idsMatch as sameIdValue } from '../drivers/rpc-core.js';
export { eventMessage, lastEventId, respondsTo } from '../drivers/sse-events.js';
export { incomingPayloads } from '../drivers/wire-log.js';
/** A JSON-RPC request (method and id), as opposed to a notification or a response. */
export { isRequest as isRequestMessage } from '../drivers/protocol.js';

/** A value as it appears on the wire, bounded, for expected/actual texts. */
export function show(value: unknown, max = 300): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function errorCode(message: JsonRpcMessage | undefined): number | undefined {
  const e = message?.error as { code?: unknown } | undefined;
  return typeof e?.code === 'number' ? e.code : undefined;
}

export function resultOf(message: JsonRpcMessage | undefined): Record<string, unknown> | undefined {
  const r = message?.result;
  return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
}

/** Responses among `messages` (not requests or notifications), whatever their id. */
export function responsesIn(messages: readonly JsonRpcMessage[]): JsonRpcMessage[] {
  return messages.filter(isResponseShaped);
}

/**
 * What came back to a probe, as evidence: the answer, or, when nothing answered it, that nothing
 * did within the wait, with the HTTP status and body of its POST where there was one (other
 * messages of the session, such as a notification, are not an answer).
 */
export function answerOrSilence(answer: JsonRpcMessage | undefined, reply: RawReply, waitedMs: number): string {
  if (answer) return show(answer);
  const http = reply.status === undefined ? '' : `HTTP ${reply.status}${reply.body ? ` ${show(reply.body, 120)}` : ''}; `;
  return `${http}no JSON-RPC response within ${waitedMs} ms`;
}

/** Wait until the session has received, at index `from` or later, a message matching `predicate`. */
export async function receivedMatching(
  session: RpcSession,
  predicate: (m: JsonRpcMessage) => boolean,
  ms: number,
  from = 0,
): Promise<JsonRpcMessage | undefined> {
  const find = () => session.received.slice(from).find(predicate);
  await waitFor(() => find() !== undefined, ms);
  return find();
}

/**
 * Send raw text and find the message that answers it. A stray message (a reply to an earlier
 * notification) may arrive first, so this looks for `predicate`, not just the first message.
 */
export async function sendAndFind(
  session: RpcSession,
  text: string,
  predicate: (m: JsonRpcMessage) => boolean,
  ms: number,
): Promise<{ found: JsonRpcMessage | undefined; reply: RawReply; waitedMs: number }> {
  const from = session.received.length;
  const started = performance.now();
  const reply = await session.sendRaw(text, { until: 'message', timeoutMs: ms });
  const found = reply.messages.find(predicate) ?? (await receivedMatching(session, predicate, ms, from));
  return { found, reply, waitedMs: Math.round(performance.now() - started) };
}

/** Wait until the session has received a response with exactly this id. */
export function receivedResponse(session: RpcSession, id: unknown, ms: number): Promise<JsonRpcMessage | undefined> {
  return receivedMatching(session, (m) => m.method === undefined && sameIdExactly(m.id, id), ms);
}

/**
 * Slow tool (1000 ms), then notifications/cancelled for it after 100 ms: what answer, if any, the
 * call got within `waitMs`. `raced` says the response came before the cancellation was delivered
 * (before the notification's send returned), which the cancellation rules allow.
 */
export async function cancelSlowCall(ctx: CheckContext, waitMs: number): Promise<{ response?: JsonRpcMessage; raced: boolean }> {
  const session = await ctx.session();
  // The process (or session) must be up before the clock starts: a cancellation that overtakes a
  // slow start proves nothing.
  await session.request(harmlessMethod(ctx.revision), {}, { timeoutMs: DEADLINES.connect });
  const id = 'harness-cancel-1';
  let settled = false;
  const call = session
    .request('tools/call', { name: ctx.fixtures.slowTool, arguments: { ms: 1000 } }, { id, timeoutMs: waitMs })
    .finally(() => {
      settled = true;
    });
  await sleep(100);
  await session.notify('notifications/cancelled', { requestId: id, reason: 'harness: cancellation probe' }, { timeoutMs: 50 });
  const raced = settled;
  const reply = await call;
  return reply.response ? { response: reply.response, raced } : { raced };
}

/** A stream's events for evidence: ids and bounded data. */
export function showEvents(events: readonly SseEvent[]): string {
  return show(
    events.map((e) => (e.id !== undefined ? `[id ${e.id}] ${e.data}` : e.data)),
    400,
  );
}

/**
 * A plain echo tools/call, and every message the server sent while it ran (the reply's own
 * messages and anything else received meanwhile): for passive rows about what a server sends on
 * its own (log notifications, server-initiated requests).
 */
async function echoCallTraffic(
  ctx: CheckContext,
  session: RpcSession,
): Promise<{ response: JsonRpcMessage | undefined; messages: JsonRpcMessage[] }> {
  const from = session.received.length;
  const reply = await session.request('tools/call', { name: ctx.fixtures.echoTool, arguments: { text: 'harness' } }, { timeoutMs: 3_000 });
  const messages = [...reply.messages, ...session.received.slice(from)];
  return { response: reply.response, messages };
}

/** An echo call must be answered without the server sending anything `unwanted` meanwhile. */
export async function noneDuringEcho(
  ctx: CheckContext,
  session: RpcSession,
  unwanted: (m: JsonRpcMessage) => boolean,
  expected: string,
): Promise<Outcome> {
  const { response, messages } = await echoCallTraffic(ctx, session);
  if (!response) return violated('a response to the echo call', 'no response');
  const stray = messages.find(unwanted);
  return stray ? violated(expected, show(stray)) : ok();
}

// ---- 2026-07-28 subscriptions/listen (catalog section 4, MOD-SUB-*) ----

export const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
export const LISTEN_ACK = 'notifications/subscriptions/acknowledged';
/** The change notifications a listen filter gates; in 2026-07-28 they travel only on listens. */
export const CHANGE_NOTIFICATIONS: Readonly<Record<string, string>> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
  'notifications/resources/updated': 'resourceSubscriptions',
};
/**
 * How long a listen may take to be acknowledged before the probe goes on without the ack; the
 * listen is read for this plus its window (a request cannot be ended early at this level).
 */
const LISTEN_ACK_MS = 2_000;

/** `_meta[subscriptionId]` of a notification's params or of a result, as sent. */
export function subscriptionIdOf(m: JsonRpcMessage): unknown {
  const holder = (m.method === undefined ? m.result : m.params) as { _meta?: Record<string, unknown> } | undefined;
  const meta = holder && typeof holder === 'object' ? holder._meta : undefined;
  return meta && typeof meta === 'object' ? meta[SUBSCRIPTION_ID] : undefined;
}

/**
 * subscriptions/listen with `filter`, read for the ack's allowance plus `windowMs`; `during` runs
 * once the ack (or the listen's own response, an error) has arrived, so a change it triggers cannot
 * overtake the subscription. Returns the listen's reply and every message the server sent
 * meanwhile, the listen's own first.
 */
export async function listenWhile(
  session: RpcSession,
  id: string | number,
  filter: Record<string, unknown>,
  windowMs: number,
  during?: () => Promise<unknown>,
): Promise<{ reply: RpcReply; messages: JsonRpcMessage[] }> {
  const from = session.received.length;
  const listening = session.request('subscriptions/listen', { notifications: filter }, { id, timeoutMs: windowMs + LISTEN_ACK_MS });
  const opened = (m: JsonRpcMessage) => m.method === LISTEN_ACK || (m.method === undefined && sameIdExactly(m.id, id));
  await receivedMatching(session, opened, LISTEN_ACK_MS, from);
  await during?.();
  const reply = await listening;
  const seen = new Set(reply.messages);
  return { reply, messages: [...reply.messages, ...session.received.slice(from).filter((m) => !seen.has(m))] };
}

/** Call the change fixture tool: the server should notify listeners that asked for toolsListChanged. */
export function triggerToolsChange(ctx: CheckContext, session: RpcSession): Promise<RpcReply> {
  return session.request('tools/call', { name: ctx.fixtures.changeTool, arguments: {} }, { timeoutMs: 3_000 });
}

/** Did the server refuse the listen as a method it does not have (the feature is optional to serve)? */
export function listenNotServed(reply: RpcReply): boolean {
  return errorCode(reply.response) === -32601 || reply.status === 404;
}

// ---- requests the server sends the client (RPC-ID-02) ----

/** The harness's answer to a request from the server: ping and roots/list get a plain result, anything else -32601. */
export function answerToServerRequest(request: JsonRpcMessage): JsonRpcMessage {
  if (request.method === 'ping') return buildResult(request.id, {});
  if (request.method === 'roots/list') return buildResult(request.id, { roots: [] });
  return buildError(request.id, ErrorCode.MethodNotFound, `the harness does not serve ${String(request.method)}`);
}

/**
 * tools/call with `params`, answering every request the server sends meanwhile (a server that
 * asks the client something waits for the answer before it responds). Returns the call's reply
 * and the server's requests, in order. Bounded by `timeoutMs` and 50 requests.
 */
export async function callAnsweringServer(
  session: RpcSession,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<{ reply: RpcReply; requests: JsonRpcMessage[] }> {
  let seen = session.received.length;
  let settled = false;
  const call = session.request('tools/call', params, { timeoutMs }).finally(() => {
    settled = true;
  });
  const requests: JsonRpcMessage[] = [];
  const end = Date.now() + timeoutMs;
  while (!settled && Date.now() < end && requests.length < 50) {
    await waitFor(() => settled || session.received.length > seen, end - Date.now());
    const fresh = session.received.slice(seen).filter(isRequest);
    seen = session.received.length;
    for (const request of fresh) {
      requests.push(request);
      // Nothing comes back for a response; the short window only bounds the send.
      await session.sendRaw(JSON.stringify(answerToServerRequest(request)), { until: 'quiet', timeoutMs: 50 });
    }
  }
  return { reply: await call, requests };
}
