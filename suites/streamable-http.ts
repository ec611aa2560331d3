/** Streamable HTTP, 2025 shape (catalog section 6a): POST and GET rules. */
import type { Revision } from '../drivers/protocol.js';
import { revisionRange } from '../drivers/protocol.js';
import type { Check } from './check.js';
import { ok, spec, violated } from './check.js';
import { describeStatus, initializeParams, show } from './probes.js';

export const STREAMABLE_2025: readonly Revision[] = revisionRange('2025-03-26', '2025-11-25');
const TRANSPORT = spec('2025-11-25', 'basic/transports');

export const streamableHttpChecks: readonly Check[] = [
  {
    id: 'SHTTP-POST-01',
    title: 'An accepted notification POST gets 202 with no body',
    requirement: 'If the POST body is a notification or response the server accepts, it MUST return 202 Accepted with no body.',
    level: 'MUST',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const init = await session.request('initialize', initializeParams(ctx.revision));
      if (!init.response || 'error' in init.response) return violated('a successful initialize', show(init.response));
      const reply = await session.notify('notifications/initialized', {});
      if (reply.status !== 202) return violated('202', describeStatus(reply.status));
      if (reply.body) return violated('an empty body', show(reply.body));
      return ok();
    },
  },
  {
    id: 'SHTTP-POST-05',
    title: 'An unparseable POST body gets 400',
    requirement: 'A POST body that is not valid JSON is rejected with HTTP 400 (optionally carrying -32700 without an id).',
    level: 'INF',
    spec: `${TRANSPORT}#sending-messages-to-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.sendRaw('{bad');
      if (reply.status !== 400) return violated('400', describeStatus(reply.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-GET-01',
    title: 'GET opens an SSE stream or answers 405',
    requirement: 'A GET to the MCP endpoint MUST return Content-Type text/event-stream or 405 Method Not Allowed.',
    level: 'MUST',
    spec: `${TRANSPORT}#listening-for-messages-from-the-server`,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const headers = { ...session.headersFor(), Accept: 'text/event-stream' };
      delete (headers as Record<string, string>)['Content-Type'];
      const stream = await session.openStream({ method: 'GET', headers, timeoutMs: 5000 });
      const type = stream.headers['content-type'] ?? '';
      await stream.close();
      if (stream.status === 405) return ok('405: the server offers no GET stream');
      if (stream.status === 200 && type.startsWith('text/event-stream')) return ok();
      return violated('200 text/event-stream, or 405', `${describeStatus(stream.status)} ${type}`.trim());
    },
  },
];
