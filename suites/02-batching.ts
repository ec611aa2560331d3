/**
 * JSON-RPC batching (catalog section 2): added in 2025-03-26, removed in 2025-06-18. Batches are
 * sent as one stdio line or one POST body; whether an answer came as an array or a single object
 * is read from the payloads on the wire, since parsed messages no longer show it.
 */
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { waitFor } from '../drivers/deadline.js';
import { ErrorCode, revisionRange } from '../drivers/protocol.js';
import type { RawReply, RpcSession } from '../drivers/session.js';
import type { Check, CheckContext } from './check.js';
import { ok, spec, violated } from './check.js';
import { errorCode, harmlessMethod, incomingPayloads, rawRequest, responsesIn, sameIdValue, show } from './probes.js';

const BATCH_REVISION: Revision = '2025-03-26';
const BATCH_TRANSPORTS = ['stdio', 'http'] as const;
const BATCH_SPEC = spec('2025-03-26', 'basic#batching');
const JSONRPC_BATCH = 'https://www.jsonrpc.org/specification#batch';
const PROMPT_MS = 3_000;
/** How long to read a batch's answer before waiting on the responses themselves (a stdio line stream never ends). */
const SHORT_QUIET_MS = 500;

const cancelled = (requestId: string): JsonRpcMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/cancelled',
  params: { requestId },
});

interface Sent {
  reply: RawReply;
  /** the payload texts that came back, in order */
  payloads: string[];
  /** responses received during the exchange (or up to `wantIds` arriving later) */
  responses: JsonRpcMessage[];
}

/**
 * Send one array as one message and collect what answers it. With `answered`, listen briefly,
 * then wait (bounded) until the responses satisfy it; without, listen for the whole quiet window
 * (nothing should come).
 */
async function sendBatch(
  ctx: CheckContext,
  session: RpcSession,
  batch: unknown,
  answered?: (responses: JsonRpcMessage[]) => boolean,
): Promise<Sent> {
  const mark = ctx.log.mark;
  const from = session.received.length;
  // 'quiet', not 'message': an SSE answer carries the batch's responses as several events, and
  // reading only up to the first would drop the rest. An HTTP answer that ends stops it early.
  const reply = await session.sendRaw(JSON.stringify(batch), answered ? { until: 'quiet', timeoutMs: SHORT_QUIET_MS } : { until: 'quiet' });
  const collect = () => dedupe(responsesIn([...reply.messages, ...session.received.slice(from)]));
  if (answered) await waitFor(() => answered(collect()), PROMPT_MS);
  return { reply, payloads: incomingPayloads(ctx.log, mark), responses: collect() };
}

/** Responses to each of `ids` are among `responses`. */
const answersTo =
  (...ids: unknown[]) =>
  (responses: JsonRpcMessage[]): boolean =>
    ids.every((id) => findResponse(responses, id) !== undefined);

