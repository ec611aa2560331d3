/** Faults of the modern stateless protocol, 2026-07-28 (catalog section 4). */
import type { FaultDef } from './def.js';
import { MODERN_FAULT_KINDS } from './groups.js';

export const MODERN_FAULTS = [
  {
    name: 'era-switch-global',
    description: 'a dual-era server whose era is one switch for the whole server: a 2026-07-28 request ends every open 2025 session',
    catches: ['MOD-COMPAT-02'],
    servers: ['sdk-dual'],
    serial: true,
  },
  {
    name: 'version-error-no-data',
    description: 'an unsupported protocol version is rejected without data.supported and data.requested',
    // the initialize rejection of a modern-only server (MOD-COMPAT-01) is the same -32022 error
    catches: ['MOD-VER-01', 'MOD-COMPAT-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'discover-missing-supported-versions',
    description: 'the server/discover result has no supportedVersions',
    // RPC-MSG-01 validates every result against the schema, where supportedVersions is required.
    catches: ['MOD-DISC-01', 'RPC-MSG-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'no-server-info-meta',
    description: 'results carry no _meta serverInfo',
    catches: ['MOD-DISC-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'meta-not-required',
    description: 'a request without _meta clientCapabilities is served as if it declared none',
    catches: ['MOD-META-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'discover-first-required',
    description: 'the server keeps per-connection state and refuses requests until server/discover was called',
    catches: ['MOD-STATE-01'],
    servers: ['sdk-stdio-modern'],
  },
  {
    name: 'log-without-level',
    description: 'tools/call sends a notifications/message although the request asked for no logLevel',
    catches: ['MOD-LOG-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'loglevel-unchecked',
    description: 'an unknown _meta logLevel is ignored instead of rejected with -32602',
    catches: ['MOD-LOG-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'server-request-on-stream',
    description: 'tools/call first sends a roots/list request to the client (a 2025 habit)',
    catches: ['MOD-PAT-01', 'H4-SSE-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'initialize-rejected-vaguely',
    description: 'a legacy initialize gets "Method not found", naming no supported version',
    catches: ['MOD-COMPAT-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'client-capability-unchecked',
    description:
      'a tool asks the client for input (elicitation) although the request declared no such capability, instead of failing with -32021',
    catches: ['MOD-CAP-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'capability-error-200',
    description: 'the -32021 missing-capability error goes out with HTTP 200 instead of 400',
    catches: ['MOD-CAP-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'request-state-unverified',
    description: 'the requestState a client echoes is trusted as it comes back: a tampered state is served',
    catches: ['MOD-MRTR-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'input-required-bare',
    description: 'an input-required result carries neither inputRequests nor requestState',
    catches: ['MOD-MRTR-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-ack-id-stringified',
    description: 'the subscriptions/listen acknowledgement carries the listen id as a string, whatever its JSON type',
    catches: ['MOD-SUB-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-filter-ignored',
    description: 'subscriptions/listen ignores the requested filter and subscribes to every change the server has',
    catches: ['MOD-SUB-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-notification-unstamped',
    description: 'change notifications on a listen go out without _meta subscriptionId',
    catches: ['MOD-SUB-03'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'cancelled-for-call',
    description:
      'the server sends notifications/cancelled for the tools/call it is answering, a use the 2026-07-28 revision reserves for ending listens',
    catches: ['MOD-SUB-04'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-dropped-on-shutdown',
    description: 'on shutdown the process exits with listens open, sending them no final result',
    catches: ['MOD-SUB-05'],
    servers: ['sdk-stdio-modern'],
  },
] as const satisfies readonly FaultDef[];
