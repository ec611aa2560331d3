/** The legacy HTTP+SSE transport of 2024-11-05 (catalog section 9). */
import type { Check } from './check.js';
import { ok, spec, violated } from './check.js';
import { show } from './probes.js';

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
];
