/** Streamable HTTP, 2025 shape (catalog section 6a): the SSE streams of POSTs and of the GET, and how many there may be. */
import { sleep, waitFor } from '../drivers/deadline.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { revisionRange } from '../drivers/protocol.js';
import type { HttpSession, SseStream } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { ok, skip, spec, underTension, violated } from './check.js';
import {
  describeStatus,
  eventMessage,
  isSseStream,
  lastEventId,
  openPost,
  postProgress,
  rawRequest,
  respondsTo,
  resumeStream,
  sameIdValue,
  show,
  showEvents,
  streamGetHeaders,
} from './probes.js';
import { STREAMABLE_2025 } from './streamable-http.js';

const SENDING = spec('2025-11-25', 'basic/transports#sending-messages-to-the-server');
const LISTENING = spec('2025-11-25', 'basic/transports#listening-for-messages-from-the-server');
const MULTIPLE = spec('2025-11-25', 'basic/transports#multiple-connections');
/** how long a response that is on its way may take */
const PROMPT_MS = 3000;
/** rounds of resumption a check follows when the server keeps closing the stream (polling) */
const MAX_RESUMES = 3;
const JSON_ANSWER = 'the server answered this request with JSON, not an SSE stream';
/** how long a stream is read for messages that may still be on their way */
const QUIET_MS = 300;

/** A POST of the slow tool as a stream; `extra` adds arguments (pollAfterMs). */
function postSlow(ctx: CheckContext, session: HttpSession, id: string, ms: number, extra: Record<string, unknown> = {}): Promise<SseStream> {
  return openPost(session, rawRequest(ctx.revision, id, 'tools/call', { name: ctx.fixtures.slowTool, arguments: { ms, ...extra } }));
}

function postPing(ctx: CheckContext, session: HttpSession, id: string): Promise<SseStream> {
  return openPost(session, rawRequest(ctx.revision, id, 'ping'));
}

/**
 * A GET stream on the session; else skip when the server offers none (405), or an info outcome
 * when the GET got neither (the probe could not run; SHTTP-GET-01 fails that answer).
 */
async function getStream(session: HttpSession): Promise<SseStream | Outcome> {
  const stream = await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: PROMPT_MS });
  if (isSseStream(stream)) return stream;
  await stream.close();
  if (stream.status === 405) return skip('the server offers no GET stream (405)');
  const got = `${describeStatus(stream.status, stream.error)} ${stream.headers['content-type'] ?? ''}`.trim();
  return violated('a GET stream to observe (200 text/event-stream), or 405', got, 'info');
}

function isStream(value: SseStream | Outcome): value is SseStream {
  return !('kind' in value);
}

