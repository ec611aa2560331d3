/**
 * Catalog section 6, Streamable HTTP in its 2025 shape (6a, the server rows; 2025-03-26 to
 * 2025-11-25): the endpoint, POST answers, the SSE streams of POSTs and of the GET and how many
 * there may be, event ids and Last-Event-ID replay, sessions, and the MCP-Protocol-Version header.
 * Checks in catalog order.
 */
import type { Revision, JsonRpcMessage } from '../drivers/protocol.js';
import { revisionRange } from '../drivers/protocol.js';
import type { HttpReply, HttpSession, SseStream } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { ok, spec, underTension, violated, skip, isOutcome } from './check.js';
import {
  describeStatus,
  errorCode,
  harmlessMethod,
  initializeParams,
  rawRequest,
  sameId,
  show,
  streamGetHeaders,
  eventMessage,
  isSseStream,
  lastEventId,
  openPost,
  postProgress,
  respondsTo,
  resumeStream,
  sameIdValue,
  showEvents,
  bodylessHeaders,
} from './probes.js';
import { sleep, waitFor } from '../drivers/deadline.js';
import { randomUUID } from 'node:crypto';

const STREAMABLE_2025: readonly Revision[] = revisionRange('2025-03-26', '2025-11-25');

const TRANSPORT = spec('2025-11-25', 'basic/transports');

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
function postSlow(
  ctx: CheckContext,
  session: HttpSession,
  id: string,
  ms: number,
  extra: Record<string, unknown> = {},
): Promise<SseStream> {
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

const RESUMABILITY = spec('2025-11-25', 'basic/transports#resumability-and-redelivery');

/** how long a replay is read: replayed events are written as the stream opens */
const REPLAY_READ_MS = 400;

const NO_IDS = 'the server put no event ids on its SSE events (resumability is optional)';

/** A ping POST read to its end (or PROMPT_MS): its events, or undefined when the answer was not SSE. */
async function pingStream(ctx: CheckContext, session: HttpSession, id: string): Promise<SseStream | undefined> {
  const stream = await openPost(session, rawRequest(ctx.revision, id, 'ping'));
  if (!isSseStream(stream)) return undefined;
  await stream.next(PROMPT_MS, respondsTo(id));
  await stream.next(PROMPT_MS, () => false).catch(() => undefined);
  return stream;
}

/** Every message a replay (GET with Last-Event-ID) carries within REPLAY_READ_MS. */
async function replay(session: HttpSession, lastId: string): Promise<{ stream: SseStream; ids: unknown[] }> {
  const stream = await resumeStream(session, lastId, PROMPT_MS);
  if (isSseStream(stream)) await stream.next(REPLAY_READ_MS, () => false);
  await stream.close();
  const ids = stream.events.map(eventMessage).flatMap((m) => (m ? [m.id ?? m.method] : []));
  return { stream, ids };
}

function firstEventId(stream: SseStream): string | undefined {
  return stream.events.find((e) => e.id !== undefined && e.id !== '')?.id;
}

const SESSIONS = spec('2025-11-25', 'basic/transports#session-management');

const SESSION_HEADER = 'Mcp-Session-Id';

/** initializes SHTTP-SESSION-03 samples: enough to see a counter or a repeat, cheap enough for every run */
const SESSION_SAMPLE = 10;

/** A session with a server-issued id, or the skip outcome for a server that issues none. */
async function sessionWithId(ctx: CheckContext): Promise<HttpSession | Outcome> {
  const session = await ctx.http();
  return session.sessionId === undefined ? skip('the server issued no Mcp-Session-Id (sessions are optional)') : session;
}

export const streamableHttpChecks: readonly Check[] = [
  // ---- catalog section 6a, endpoint and POST rows (issue 3) ----
  {
    id: 'SHTTP-EP-01',
    title: 'One endpoint path serves both POST and GET',
    requirement: 'The server MUST provide a single HTTP endpoint path that supports both the POST and GET methods.',
    level: 'MUST',
    spec: `${TRANSPORT}#streamable-http`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const init = await session.request('initialize', initializeParams(ctx.revision));
      if (init.status !== 200 || !init.response || 'error' in init.response) {
        return violated('POST initialize to the endpoint: 200 with a result', `${describeStatus(init.status)} ${show(init.response)}`);
      }
      await session.notify('notifications/initialized', {});
      const stream = await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: 3000, readMs: 200 });
      const type = stream.headers['content-type'] ?? '';
      await stream.close();
      if (stream.status === 405) return ok('GET on the endpoint: 405 (no GET stream offered)');
      if (stream.status === 200 && type.startsWith('text/event-stream')) return ok();
      return violated('GET on the same path: 200 text/event-stream, or 405', `${describeStatus(stream.status)} ${type}`.trim());
    },
  },
  {
    id: 'SHTTP-POST-01',
    title: 'An accepted notification POST gets 202 with no body',
    requirement: 'If the POST body is a notification or response the server accepts, it MUST return 202 Accepted with no body.',
    level: 'MUST',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const init = await session.request('initialize', initializeParams(ctx.revision));
      if (!init.response || 'error' in init.response) return violated('a successful initialize', show(init.response));
      const reply = await session.notify('notifications/initialized', {});
      if (reply.status !== 202) return violated('202', describeStatus(reply.status));
      if (reply.body) return violated('an empty body', show(reply.body));
      return ok();
    },
  },
  {
    id: 'SHTTP-POST-02',
    title: 'A notification the server cannot accept gets an HTTP error',
    requirement:
      'If the server cannot accept a notification or response POST, it MUST answer with an HTTP error status (e.g. 400); a JSON-RPC error body MAY be included, without an id.',
    level: 'MUST',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const reply = await postBody(session, { jsonrpc: '2.0', method: 123 });
      if (reply.status < 400 || reply.status > 499) return violated('a 4xx status', describeStatus(reply.status, reply.error));
      const body = reply.body ? parseJson(reply.body) : undefined;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const id = (body as { id?: unknown }).id;
        if (id !== undefined && id !== null) return violated('an error body without an id (or id null)', show(body));
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-POST-03',
    title: 'A request POST is answered with JSON (one object) or an SSE stream',
    requirement:
      'A POST carrying a request MUST be answered with Content-Type text/event-stream or application/json; a JSON body is exactly one response object with the request id.',
    level: 'MUST',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const id = 'post-03';
      const reply = await postBody(session, rawRequest(ctx.revision, id, harmlessMethod(ctx.revision)));
      const type = reply.contentType.toLowerCase();
      if (type.startsWith('text/event-stream')) return ok('answered as an SSE stream');
      if (!type.startsWith('application/json'))
        return violated('Content-Type application/json or text/event-stream', show(reply.contentType));
      const body = parseJson(reply.body);
      if (!body || typeof body !== 'object' || Array.isArray(body)) return violated('one JSON-RPC response object', show(reply.body));
      if (!sameId((body as { id?: unknown }).id, id)) return violated(`the response to id ${show(id)}`, show(body));
      return ok();
    },
  },
  {
    id: 'SHTTP-POST-04',
    title: 'A JSON-RPC error to a well-formed request comes with HTTP 200',
    requirement:
      'A well-formed request the server answers with a JSON-RPC error is answered in the normal envelope (HTTP 200 with JSON or SSE); a 4xx carrying the error is tolerated (tension T4).',
    level: 'INF',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('harness/unknown-method', {});
      const code = errorCode(reply.response);
      if (code === undefined) return violated('a JSON-RPC error for an unknown method', show(reply.response));
      if (reply.status === 200) return ok();
      if (reply.status !== undefined && reply.status >= 400 && reply.status < 500) {
        return underTension('T4', violated('HTTP 200 carrying the JSON-RPC error', `${reply.status} carrying error ${code}`, 'warn'));
      }
      return violated('HTTP 200 carrying the JSON-RPC error', describeStatus(reply.status));
    },
  },
  {
    id: 'SHTTP-POST-05',
    title: 'An unparseable POST body gets 400',
    requirement: 'A POST body that is not valid JSON is rejected with HTTP 400 (optionally carrying -32700 without an id).',
    level: 'INF',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.sendRaw('{bad');
      if (reply.status !== 400) return violated('400', describeStatus(reply.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-POST-06',
    title: 'A POST whose Accept lacks text/event-stream is refused or answered in JSON',
    requirement:
      'A POST whose Accept lists only application/json breaks a client MUST and the answer is unspecified (406 is common); an SSE stream the client did not accept, or a server error, is recorded.',
    level: 'INF',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({ Accept: 'application/json' });
      const type = reply.contentType.toLowerCase();
      if (reply.status >= 400 && reply.status < 500) return ok(`${reply.status}: refused`);
      if (reply.status === 200 && type.startsWith('application/json')) return ok('answered as JSON');
      return violated(
        '406 (or another 4xx), or a JSON answer the client accepts',
        `${describeStatus(reply.status, reply.error)} ${reply.contentType}`.trim(),
      );
    },
  },
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
      if (!(await waitFor(() => stream.ended, 2000)))
        return violated('the stream closed within 2 s of the response', 'still open after 2 s');
      return ok();
    },
  },
  {
    id: 'SHTTP-SSE-05',
    title: 'A dropped connection does not cancel the request',
    requirement:
      'A disconnect SHOULD NOT be interpreted as the client cancelling its request; the client can resume and receive the response.',
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
    requirement:
      'The server SHOULD immediately send an SSE event consisting of an event ID and an empty data field, to prime the client to reconnect.',
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
      if (await stream.next(PROMPT_MS, respondsTo(id)))
        return skip('the server kept the stream open until the response (no polling to judge)');
      if (!stream.ended) return skip(`no response within ${PROMPT_MS} ms and the stream is still open (SHTTP-SSE-01 reports it)`);
      if (!stream.events.some((e) => e.retry !== undefined)) {
        return violated('a retry field before the server closed the stream', `closed without one; events: ${showEvents(stream.events)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-GET-01',
    title: 'GET opens an SSE stream or answers 405',
    requirement: 'A GET to the MCP endpoint MUST return Content-Type text/event-stream or 405 Method Not Allowed.',
    level: 'MUST',
    spec: `${TRANSPORT}#listening-for-messages-from-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const stream = await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: 5000 });
      const type = stream.headers['content-type'] ?? '';
      await stream.close();
      if (stream.status === 405) return ok('405: the server offers no GET stream');
      if (stream.status === 200 && type.startsWith('text/event-stream')) return ok();
      // The official SDK answers a second stream 409: tension T1, a warning under --profile lenient.
      return underTension('T1', violated('200 text/event-stream, or 405', `${describeStatus(stream.status)} ${type}`.trim()));
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
  // ---- catalog section 6a, GET stream and multiple-stream rows that need a fixture (issue 3) ----
  {
    id: 'SHTTP-GET-03',
    title: 'The GET stream carries nothing about concurrent requests',
    requirement:
      'Requests and notifications the server sends on the GET stream SHOULD be unrelated to any concurrently running client request.',
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
      const ours = (m: JsonRpcMessage) =>
        m.method === 'notifications/progress' && sameIdValue((m.params as { progressToken?: unknown } | undefined)?.progressToken, id);
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
      const reply = await session.request(
        'tools/call',
        { name: ctx.fixtures.notifyTool, arguments: { closeGetStream: true } },
        { timeoutMs: PROMPT_MS },
      );
      if (!reply.response) return skip('the notify tool got no response (other checks report it)');
      // a server that ends the connection does so while handling the call, before its response
      if (!(await waitFor(() => get.ended, 1500))) return skip('the server kept the GET stream open (no polling to judge)');
      const retry = get.events.find((e) => e.retry !== undefined)?.retry;
      if (retry === undefined)
        return violated('a retry field before the server closed the GET stream', `closed without one; events: ${showEvents(get.events)}`);
      // the client must wait the retry interval; bounded, so that a huge value cannot stall the run
      await sleep(Math.min(retry, 1000));
      const last = lastEventId(get.events);
      const again =
        last === undefined
          ? await session.openStream({ method: 'GET', headers: streamGetHeaders(session), timeoutMs: PROMPT_MS })
          : await resumeStream(session, last, PROMPT_MS);
      if (!isSseStream(again)) {
        const how = last === undefined ? 'GET (no event id was sent to resume from)' : `GET with Last-Event-ID ${show(last)}`;
        return violated(
          `the reconnect (${how}) answered 200 text/event-stream`,
          `${describeStatus(again.status, again.error)} ${again.headers['content-type'] ?? ''}`.trim(),
        );
      }
      // for the evidence: what the reconnect replays (the notification sent while the stream was down)
      await again.next(QUIET_MS, (e) => eventMessage(e) !== undefined);
      return ok(last === undefined ? 'reconnected without Last-Event-ID: the server sent no event id' : undefined);
    },
  },
  {
    id: 'SHTTP-MULTI-01',
    title: 'Each message goes on exactly one stream',
    requirement:
      'The server MUST send each JSON-RPC message on only one of the connected streams; it MUST NOT broadcast a message across streams.',
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
      const copies = open.flatMap(([name, s]) =>
        messagesOf(s)
          .filter(listChanged)
          .map(() => name),
      );
      if (copies.length === 0)
        return skip('the server sent notifications/tools/list_changed on none of the open streams (nothing to count)');
      if (copies.length > 1)
        return violated('notifications/tools/list_changed on exactly one stream', `${copies.length} copies, on ${copies.join(', ')}`);
      return ok(`the notification came once, on ${copies[0]}`);
    },
  },
  {
    id: 'SHTTP-MULTI-02',
    title: 'A second concurrent GET gets SSE or 405',
    requirement:
      'A client MAY hold several SSE streams; a second concurrent GET in the session MUST still be answered with an SSE stream or 405.',
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
      return underTension(
        'T1',
        violated('the second GET answered 200 text/event-stream or 405', `${describeStatus(second.status, second.error)} ${type}`.trim()),
      );
    },
  },
  {
    id: 'SHTTP-RESUME-01',
    title: 'Event ids are unique across all streams of a session',
    requirement: 'If the server attaches ids to SSE events, they MUST be globally unique across all streams within that session.',
    level: 'MUST',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const a = await pingStream(ctx, session, 'resume-01-a');
      const b = await pingStream(ctx, session, 'resume-01-b');
      if (!a || !b) return skip('the server answered ping with JSON, not an SSE stream');
      const ids = [...a.events, ...b.events].flatMap((e) => (e.id ? [e.id] : []));
      if (ids.length === 0) return skip(NO_IDS);
      const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
      if (repeated !== undefined)
        return violated('event ids unique across the session', `id ${show(repeated)} on two streams: ${show(ids)}`);
      return ok();
    },
  },
  {
    id: 'SHTTP-RESUME-02',
    title: 'A replay carries only the disconnected stream',
    requirement: 'On a resume with Last-Event-ID the server MUST NOT replay messages that would have been delivered on a different stream.',
    level: 'MUST',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const a = await pingStream(ctx, session, 'resume-02-a');
      const b = await pingStream(ctx, session, 'resume-02-b');
      if (!a || !b) return skip('the server answered ping with JSON, not an SSE stream');
      const eA = firstEventId(a);
      if (eA === undefined) return skip(NO_IDS);
      const { stream, ids } = await replay(session, eA);
      if (!isSseStream(stream))
        return skip(`the server does not replay after Last-Event-ID (${describeStatus(stream.status, stream.error)})`);
      const foreign = ids.filter((id) => !sameIdValue(id, 'resume-02-a'));
      if (foreign.length > 0) {
        return violated(
          `only stream A's messages (response to "resume-02-a") after ${show(eA)}`,
          `replayed ${show(ids)}; events: ${showEvents(stream.events)}`,
        );
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-RESUME-03',
    title: 'A stream can be resumed with Last-Event-ID',
    requirement: 'The server MAY replay, after a GET with Last-Event-ID, the messages sent after that event on the disconnected stream.',
    level: 'MAY',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'resume-03';
      const stream = await postProgress(ctx.revision, ctx.fixtures.progressTool, session, id, 2, 20);
      if (!isSseStream(stream)) return skip('the server answered the progress call with JSON, not an SSE stream');
      await stream.next(PROMPT_MS, respondsTo(id));
      const first = firstEventId(stream);
      if (first === undefined) return skip(NO_IDS);
      const later = stream.events.slice(stream.events.findIndex((e) => e.id === first) + 1).filter((e) => eventMessage(e));
      const { stream: resumed, ids } = await replay(session, first);
      if (!isSseStream(resumed))
        return violated('200 text/event-stream replaying the stream', describeStatus(resumed.status, resumed.error));
      if (ids.length < later.length) {
        return violated(`the ${later.length} message(s) sent after ${show(first)} replayed`, `replayed ${show(ids)}`);
      }
      return ok();
    },
  },
  // ---- catalog section 6a, SESSION-01 recorded (issue 3) ----
  {
    id: 'SHTTP-SESSION-01',
    title: 'A session id comes with the InitializeResult',
    requirement:
      'A server MAY assign a session ID at initialization, in an Mcp-Session-Id header on the HTTP response carrying the InitializeResult.',
    level: 'MAY',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const init = await session.request('initialize', initializeParams(ctx.revision));
      if (!init.response || 'error' in init.response)
        return skip(`initialize did not succeed (${describeStatus(init.status)}): the lifecycle checks report it`);
      // the driver reads the id from the headers of exactly this response
      if (session.sessionId === undefined)
        return violated('an Mcp-Session-Id header on the InitializeResult response', 'none: the server runs without sessions');
      return ok(`session id issued (${session.sessionId.length} characters)`);
    },
  },
  {
    id: 'SHTTP-SESSION-02',
    title: 'The session id is visible ASCII',
    requirement: 'The session ID MUST only contain visible ASCII characters (0x21 to 0x7E).',
    level: 'MUST',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      if (!/^[\x21-\x7E]+$/.test(session.sessionId ?? '')) return violated('only characters 0x21-0x7E', show(session.sessionId));
      return ok();
    },
  },
  // ---- catalog section 6a, SESSION and PVER rows added by issue 3 ----
  {
    id: 'SHTTP-SESSION-03',
    title: 'Session ids are unique and not guessable',
    requirement: 'The session ID SHOULD be globally unique and cryptographically secure (not sequential, not short).',
    level: 'SHOULD',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const ids = await initializeMany(session, ctx.revision, SESSION_SAMPLE);
      if (ids.length === 0) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      if (ids.length < SESSION_SAMPLE)
        return violated(`a session id on each of ${SESSION_SAMPLE} initialize responses`, `${ids.length} ids`);
      if (new Set(ids).size !== ids.length) return violated(`${SESSION_SAMPLE} distinct session ids`, show(ids));
      const short = ids.find((id) => id.length < 16);
      if (short !== undefined) return violated('session ids of at least 16 characters', show(short));
      if (looksSequential(ids)) return violated('unpredictable session ids', `sequential: ${show(ids.slice(0, 3))}`);
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-04',
    title: 'A request without the session header gets 400',
    requirement: 'A server that requires a session SHOULD answer a non-initialize request without Mcp-Session-Id with 400 Bad Request.',
    level: 'SHOULD',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const reply = await session.probe({ [SESSION_HEADER]: undefined });
      if (reply.status !== 400) return violated('400', describeStatus(reply.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-05',
    title: 'A terminated session gets 404',
    requirement: 'After the session is terminated (DELETE), the server MUST answer requests carrying its id with 404 Not Found.',
    level: 'MUST',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const deleted = await session.send({ method: 'DELETE', headers: bodylessHeaders(session) });
      if (deleted.status === 405) return skip('the server does not allow clients to terminate sessions (DELETE 405)');
      if (deleted.status < 200 || deleted.status > 299) return violated('DELETE answered 2xx or 405', describeStatus(deleted.status));
      const after = await session.probe({});
      if (after.status !== 404) return violated('404 for a request on the terminated session', describeStatus(after.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-06',
    title: 'A session id the server never issued gets 404',
    requirement: 'A request with a session id the server never issued is treated like an expired session: 404 Not Found.',
    level: 'INF',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const reply = await session.probe({ [SESSION_HEADER]: `harness-${randomUUID()}` });
      // The spec leaves a never-issued id unspecified (tension T5): 404 like an expired session is preferred.
      if (reply.status !== 404) return underTension('T5', violated('404', describeStatus(reply.status), 'warn'));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-07',
    title: 'DELETE of a session succeeds or answers 405',
    requirement:
      'A client MAY DELETE its session; the server answers with success, or 405 Method Not Allowed if clients may not terminate sessions.',
    level: 'MAY',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const deleted = await session.send({ method: 'DELETE', headers: bodylessHeaders(session) });
      if (deleted.status === 405) return ok('405: clients may not terminate sessions');
      if (deleted.status >= 200 && deleted.status <= 299) return ok();
      return violated('DELETE answered 2xx or 405', describeStatus(deleted.status, deleted.error));
    },
  },
  {
    id: 'SHTTP-SESSION-08',
    title: 'Every initialize starts a fresh session',
    requirement:
      'An initialize without a session header always yields a new session, with an id distinct from the ids issued before, a terminated one included.',
    level: 'INF',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const first = await initializeOnce(session, ctx.revision, 1);
      if (first === undefined) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      const second = await initializeOnce(session, ctx.revision, 2);
      const [deleted] = await deleteSessions(session, [first]);
      // a server that does not let clients terminate sessions (405) cannot recycle a terminated id
      const third = await initializeOnce(session, ctx.revision, 3);
      await deleteSessions(session, [second, third].filter((id) => id !== undefined && id !== first) as string[]);
      if (second === undefined || third === undefined)
        return violated('a session id on every initialize response', show([first, second, third]));
      if (second === first) return violated('a second initialize to get a new session id', `the same id twice: ${show(first)}`);
      if (third === first || third === second) {
        return violated('an id never issued before', `${show(third)} again, after the DELETE of ${show(first)} answered ${deleted}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-PVER-01',
    title: 'An invalid MCP-Protocol-Version gets 400',
    requirement: 'A request with an invalid or unsupported MCP-Protocol-Version header MUST be answered with 400 Bad Request.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http();
      for (const value of ['1900-01-01', 'banana']) {
        const reply = await session.probe({ 'MCP-Protocol-Version': value });
        if (reply.status !== 400) return violated(`400 for MCP-Protocol-Version: ${value}`, describeStatus(reply.status));
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-PVER-02',
    title: 'A request without MCP-Protocol-Version is served',
    requirement:
      'Without an MCP-Protocol-Version header the server SHOULD assume the negotiated version (or 2025-03-26) rather than reject the request.',
    level: 'SHOULD',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({ 'MCP-Protocol-Version': undefined });
      const answer = reply.messages.find((m) => 'result' in m || 'error' in m);
      if (reply.status !== 200 || !answer || !('result' in answer)) {
        return violated('200 with a result', `${describeStatus(reply.status, reply.error)} ${show(answer ?? reply.body)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-PVER-03',
    title: 'An initialize without MCP-Protocol-Version is served',
    requirement: 'The MCP-Protocol-Version header belongs to the requests after initialize: an initialize POST without it is served.',
    level: 'INF',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      // the driver announces the version on initialize (so that a server insisting on it still gets tested): not here
      const reply = await session.request('initialize', initializeParams(ctx.revision), { headers: { 'MCP-Protocol-Version': undefined } });
      if (!reply.response || !('result' in reply.response)) {
        return violated(
          'an InitializeResult for an initialize without MCP-Protocol-Version',
          `${describeStatus(reply.status)} ${show(reply.response)}`,
        );
      }
      return ok();
    },
  },
];

/** A POST of `body` with the session's usual headers; an SSE answer is read up to its first message. */
function postBody(session: HttpSession, body: unknown): Promise<HttpReply> {
  return session.send({
    method: 'POST',
    headers: session.headersFor(),
    body: JSON.stringify(body),
    timeoutMs: 5000,
    until: (e) => e.data !== '',
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The JSON-RPC messages a stream carried. */
function messagesOf(stream: SseStream): JsonRpcMessage[] {
  return stream.events.flatMap((e) => {
    const m = eventMessage(e);
    return m ? [m] : [];
  });
}

/** One initialize POST without a session header; the Mcp-Session-Id it was answered with, if any. */
async function initializeOnce(session: HttpSession, revision: Revision, id: number): Promise<string | undefined> {
  const params = initializeParams(revision);
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params });
  // an SSE answer is read up to its first message: the session id is in the headers
  const reply = await session.send({
    method: 'POST',
    headers: session.headersFor('initialize', params),
    body,
    timeoutMs: 5000,
    until: (e) => e.data !== '',
  });
  return reply.headers['mcp-session-id'];
}

/** DELETE these sessions; the statuses, in order. */
async function deleteSessions(session: HttpSession, ids: readonly string[]): Promise<number[]> {
  const replies = await Promise.all(
    ids.map((id) => session.send({ method: 'DELETE', headers: bodylessHeaders(session, { [SESSION_HEADER]: id }), timeoutMs: 3000 })),
  );
  return replies.map((r) => r.status);
}

/**
 * `count` initialize POSTs without a session header, each read for its Mcp-Session-Id; every
 * session issued is deleted again. Returns the ids, or [] when the first answer carried none.
 */
async function initializeMany(session: HttpSession, revision: Revision, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await initializeOnce(session, revision, i + 1);
    if (id === undefined) {
      if (i === 0) return [];
      continue;
    }
    ids.push(id);
  }
  await deleteSessions(session, [...new Set(ids)]);
  return ids;
}

/** Most neighbouring ids differ only in one number that counts up: a counter, not a random value. */
function looksSequential(ids: readonly string[]): boolean {
  let steps = 0;
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1]!;
    const b = ids[i]!;
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    let q = 0;
    while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
    const x = Number.parseInt(a.slice(p, a.length - q) || '0', 16);
    const y = Number.parseInt(b.slice(p, b.length - q) || '0', 16);
    if (a.length - p - q <= 4 && Number.isFinite(x) && Number.isFinite(y) && y > x && y - x <= 16) steps++;
  }
  return steps * 2 >= ids.length - 1;
}
