/** The legacy HTTP+SSE transport of 2024-11-05 (catalog section 9). */
import type { Check } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { describeStatus, show } from './probes.js';

const LEGACY = spec('2024-11-05', 'basic/transports#http-with-sse');

export const legacySseChecks: readonly Check[] = [
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
      const reply = await session.send({ method: 'POST', url: url.toString(), headers: { 'Content-Type': 'application/json' }, body, timeoutMs: 3_000 });
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
];
