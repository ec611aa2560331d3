/** Small pieces the checks share: harmless requests, exact id comparison, readable values for evidence. */
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { HARNESS_CLIENT_INFO, isModern, META } from '../drivers/protocol.js';
import { DEADLINES, sleep, waitFor } from '../drivers/deadline.js';
import type { CheckContext, Outcome } from './check.js';
import { ok, violated } from './check.js';
import type { HttpSession, RawReply, RpcReply, RpcSession } from '../drivers/session.js';
import type { SseStream } from '../drivers/session.js';
import type { SseEvent } from '../drivers/wire-log.js';
import type { WireLog } from '../drivers/wire-log.js';

/** The request with no side effects that every server of the revision must answer: ping, or server/discover from 2026-07-28 on. */
export function harmlessMethod(revision: Revision): string {
  return isModern(revision) ? 'server/discover' : 'ping';
}

/**
 * A complete request object for raw writes (stdio bytes, batch arrays), with the per-request
 * `_meta` the modern revision requires, so a raw probe differs from a normal request only in
 * what the check means to change.
 */
export function rawRequest(revision: Revision, id: unknown, method: string, params: Record<string, unknown> = {}): JsonRpcMessage {
  if (!isModern(revision)) return { jsonrpc: '2.0', id, method, params };
  const meta = {
    [META.protocolVersion]: revision,
    [META.clientCapabilities]: {},
    [META.clientInfo]: HARNESS_CLIENT_INFO,
  };
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } };
}

export function initializeParams(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: {}, clientInfo: HARNESS_CLIENT_INFO };
}

/** JSON-RPC ids are equal only with the same type and value: "1" is not 1. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && a === b;
}

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

/** Responses among `messages` (not requests or notifications). */
export function responsesIn(messages: readonly JsonRpcMessage[]): JsonRpcMessage[] {
  return messages.filter((m) => m.method === undefined && ('result' in m || 'error' in m));
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

/**
 * The same id value, ignoring its JSON type: for checks about error codes, which leave the id's
 * type to RPC-ID-01 so that one defect fails one check.
 */
export function sameIdValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));
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
  return receivedMatching(session, (m) => m.method === undefined && sameId(m.id, id), ms);
}

/** "400", or "0 (no response: <error>)" for a reply that never came. */
export function describeStatus(status: number | undefined, error?: string): string {
  if (status === undefined) return 'no HTTP status';
  if (status === 0) return `no HTTP response${error ? ` (${error})` : ''}`;
  return String(status);
}

/** Headers for a request without a body (DELETE, GET) on a Streamable HTTP session: its usual headers and `extra`, no Content-Type. */
export function bodylessHeaders(session: HttpSession, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...session.headersFor(), ...extra };
  delete headers['Content-Type'];
  return headers;
}

/** Headers for a GET on a Streamable HTTP session's stream: its usual headers, Accept SSE, no Content-Type. */
export function streamGetHeaders(session: HttpSession, extra: Record<string, string> = {}): Record<string, string> {
  return bodylessHeaders(session, { Accept: 'text/event-stream', ...extra });
}

/**
 * The payload texts the server sent since `mark`, as they were on the wire (stdout lines, HTTP
 * response bodies or their SSE `data`, legacy stream events): for rows about the form of a
 * payload (an array or an object, its encoding), which parsed messages no longer show.
 */
export function incomingPayloads(log: WireLog, mark: number): string[] {
  const out: string[] = [];
  for (const e of log.since(mark)) {
    if (e.channel === 'http' && e.http) {
      if (e.http.events && e.http.events.length > 0) out.push(...e.http.events.map((ev) => ev.data));
      else if (e.http.responseBody) out.push(e.http.responseBody);
    } else if (e.direction === 'in' && (e.channel === 'stdout' || e.channel === 'sse') && e.data !== undefined) {
      out.push(e.data);
    }
  }
  return out.filter((p) => p.trim() !== '');
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

// ---- Streamable HTTP SSE streams (section 6a, issue 3) ----

/** POST `message` on the session as a stream the check reads event by event (a JSON answer is read whole). */
export function openPost(session: HttpSession, message: JsonRpcMessage, timeoutMs = 5000): Promise<SseStream> {
  return session.openStream({ method: 'POST', headers: session.headersFor(), body: JSON.stringify(message), timeoutMs });
}

/** The server answered with an SSE stream (200, text/event-stream). */
export function isSseStream(stream: SseStream): boolean {
  return stream.status === 200 && (stream.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

/** The JSON-RPC message an SSE event carries, if its data is one. */
export function eventMessage(event: SseEvent): JsonRpcMessage | undefined {
  if (event.noData || event.data === '') return undefined;
  try {
    const value: unknown = JSON.parse(event.data);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRpcMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** A predicate for the event carrying the response to `id`. */
export function respondsTo(id: unknown): (event: SseEvent) => boolean {
  return (event) => {
    const m = eventMessage(event);
    return m !== undefined && m.method === undefined && ('result' in m || 'error' in m) && sameIdValue(m.id, id);
  };
}

/** The last event id a stream set: what a client resumes from with Last-Event-ID. */
export function lastEventId(events: readonly SseEvent[]): string | undefined {
  return events.filter((e) => e.id !== undefined && e.id !== '').at(-1)?.id;
}

/** Resume a stream: GET with Last-Event-ID and the session's headers. */
export function resumeStream(session: HttpSession, lastId: string, timeoutMs = 5000): Promise<SseStream> {
  return session.openStream({ method: 'GET', headers: streamGetHeaders(session, { 'Last-Event-ID': lastId }), timeoutMs });
}

/** A stream's events for evidence: ids and bounded data. */
export function showEvents(events: readonly SseEvent[]): string {
  return show(events.map((e) => (e.id !== undefined ? `[id ${e.id}] ${e.data}` : e.data)), 400);
}

/** A POST of the progress tool with a progress token (its request id), as a stream. */
export function postProgress(revision: Revision, tool: string | undefined, session: HttpSession, id: string, steps: number, intervalMs: number): Promise<SseStream> {
  const params = { name: tool, arguments: { steps, intervalMs }, _meta: { progressToken: id } };
  return openPost(session, rawRequest(revision, id, 'tools/call', params));
}

/**
 * A plain echo tools/call, and every message the server sent while it ran (the reply's own
 * messages and anything else received meanwhile): for passive rows about what a server sends on
 * its own (log notifications, server-initiated requests).
 */
async function echoCallTraffic(ctx: CheckContext, session: RpcSession): Promise<{ response: JsonRpcMessage | undefined; messages: JsonRpcMessage[] }> {
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

/** A JSON-RPC request (method and id), as opposed to a notification or a response. */
export function isRequestMessage(m: JsonRpcMessage): boolean {
  return typeof m.method === 'string' && 'id' in m;
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
  const opened = (m: JsonRpcMessage) => m.method === LISTEN_ACK || (m.method === undefined && sameId(m.id, id));
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
  if (request.method === 'ping') return { jsonrpc: '2.0', id: request.id, result: {} };
  if (request.method === 'roots/list') return { jsonrpc: '2.0', id: request.id, result: { roots: [] } };
  return { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: `the harness does not serve ${String(request.method)}` } };
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
    const fresh = session.received.slice(seen).filter(isRequestMessage);
    seen = session.received.length;
    for (const request of fresh) {
      requests.push(request);
      // Nothing comes back for a response; the short window only bounds the send.
      await session.sendRaw(JSON.stringify(answerToServerRequest(request)), { until: 'quiet', timeoutMs: 50 });
    }
  }
  return { reply: await call, requests };
}
