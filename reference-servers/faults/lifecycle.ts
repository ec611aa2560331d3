/** Faults of lifecycle: initialize, version negotiation, ping, cancellation, progress (catalog section 3). */
import type { FaultDef } from './def.js';
import { LEGACY_ERA, SSE, STDIO, STREAMABLE } from './groups.js';

export const LIFECYCLE_FAULTS = [
  {
    name: 'echo-unsupported-version',
    description: 'initialize echoes whatever protocolVersion the client asked for, even one it does not support',
    // The echo is both not a supported version (LC-VER-02) and not the latest one (LC-VER-03).
    catches: ['LC-VER-02', 'LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'counter-offer-oldest',
    description: 'for an unsupported version, initialize counter-offers the oldest version, not the latest',
    catches: ['LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'no-server-info',
    description: 'the initialize result has no serverInfo',
    catches: ['LC-INIT-02'],
    servers: LEGACY_ERA,
  },
  {
    name: 'ping-non-empty',
    description: 'ping answers {"pong":true} instead of an empty result',
    // the ping result also fails the revision's EmptyResult schema (strict), which RPC-MSG-01 validates
    catches: ['LC-PING-01', 'RPC-MSG-01'],
    servers: LEGACY_ERA,
  },
  {
    name: 'serve-before-initialize',
    description: 'requests are served before initialize, as if the session were already set up',
    catches: ['LC-INIT-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'version-flaky',
    description:
      'negotiation shifts the oldest version off the shared supported list: 2024-11-05 is echoed to the first client only, later ones get the latest version',
    catches: ['LC-VER-01'],
    // On the SDK servers the first client's echo is not observable per session; proven on min-http.
    servers: ['min-http'],
  },
  {
    name: 'request-before-initialized',
    description: 'right after the initialize result, before notifications/initialized, the server sends roots/list',
    catches: ['LC-ORDER-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'sampling-without-capability',
    description: 'once initialized, the server sends sampling/createMessage whatever capabilities the client declared',
    catches: ['LC-OP-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'ping-before-initialized-rejected',
    description: 'every request but initialize, ping included, is refused until notifications/initialized arrives',
    catches: ['LC-PING-02'],
    servers: STDIO,
  },
  {
    name: 'cancel-unknown-crash',
    description: 'a notifications/cancelled for a request that is not in flight crashes the server (an unchecked lookup)',
    catches: ['LC-CANC-01'],
    servers: STDIO,
  },
  {
    name: 'cancel-ignored',
    description: 'notifications/cancelled is ignored: the cancelled request runs to the end and is answered',
    catches: ['LC-CANC-02', 'STDIO-R4-02'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE, ...STREAMABLE],
  },
  {
    name: 'progress-non-monotonic',
    description: 'every progress notification reports the total instead of the running count, so progress does not increase',
    catches: ['LC-PROG-01'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE, 'sdk-http-sse', 'min-http'],
  },
  {
    name: 'progress-after-response',
    description: 'one more progress notification is sent after the response to the request',
    catches: ['LC-PROG-01'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE],
  },
  {
    name: 'progress-empty-message',
    description: 'progress notifications carry an empty message',
    catches: ['LC-PROG-02'],
    // not the legacy SSE servers: they serve 2024-11-05 only, before progress had a message
    servers: [...STDIO, 'sdk-stdio-modern', 'sdk-http-sse', 'min-http'],
  },
] as const satisfies readonly FaultDef[];
