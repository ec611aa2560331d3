/** Origin validation against DNS rebinding (catalog section 7), on both HTTP transports. */
import { REVISIONS, revisionRange } from '../drivers/protocol.js';
import type { HttpFamilySession } from '../drivers/session.js';
import type { Check, Outcome } from './check.js';
import { ok, spec, violated } from './check.js';
import { describeStatus } from './probes.js';

const SECURITY = spec('2025-11-25', 'basic/transports#security-warning');
const FOREIGN_ORIGIN = 'http://evil.example';

/**
 * The same harmless probe with and without a foreign Origin. The control probe first: a server
 * that rejects everything (or has died) must not pass a security check.
 */
async function foreignOriginStatus(session: HttpFamilySession): Promise<number | Outcome> {
  const control = await session.probe({});
  if (control.status < 200 || control.status > 299) {
    return violated('the harmless request without Origin succeeds (control)', describeStatus(control.status), 'info');
  }
  const reply = await session.probe({ Origin: FOREIGN_ORIGIN });
  return reply.status;
}

export const originChecks: readonly Check[] = [
  {
    id: 'SEC-ORIGIN-01',
    title: 'A foreign Origin is rejected',
    requirement: 'Servers MUST validate the Origin header on all incoming connections to prevent DNS rebinding attacks.',
    level: 'MUST',
    spec: SECURITY,
    transports: ['sse', 'http'],
    revisions: REVISIONS,
    async run(ctx) {
      const status = await foreignOriginStatus(await ctx.web());
      if (typeof status !== 'number') return status;
      if (status >= 400 && status <= 499) return ok(`rejected with ${status}`);
      return violated(`a 4xx rejection of Origin: ${FOREIGN_ORIGIN}`, describeStatus(status));
    },
  },
  {
    id: 'SEC-ORIGIN-02',
    title: 'A foreign Origin gets exactly 403',
    requirement: 'If the Origin header is present and invalid, servers MUST respond with 403 Forbidden.',
    level: 'MUST',
    spec: SECURITY,
    transports: ['sse', 'http'],
    revisions: revisionRange('2025-11-25'),
    async run(ctx) {
      const status = await foreignOriginStatus(await ctx.web());
      if (typeof status !== 'number') return status;
      if (status !== 403) return violated('403', describeStatus(status));
      return ok();
    },
  },
];
