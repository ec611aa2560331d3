/** Every conformance check, in catalog order. One file per area of the specification. */
import { authChecks } from './10-authorization.js';
import { batchingChecks } from './02-batching.js';
import type { Check } from './check.js';
import { jsonrpcChecks } from './jsonrpc.js';
import { legacySseChecks } from './09-legacy-sse.js';
import { lifecycleChecks } from './03-lifecycle.js';
import { messagesChecks } from './01-jsonrpc.js';
import { modernChecks } from './04-modern-protocol.js';
import { originChecks } from './origin.js';
import { progressChecks } from './progress.js';
import { resumabilityChecks } from './resumability.js';
import { securityChecks } from './07-http-security.js';
import { sessionChecks } from './sessions.js';
import { sseStreamsChecks } from './06-streamable-http.js';
import { statelessChecks } from './08-streamable-http-stateless.js';
import { stdioChecks } from './05-stdio.js';
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