export const sseStreamsChecks: readonly Check[] = [
  {
    id: 'SHTTP-SSE-01',
    title: 'A POST-initiated SSE stream eventually carries the response',
    requirement: 'When the server answers a request POST with an SSE stream, the stream SHOULD eventually include the JSON-RPC response.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['slow-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-01';
      let stream = await postSlow(ctx, session, id, 400);
      if (!isSseStream(stream)) return skip(JSON_ANSWER);
      // A 2025-11-25 server may close the stream early (polling): following its ids is "eventually".
      for (let round = 0; round <= MAX_RESUMES; round++) {
        if (await stream.next(PROMPT_MS, respondsTo(id))) return ok(round > 0 ? `after ${round} resumption(s)` : undefined);
        const last = lastEventId(stream.events);
        if (!stream.ended || last === undefined) break;
        stream = await resumeStream(session, last);
      }
      const state = stream.ended ? 'the stream ended' : `the stream was still open after ${PROMPT_MS} ms`;
      return violated('the response to the request on its SSE stream', `${state} without it; events: ${showEvents(stream.events)}`);
    },
  },
  {
    id: 'SHTTP-SSE-02',
    title: 'Messages before the response relate to the request',
    requirement:
      'Requests and notifications the server sends on a request SSE stream before the response SHOULD relate to the originating request.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-02';
      const stream = await postProgress(ctx.revision, ctx.fixtures.progressTool, session, id, 2, 20);
      if (!isSseStream(stream)) return skip('the server answered the progress call with JSON, not an SSE stream');
      // without a response (SHTTP-SSE-01's business) everything the stream carried came before it
      const answered = await stream.next(PROMPT_MS, respondsTo(id));
      const end = answered ? stream.events.indexOf(answered) : stream.events.length;
      const before = stream.events.slice(0, end).flatMap((e) => {
        const m = eventMessage(e);
        return m ? [m] : [];
      });
      // progress for this request's token and log messages emitted while it runs are related; anything else is not
      const unrelated = before.filter((m) => {
        if (m.method === 'notifications/message') return false;
        const token = (m.params as { progressToken?: unknown } | undefined)?.progressToken;
        return !(m.method === 'notifications/progress' && token === id);
      });
      if (unrelated.length > 0) return violated(`only messages about request ${id} before its response`, show(unrelated));
      return ok();
    },
  },
  {
    id: 'SHTTP-SSE-03',
    title: 'A POST SSE stream is not closed before the response',
    requirement: 'The server SHOULD NOT close the SSE stream of a request before it has sent the response (unless the session expires).',
    level: 'SHOULD',
    spec: spec('2025-06-18', 'basic/transports#sending-messages-to-the-server'),
    transports: ['http'],
    revisions: revisionRange('2025-03-26', '2025-06-18'),
    needs: ['slow-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-03';
      const stream = await postSlow(ctx, session, id, 400);
      if (!isSseStream(stream)) return skip(JSON_ANSWER);
      if (await stream.next(PROMPT_MS, respondsTo(id))) return ok();
      if (!stream.ended) return skip(`no response within ${PROMPT_MS} ms and the stream is still open (SHTTP-SSE-01 reports it)`);
      return violated('the stream open until the response', `the stream ended without it; events: ${showEvents(stream.events)}`);
    },
  },
  {
    id: 'SHTTP-SSE-04',
    title: 'A POST SSE stream ends after the response',
    requirement: 'After the JSON-RPC response has been sent, the server SHOULD close the SSE stream.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-04';
      const stream = await postPing(ctx, session, id);
      if (!isSseStream(stream)) return skip(JSON_ANSWER);
      if (!(await stream.next(PROMPT_MS, respondsTo(id)))) return skip('no response on the stream (SHTTP-SSE-01 reports it)');
      if (!(await waitFor(() => stream.ended, 2000))) return violated('the stream closed within 2 s of the response', 'still open after 2 s');
      return ok();
    },
  },
  {
    id: 'SHTTP-SSE-05',
    title: 'A dropped connection does not cancel the request',
    requirement: 'A disconnect SHOULD NOT be interpreted as the client cancelling its request; the client can resume and receive the response.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-05';
      const stream = await postProgress(ctx.revision, ctx.fixtures.progressTool, session, id, 4, 150);
      if (!isSseStream(stream)) return skip('the server answered the progress call with JSON, not an SSE stream');
      const cursor = await stream.next(PROMPT_MS, (e) => e.id !== undefined && e.id !== '');
      if (cursor === undefined) return skip('the server put no event ids on its SSE events (resumability is optional)');
      if (stream.events.some(respondsTo(id))) return skip('the response came before the harness could disconnect');
      await stream.close();
      const from = lastEventId(stream.events) ?? cursor.id!;
      let resumed = await resumeStream(session, from);
      // the server may not have seen the disconnect yet and still count the stream as connected
      for (let attempt = 0; resumed.status === 409 && attempt < 5; attempt++) {
        await sleep(100);
        resumed = await resumeStream(session, from);
      }
      if (!isSseStream(resumed)) return skip(`the server does not resume streams (${describeStatus(resumed.status, resumed.error)})`);
      if (!(await resumed.next(PROMPT_MS, respondsTo(id)))) {
        return violated('the response on the resumed stream after a disconnect', `none; events: ${showEvents(resumed.events)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-SSE-06',
    title: 'A POST SSE stream starts with a priming event',
    requirement: 'The server SHOULD immediately send an SSE event consisting of an event ID and an empty data field, to prime the client to reconnect.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: ['2025-11-25'],
    async run(ctx) {
      const session = await ctx.http();
      const stream = await postPing(ctx, session, 'sse-06');
      if (!isSseStream(stream)) return skip(JSON_ANSWER);
      const first = await stream.next(PROMPT_MS);
      if (!first) return violated('a first event with an id and empty data', 'no event');
      if (!first.id || first.data !== '') return violated('a first event with an id and empty data', showEvents([first]));
      return ok();
    },
  },
  {
    id: 'SHTTP-SSE-07',
    title: 'A stream closed before the response was preceded by retry',
    requirement:
      'A server MAY close the connection before the response (polling) after sending an event id; before closing it SHOULD send an SSE event with a retry field.',
    level: 'SHOULD',
    spec: SENDING,
    transports: ['http'],
    revisions: ['2025-11-25'],
    needs: ['slow-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'sse-07';
      // pollAfterMs is the reference slow tool's invitation to poll; other tools ignore it.
      const stream = await postSlow(ctx, session, id, 1200, { pollAfterMs: 100 });
      if (!isSseStream(stream)) return skip(JSON_ANSWER);
      if (await stream.next(PROMPT_MS, respondsTo(id))) return skip('the server kept the stream open until the response (no polling to judge)');
      if (!stream.ended) return skip(`no response within ${PROMPT_MS} ms and the stream is still open (SHTTP-SSE-01 reports it)`);
      if (!stream.events.some((e) => e.retry !== undefined)) {
        return violated('a retry field before the server closed the stream', `closed without one; events: ${showEvents(stream.events)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-GET-02',
    title: 'No responses on the GET stream',
    requirement: 'The server MUST NOT send a JSON-RPC response on the GET stream unless resuming a stream of an earlier request.',
    level: 'MUST',
    spec: LISTENING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const get = await getStream(session);
      if (!isStream(get)) return get;
      const reply = await session.request('ping', {}, { timeoutMs: PROMPT_MS });
      if (!reply.response) return skip('ping got no response (other checks report it)');
      await get.next(300, () => false);
      const leaked = get.events.find((e) => {
        const m = eventMessage(e);
        return m !== undefined && m.method === undefined;
      });
      if (leaked) return violated('no JSON-RPC response on the GET stream', showEvents([leaked]));
      return ok();
    },
  },
  {
    id: 'SHTTP-MULTI-02',
    title: 'A second concurrent GET gets SSE or 405',
    requirement: 'A client MAY hold several SSE streams; a second concurrent GET in the session MUST still be answered with an SSE stream or 405.',
    level: 'MUST',
    spec: MULTIPLE,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const first = await getStream(session);
      if (!isStream(first)) return first;
      const second = await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: PROMPT_MS });
      const type = second.headers['content-type'] ?? '';
      await Promise.all([first.close(), second.close()]);
      if (second.status === 405) return ok('405 for the second stream');
      if (isSseStream(second)) return ok();
      // The official SDK answers a second stream 409: tension T1, a warning under --profile lenient.
      return underTension('T1', violated('the second GET answered 200 text/event-stream or 405', `${describeStatus(second.status, second.error)} ${type}`.trim()));
    },
  },
  // ---- catalog section 6a, GET stream and multiple-stream rows that need a fixture (issue 3) ----
  {
    id: 'SHTTP-GET-03',
    title: 'The GET stream carries nothing about concurrent requests',
    requirement: 'Requests and notifications the server sends on the GET stream SHOULD be unrelated to any concurrently running client request.',
    level: 'SHOULD',
    spec: LISTENING,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const get = await getStream(session);
      if (!isStream(get)) return get;
      const id = 'get-03';
      const call = await postProgress(ctx.revision, ctx.fixtures.progressTool, session, id, 2, 20);
      if (isSseStream(call)) await call.next(PROMPT_MS, respondsTo(id));
      // progress sent just before the response may still be on its way on the other connection
      await get.next(500, () => false);
      const ours = (m: JsonRpcMessage) => m.method === 'notifications/progress' && sameIdValue((m.params as { progressToken?: unknown } | undefined)?.progressToken, id);
      const onGet = messagesOf(get).filter(ours);
      if (onGet.length > 0) return violated(`no progress of the concurrent request ${id} on the GET stream`, show(onGet));
      if (!messagesOf(call).some(ours)) return skip(`the server sent no progress for request ${id} on any stream (nothing to place)`);
      return ok();
    },
  },
  {
    id: 'SHTTP-GET-04',
    title: 'A GET stream the server closes was preceded by retry and can be resumed',
    requirement:
      'If the server closes the connection of the GET stream without ending the stream, it SHOULD first send an SSE retry field and let the client reconnect.',
    level: 'SHOULD',
    spec: LISTENING,
    transports: ['http'],
    revisions: ['2025-11-25'],
    needs: ['notify-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const get = await getStream(session);
      if (!isStream(get)) return get;
      // closeGetStream is the reference notify tool's invitation to end the GET connection; other tools ignore it
      const reply = await session.request('tools/call', { name: ctx.fixtures.notifyTool, arguments: { closeGetStream: true } }, { timeoutMs: PROMPT_MS });
      if (!reply.response) return skip('the notify tool got no response (other checks report it)');
      // a server that ends the connection does so while handling the call, before its response
      if (!(await waitFor(() => get.ended, 1500))) return skip('the server kept the GET stream open (no polling to judge)');
      const retry = get.events.find((e) => e.retry !== undefined)?.retry;
      if (retry === undefined) return violated('a retry field before the server closed the GET stream', `closed without one; events: ${showEvents(get.events)}`);
      // the client must wait the retry interval; bounded, so that a huge value cannot stall the run
      await sleep(Math.min(retry, 1000));
      const last = lastEventId(get.events);
      const again =
        last === undefined
          ? await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: PROMPT_MS })
          : await resumeStream(session, last, PROMPT_MS);
      if (!isSseStream(again)) {
        const how = last === undefined ? 'GET (no event id was sent to resume from)' : `GET with Last-Event-ID ${show(last)}`;
        return violated(`the reconnect (${how}) answered 200 text/event-stream`, `${describeStatus(again.status, again.error)} ${again.headers['content-type'] ?? ''}`.trim());
      }
      // for the evidence: what the reconnect replays (the notification sent while the stream was down)
      await again.next(QUIET_MS, (e) => eventMessage(e) !== undefined);
      return ok(last === undefined ? 'reconnected without Last-Event-ID: the server sent no event id' : undefined);
    },
  },
  {
    id: 'SHTTP-MULTI-01',
    title: 'Each message goes on exactly one stream',
    requirement: 'The server MUST send each JSON-RPC message on only one of the connected streams; it MUST NOT broadcast a message across streams.',
    level: 'MUST',
    spec: MULTIPLE,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['slow-tool', 'notify-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const get = await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: PROMPT_MS });
      const idA = 'multi-01-a';
      const idB = 'multi-01-b';
      // A stays open while B makes the server send a notification that belongs to no request
      const a = await postSlow(ctx, session, idA, 300);
      const b = await openPost(session, rawRequest(ctx.revision, idB, 'tools/call', { name: ctx.fixtures.notifyTool, arguments: {} }));
      const streams: Array<[string, SseStream]> = [
        ['the GET stream', get],
        [`the stream of ${idA}`, a],
        [`the stream of ${idB}`, b],
      ];
      const open = streams.filter(([, s]) => isSseStream(s));
      if (open.length === 0) return skip('no SSE stream open (no GET stream, JSON answers): nothing to broadcast across');
      const listChanged = (m: JsonRpcMessage) => m.method === 'notifications/tools/list_changed';
      if (isSseStream(b)) await b.next(PROMPT_MS, respondsTo(idB));
      // the notification left before B's response, but on another connection it may arrive after it
      await waitFor(() => open.some(([, s]) => messagesOf(s).some(listChanged)), PROMPT_MS);
      if (isSseStream(a)) await a.next(PROMPT_MS, respondsTo(idA));
      if (isSseStream(get)) await get.next(QUIET_MS, () => false);
      const own = new Map<SseStream, unknown>([
        [a, idA],
        [b, idB],
      ]);
      for (const [name, stream] of open) {
        const foreign = messagesOf(stream).filter((m) => m.method === undefined && !sameIdValue(m.id, own.get(stream)));
        if (foreign.length > 0) return violated(`each response only on the stream of its request`, `on ${name}: ${show(foreign)}`);
      }
      const copies = open.flatMap(([name, s]) => messagesOf(s).filter(listChanged).map(() => name));
      if (copies.length === 0) return skip('the server sent notifications/tools/list_changed on none of the open streams (nothing to count)');
      if (copies.length > 1) return violated('notifications/tools/list_changed on exactly one stream', `${copies.length} copies, on ${copies.join(', ')}`);
      return ok(`the notification came once, on ${copies[0]}`);
    },
  },
];

/** The JSON-RPC messages a stream carried. */
function messagesOf(stream: SseStream): JsonRpcMessage[] {
  return stream.events.flatMap((e) => {
    const m = eventMessage(e);
    return m ? [m] : [];
  });
}
