/** Every conformance check, in catalog order. One file per area of the specification. */
import type { Check } from './check.js';
import { jsonrpcChecks } from './jsonrpc.js';
import { legacySseChecks } from './legacy-sse.js';
import { lifecycleChecks } from './lifecycle.js';
import { originChecks } from './origin.js';
import { sessionChecks } from './sessions.js';
import { statelessChecks } from './stateless.js';
import { stdioChecks } from './stdio.js';
import { streamableHttpChecks } from './streamable-http.js';

export const ALL_CHECKS: readonly Check[] = [
  ...jsonrpcChecks,
  ...lifecycleChecks,
  ...statelessChecks,
  ...stdioChecks,
  ...streamableHttpChecks,
  ...sessionChecks,
  ...originChecks,
  ...legacySseChecks,
];

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
