/** Streamable HTTP, 2025 shape (catalog section 6a): POST and GET rules. */
import type { Revision } from '../drivers/protocol.js';
import { revisionRange } from '../drivers/protocol.js';
import type { HttpReply, HttpSession } from '../drivers/session.js';
import type { Check } from './check.js';
import { ok, spec, underTension, violated } from './check.js';
import { describeStatus, errorCode, harmlessMethod, initializeParams, rawRequest, sameId, show, streamGetHeaders } from './probes.js';

export const STREAMABLE_2025: readonly Revision[] = revisionRange('2025-03-26', '2025-11-25');
const TRANSPORT = spec('2025-11-25', 'basic/transports');

export const streamableHttpChecks: readonly Check[] = [
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
      if (!type.startsWith('application/json')) return violated('Content-Type application/json or text/event-stream', show(reply.contentType));
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
      return violated('406 (or another 4xx), or a JSON answer the client accepts', `${describeStatus(reply.status, reply.error)} ${reply.contentType}`.trim());
    },
  },
];

/** A POST of `body` with the session's usual headers; an SSE answer is read up to its first message. */
function postBody(session: HttpSession, body: unknown): Promise<HttpReply> {
  return session.send({ method: 'POST', headers: session.headersFor(), body: JSON.stringify(body), timeoutMs: 5000, until: (e) => e.data !== '' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
