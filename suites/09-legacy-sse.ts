/** Catalog section 9, the legacy HTTP+SSE transport of 2024-11-05 and the era fallback of a Streamable HTTP server (COMPAT-SRV-01). Checks in catalog order. */
import type { Check } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { revisionRange } from '../drivers/protocol.js';
import {
  describeStatus,
  eventMessage,
  initializeParams,
  isSseStream,
  rawRequest,
  respondsTo,
  resultOf,
  sameIdValue,
  sendAndFind,
  show,
  showEvents,
} from './probes.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';

const LEGACY = spec('2024-11-05', 'basic/transports#http-with-sse');

export const legacySseChecks: readonly Check[] = [
  // ---- section 9: the two endpoints and how messages travel (issue 3) ----
  {
    id: 'LSSE-EP-01',
    title: 'Two endpoints: an SSE stream to GET and a URI to POST to',
    requirement:
      'The server MUST provide two endpoints: an SSE endpoint, which a GET opens as 200 text/event-stream, and an HTTP POST endpoint for client messages.',
    level: 'MUST',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    async run(ctx) {
      // The handshake is POSTed to the endpoint URI: a session that opens has a working POST endpoint.
      const session = await ctx.sse();
      const stream = session.stream;
      const type = (stream.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (stream.status !== 200 || type !== 'text/event-stream') {
        return violated(
          'GET of the SSE URL → 200 text/event-stream',
          `${describeStatus(stream.status, stream.error)} ${type || 'no Content-Type'}`,
        );
      }
      const post = new URL(session.endpointUrl);
      const sse = new URL(session.url);
      if (post.origin === sse.origin && post.pathname === sse.pathname) {
        // Later revisions let the old POST endpoint be combined with another one, so one path for both is a warning.
        return violated(
          'a POST endpoint apart from the SSE endpoint',
          `the endpoint event names the SSE URL itself: ${session.endpointUrl}`,
          'warn',
        );
      }
      return ok(`SSE ${sse.pathname}, POST ${post.pathname}`);
    },
  },
  {
    id: 'LSSE-EP-02',
    title: 'The first event is endpoint, carrying the POST URI',
    requirement: 'When a client connects, the server MUST send an endpoint event containing the URI for the client to POST messages to.',
    level: 'MUST',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    async run(ctx) {
      const session = await ctx.sse({ initialize: false });
      const first = session.stream.events[0];
      if (first?.event !== 'endpoint') return violated('first event: endpoint', `first event: ${show(first)}`);
      if (!first.data.trim()) return violated('a URI in the endpoint event', 'empty data');
      return ok(`endpoint ${session.endpointUrl}`);
    },
  },
  {
    id: 'LSSE-MSG-01',
    title: 'Server messages are message events carrying JSON',
    requirement:
      'Every server message, responses and notifications alike, MUST be sent on the stream as an SSE message event whose data is the JSON-RPC message.',
    level: 'MUST',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.sse();
      const params = { name: ctx.fixtures.progressTool, arguments: { steps: 2, intervalMs: 10 } };
      const reply = await session.request('tools/call', params, {
        id: 'harness-lsse-1',
        meta: { progressToken: 'harness-lsse-1' },
        timeoutMs: 3_000,
      });
      const events = session.stream.events.filter((e) => !e.noData && e.event !== 'endpoint');
      const wrong = events.find((e) => (e.event ?? 'message') !== 'message' || eventMessage(e) === undefined);
      if (wrong)
        return violated(
          'every server message as event: message with one JSON-RPC object as data',
          `event ${show(wrong.event)}: ${show(wrong.data)}`,
        );
      if (!reply.response || !events.some((e) => sameIdValue(eventMessage(e)?.id, 'harness-lsse-1'))) {
        return violated('the tools/call response as a message event', showEvents(events));
      }
      return ok();
    },
  },
  {
    id: 'LSSE-MSG-02',
    title: 'A POST is acknowledged 2xx, the response goes on the stream',
    requirement:
      'A POST to the endpoint URI is acknowledged with a 2xx status (commonly 202); the response travels on the SSE stream, not in the HTTP body.',
    level: 'INF',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    async run(ctx) {
      const session = await ctx.sse();
      const id = 'harness-ack-1';
      const answers = (m: JsonRpcMessage) => m.method === undefined && sameIdValue(m.id, id);
      const { found, reply } = await sendAndFind(session, JSON.stringify(rawRequest(ctx.revision, id, 'ping')), answers, 3_000);
      if (reply.status === undefined || reply.status < 200 || reply.status > 299)
        return violated('a 2xx acknowledgement (commonly 202)', describeStatus(reply.status));
      if (inBody(reply.body))
        return violated('the response on the stream only, not in the POST body', `${reply.status} ${show(reply.body)}`);
      if (!found) return violated('the ping response on the stream', show(reply.messages));
      return ok(`acknowledged ${reply.status}`);
    },
  },
  {
    id: 'LSSE-MSG-03',
    title: 'A POST for an unknown session gets 4xx',
    requirement: 'A POST whose sessionId names no open event stream is rejected with a 4xx status.',
    level: 'INF',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    async run(ctx) {
      const session = await ctx.sse({ initialize: false });
      const url = new URL(session.endpointUrl);
      const param = [...url.searchParams.keys()].find((k) => /session/i.test(k));
      if (!param) return skip(`the endpoint URI carries no session parameter: ${session.endpointUrl}`);
      url.searchParams.set(param, 'harness-no-such-session');
      const body = JSON.stringify({ jsonrpc: '2.0', id: 71, method: 'ping' });
      const reply = await session.send({
        method: 'POST',
        url: url.toString(),
        headers: { 'Content-Type': 'application/json' },
        body,
        timeoutMs: 3_000,
      });
      if (reply.status >= 400 && reply.status <= 499) return ok(`rejected with ${reply.status}`);
      return violated(`a 4xx for ${param}=harness-no-such-session`, describeStatus(reply.status, reply.error));
    },
  },
  {
    id: 'LSSE-SEC-01',
    title: 'The event stream validates Origin',
    requirement: 'Servers MUST validate the Origin header of incoming connections: a foreign Origin is rejected.',
    level: 'MUST',
    spec: LEGACY,
    transports: ['sse'],
    revisions: ['2024-11-05'],
    async run(ctx) {
      const session = await ctx.sse({ initialize: false });
      const control = await session.probe({});
      if (control.status < 200 || control.status > 299) {
        return violated('the event stream opens without Origin (control)', describeStatus(control.status, control.error), 'info');
      }
      const reply = await session.probe({ Origin: 'http://evil.example' });
      if (reply.status >= 400 && reply.status <= 499) return ok(`rejected with ${reply.status}`);
      return violated('a 4xx rejection of Origin: http://evil.example', describeStatus(reply.status, reply.error));
    },
  },
  {
    id: 'COMPAT-SRV-01',
    title: 'A server for old clients also hosts the HTTP+SSE endpoints',
    requirement:
      'A Streamable HTTP server that supports older clients should keep hosting the SSE and POST endpoints of the 2024-11-05 transport: its SSE URL opens a stream whose endpoint event names a POST URI that serves initialize.',
    level: 'SHOULD',
    spec: spec('2025-11-25', 'basic/transports#backwards-compatibility'),
    transports: ['http'],
    revisions: revisionRange('2025-03-26', '2025-11-25'),
    async run(ctx) {
      const url = ctx.fixtures.legacySseUrl;
      if (!url) return skip('no legacy HTTP+SSE URL was given (--sse-url beside --url)');
      const session = await ctx.http({ initialize: false });
      const base = ctx.target.transport === 'stdio' ? {} : (ctx.target.headers ?? {});
      // The stream's deadline is its whole life: it must outlast the POST and the answer (closed with the session).
      const stream = await session.openStream({ method: 'GET', url, headers: { ...base, Accept: 'text/event-stream' }, timeoutMs: 10_000 });
      if (!isSseStream(stream)) {
        return violated(
          `GET ${url} → 200 text/event-stream`,
          `${describeStatus(stream.status, stream.error)} ${stream.headers['content-type'] ?? ''}`,
        );
      }
      const endpoint = await stream.next(3_000, (e) => e.event === 'endpoint');
      if (!endpoint) return violated('an endpoint event on the legacy stream', showEvents(stream.events));
      let post: string;
      try {
        post = new URL(endpoint.data.trim(), url).href;
      } catch {
        return violated('a URI in the endpoint event', show(endpoint.data));
      }
      const id = 'harness-compat-1';
      const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: initializeParams('2024-11-05') });
      const ack = await session.send({
        method: 'POST',
        url: post,
        headers: { ...base, 'Content-Type': 'application/json' },
        body,
        timeoutMs: 3_000,
      });
      if (ack.status < 200 || ack.status > 299) return violated(`POST initialize to ${post} → 2xx`, describeStatus(ack.status, ack.error));
      const answer = await stream.next(3_000, respondsTo(id));
      if (!answer || !resultOf(eventMessage(answer)))
        return violated('the initialize result on the legacy stream', showEvents(stream.events));
      return ok(`legacy endpoints: ${url}, ${post}`);
    },
  },
];

/** A POST body that carries a JSON-RPC response (or several). */
function inBody(body: string | undefined): boolean {
  if (!body?.trim()) return false;
  try {
    const value: unknown = JSON.parse(body);
    const items = Array.isArray(value) ? value : [value];
    return items.some((m) => !!m && typeof m === 'object' && ('result' in m || 'error' in m));
  } catch {
    return false;
  }
}
