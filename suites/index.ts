/**
 * Every conformance check, in catalog order: the suite file of each section of the sections
 * table, in the table's order. CHECKS_BY_FILE is the one place that ties a file name of the table
 * to the checks that file exports.
 */
import { jsonrpcChecks } from './01-jsonrpc.js';
import { batchingChecks } from './02-batching.js';
import { lifecycleChecks } from './03-lifecycle.js';
import { modernProtocolChecks } from './04-modern-protocol.js';
import { stdioChecks } from './05-stdio.js';
import { streamableHttpChecks } from './06-streamable-http.js';
import { httpSecurityChecks } from './07-http-security.js';
import { statelessHttpChecks } from './08-streamable-http-stateless.js';
import { legacySseChecks } from './09-legacy-sse.js';
import { authorizationChecks } from './10-authorization.js';
import type { Check } from './check.js';
import { SECTIONS } from './sections.js';

export const CHECKS_BY_FILE: Readonly<Record<string, readonly Check[]>> = {
  '01-jsonrpc.ts': jsonrpcChecks,
  '02-batching.ts': batchingChecks,
  '03-lifecycle.ts': lifecycleChecks,
  '04-modern-protocol.ts': modernProtocolChecks,
  '05-stdio.ts': stdioChecks,
  '06-streamable-http.ts': streamableHttpChecks,
  '07-http-security.ts': httpSecurityChecks,
  '08-streamable-http-stateless.ts': statelessHttpChecks,
  '09-legacy-sse.ts': legacySseChecks,
  '10-authorization.ts': authorizationChecks,
};

export const ALL_CHECKS: readonly Check[] = SECTIONS.flatMap((s) => CHECKS_BY_FILE[s.file] ?? []);

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
