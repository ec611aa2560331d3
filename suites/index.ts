/** Every conformance check, in catalog order. One file per area of the specification. */
import { authChecks } from './auth.js';
import { batchingChecks } from './batching.js';
import type { Check } from './check.js';
import { jsonrpcChecks } from './jsonrpc.js';
import { legacySseChecks } from './legacy-sse.js';
import { lifecycleChecks } from './lifecycle.js';
import { messagesChecks } from './messages.js';
import { modernChecks } from './modern.js';
import { originChecks } from './origin.js';
import { progressChecks } from './progress.js';
import { resumabilityChecks } from './resumability.js';
import { securityChecks } from './security.js';
import { sessionChecks } from './sessions.js';
import { sseStreamsChecks } from './sse-streams.js';
import { statelessChecks } from './stateless.js';
import { stdioChecks } from './stdio.js';
import { streamableHttpChecks } from './streamable-http.js';

export const ALL_CHECKS: readonly Check[] = [
  ...messagesChecks,
  ...jsonrpcChecks,
  ...batchingChecks,
  ...lifecycleChecks,
  ...progressChecks,
  ...modernChecks,
  ...stdioChecks,
  ...streamableHttpChecks,
  ...sseStreamsChecks,
  ...resumabilityChecks,
  ...sessionChecks,
  ...originChecks,
  ...securityChecks,
  ...statelessChecks,
  ...legacySseChecks,
  ...authChecks,
];

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
