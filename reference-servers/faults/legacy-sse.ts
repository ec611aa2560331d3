/** Faults of legacy HTTP+SSE and era fallback (catalog section 9). */
import type { FaultDef } from './def.js';
import { SSE } from './groups.js';

export const LEGACY_SSE_FAULTS = [
  {
    name: 'endpoint-not-first',
    description: 'the event stream sends another event before the endpoint event',
    catches: ['LSSE-EP-02'],
    servers: SSE,
  },
  {
    name: 'unknown-sse-session-200',
    description: 'a legacy POST for a sessionId with no open stream is acknowledged 202 and dropped',
    catches: ['LSSE-MSG-03'],
    servers: SSE,
  },
  {
    name: 'sse-single-endpoint',
    description: 'one endpoint for both: the endpoint event names the SSE URL itself, and POSTs are taken there',
    catches: ['LSSE-EP-01'],
    servers: SSE,
  },
  {
    name: 'progress-event-named',
    description: 'progress notifications go out on the legacy stream as `event: progress` instead of `event: message`',
    catches: ['LSSE-MSG-01'],
    // clients drop events of other types, so the progress checks see no progress at all
    alsoAffects: ['LC-PROG-01', 'RPC-NOT-01'],
    servers: SSE,
  },
  {
    name: 'legacy-sse-dropped',
    description: 'the server says it serves old clients, but the 2024-11-05 SSE and POST endpoints are gone (the old URL is a 404)',
    catches: ['COMPAT-SRV-01'],
    servers: ['min-http'],
  },
  {
    name: 'post-answer-in-body',
    description: 'a legacy POST of ping is answered 200 with the response in the HTTP body (as well as on the stream)',
    catches: ['LSSE-MSG-02'],
    servers: SSE,
  },
] as const satisfies readonly FaultDef[];