function dedupe(messages: JsonRpcMessage[]): JsonRpcMessage[] {
  return [...new Set(messages)];
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/** A payload that answers something: an array (even empty), or an object that is not a request or notification. */
function isReplyPayload(payload: string): boolean {
  const value = parsed(payload);
  if (Array.isArray(value)) return true;
  return !!value && typeof value === 'object' && typeof (value as JsonRpcMessage).method !== 'string';
}

function findResponse(responses: readonly JsonRpcMessage[], id: unknown): JsonRpcMessage | undefined {
  return responses.find((m) => sameIdValue(m.id, id));
}

export const batchingChecks: readonly Check[] = [
  {
    id: 'BATCH-01',
    title: 'A batch of requests is answered',
    requirement: 'A 2025-03-26 server MUST support receiving JSON-RPC batches: each request in the array gets its response.',
    level: 'MUST',
    spec: BATCH_SPEC,
    transports: BATCH_TRANSPORTS,
    revisions: [BATCH_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const sent = await sendBatch(
        ctx,
        session,
        [rawRequest(ctx.revision, 31, 'ping'), rawRequest(ctx.revision, 32, 'ping')],
        answersTo(31, 32),
      );
      for (const id of [31, 32]) {
        const response = findResponse(sent.responses, id);
        if (!response || !('result' in response)) {
          return violated(`a result for ping #${id} of the batch`, show(response ?? sent.payloads[0] ?? `HTTP ${sent.reply.status}`));
        }
      }
      return ok();
    },
  },
  {
    id: 'BATCH-02',
    title: 'A batch of notifications gets no response',
    requirement: 'A batch holding only notifications MUST get no response at all (not even an empty array).',
    level: 'MUST',
    spec: JSONRPC_BATCH,
    transports: BATCH_TRANSPORTS,
    revisions: [BATCH_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const sent = await sendBatch(ctx, session, [cancelled('harness-batch-x')]);
      // Only an answer counts: a notification or request the server sends on its own meanwhile
      // (list_changed after initialized, a ping) is no reply to the batch.
      const reply = sent.payloads.find(isReplyPayload);
      return reply === undefined ? ok() : violated('no response payload', show(reply));
    },
  },
  {
    id: 'BATCH-03',
    title: 'An empty array gets a single -32600 error object',
    requirement: 'An empty array MUST be answered with a single error object -32600 (not an array) with id null.',
    level: 'MUST',
    spec: JSONRPC_BATCH,
    transports: BATCH_TRANSPORTS,
    revisions: [BATCH_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const mark = ctx.log.mark;
      const reply = await session.sendRaw('[]', { until: 'message', timeoutMs: PROMPT_MS });
      const payload = incomingPayloads(ctx.log, mark)[0];
      const value = payload === undefined ? undefined : parsed(payload);
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        return violated('one error object (not an array)', show(payload ?? `HTTP ${reply.status}`));
      }
      const error = value as JsonRpcMessage;
      if (errorCode(error) !== ErrorCode.InvalidRequest) return violated('error -32600', show(error));
      if (error.id !== null && error.id !== undefined) return violated('id null or absent', show(error));
      return ok();
    },
  },
  {
    id: 'BATCH-04',
    title: 'A mixed batch gets a response per element',
    requirement:
      'A batch with a valid request and an invalid element MUST get an array holding the result and a -32600 error with id null.',
    level: 'MUST',
    spec: JSONRPC_BATCH,
    transports: BATCH_TRANSPORTS,
    revisions: [BATCH_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const sent = await sendBatch(
        ctx,
        session,
        [rawRequest(ctx.revision, 41, 'ping'), { foo: 1 }],
        (r) => answersTo(41)(r) && r.some((m) => errorCode(m) !== undefined),
      );
      const result = findResponse(sent.responses, 41);
      if (!result || !('result' in result)) return violated('a result for ping #41', show(sent.payloads));
      const error = sent.responses.find((m) => errorCode(m) === ErrorCode.InvalidRequest);
      if (!error) return violated('an error -32600 for {"foo":1}', show(sent.payloads));
      if (error.id !== null && error.id !== undefined) return violated('id null or absent on the -32600 error', show(error));
      const empty = sent.payloads.find((p) => {
        const v = parsed(p);
        return Array.isArray(v) && v.length === 0;
      });
      if (empty !== undefined) return violated('never an empty array', show(sent.payloads));
      return ok();
    },
  },
  {
    id: 'BATCH-05',
    title: 'An HTTP batch of notifications gets 202; one with a request gets JSON or SSE',
    requirement:
      'A POST of an array of notifications MUST be answered 202 with no body; an array holding a request MUST be answered with JSON or an SSE stream.',
    level: 'MUST',
    spec: spec('2025-03-26', 'basic/transports#sending-messages-to-the-server'),
    transports: ['http'],
    revisions: [BATCH_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const notifications = await session.send({
        method: 'POST',
        headers: session.headersFor(),
        body: JSON.stringify([cancelled('harness-batch-y')]),
        timeoutMs: PROMPT_MS,
      });
      if (notifications.status !== 202 || notifications.body !== '') {
        return violated('202 with an empty body for an array of notifications', `${notifications.status} ${show(notifications.body)}`);
      }
      const requests = await session.send({
        method: 'POST',
        headers: session.headersFor(),
        body: JSON.stringify([rawRequest(ctx.revision, 51, 'ping')]),
        timeoutMs: PROMPT_MS,
        maxEvents: 1,
      });
      const type = requests.contentType.split(';')[0]?.trim().toLowerCase();
      if (requests.status !== 200 || (type !== 'application/json' && type !== 'text/event-stream')) {
        return violated(
          '200 with application/json or text/event-stream for an array holding a request',
          `${requests.status} ${requests.contentType}`,
        );
      }
      if (!findResponse(requests.messages, 51)) return violated('the response to ping #51 in the reply', show(requests.body));
      return ok();
    },
  },
  {
    id: 'BATCH-06',
    title: 'From 2025-06-18 an array is rejected (but still accepted on a 2025-03-26 session)',
    requirement:
      'From 2025-06-18 an array is not an MCP message and is rejected (HTTP 400 / -32600); a server that also serves 2025-03-26 still accepts arrays on such a session.',
    level: 'INF',
    spec: spec('2025-06-18', 'changelog'),
    transports: BATCH_TRANSPORTS,
    revisions: revisionRange('2025-06-18'),
    async run(ctx) {
      const session = await ctx.session();
      const sent = await sendBatch(
        ctx,
        session,
        [rawRequest(ctx.revision, 61, harmlessMethod(ctx.revision))],
        (r) => answersTo(61)(r) || r.some((m) => errorCode(m) !== undefined),
      );
      const answered = findResponse(sent.responses, 61);
      if (answered && 'result' in answered) return violated(`the array rejected at ${ctx.revision}`, show(answered));
      const rejected = sent.reply.status === 400 || sent.responses.some((m) => errorCode(m) === ErrorCode.InvalidRequest);
      if (!rejected) return violated('HTTP 400 or error -32600 for an array', show(sent.payloads[0] ?? `HTTP ${sent.reply.status}`));
      if (!ctx.supported.includes(BATCH_REVISION) || ctx.revision === '2026-07-28') return ok();
      // The other half: the same array on a session negotiated at 2025-03-26 is a valid batch.
      const old = await ctx.session({ offerVersion: BATCH_REVISION });
      const accepted = await sendBatch(ctx, old, [rawRequest(BATCH_REVISION, 62, 'ping')], answersTo(62));
      const response = findResponse(accepted.responses, 62);
      if (!response || !('result' in response)) {
        return violated(
          'the array accepted on a session negotiated at 2025-03-26',
          show(response ?? accepted.payloads[0] ?? `HTTP ${accepted.reply.status}`),
        );
      }
      return ok();
    },
  },
];
