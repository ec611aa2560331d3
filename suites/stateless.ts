/** Streamable HTTP, 2026-07-28 stateless shape, and the modern protocol's version errors (catalog sections 4 and 8a). */
import { ErrorCode, META, MODERN_REVISION } from '../drivers/protocol.js';
import type { Check } from './check.js';
import { ok, spec, violated } from './check.js';
import { describeStatus, errorCode, show } from './probes.js';

const HTTP4 = spec(MODERN_REVISION, 'basic/transports/streamable-http');
const UNSUPPORTED = '1900-01-01';

export const statelessChecks: readonly Check[] = [
  {
    id: 'H4-POST-01',
    title: 'An accepted notification POST gets 202 with no body',
    requirement: 'If the server accepts a notification POST, it MUST return 202 Accepted with no body.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.notify('notifications/cancelled', { requestId: 'harness-nope' });
      if (reply.status !== 202) return violated('202', describeStatus(reply.status));
      if (reply.body) return violated('an empty body', show(reply.body));
      return ok();
    },
  },
  {
    id: 'H4-HDR-03',
    title: 'An unknown method gets 404 with -32601',
    requirement: 'A request for an unknown method MUST be answered with HTTP 404 and a -32601 error.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('harness/no_such_method', {}, { id: 23 });
      if (reply.status !== 404) return violated('HTTP 404', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.MethodNotFound) return violated('error -32601', show(reply.response));
      return ok();
    },
  },
  {
    id: 'MOD-VER-01',
    title: 'An unsupported version gets -32022 naming the supported ones',
    requirement: 'A request for an unsupported protocol version MUST get UnsupportedProtocolVersionError (-32022) with data.supported and data.requested (HTTP 400).',
    level: 'MUST',
    spec: spec(MODERN_REVISION, 'basic/versioning'),
    transports: ['stdio', 'http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('server/discover', {}, {
        meta: { [META.protocolVersion]: UNSUPPORTED },
        headers: { 'MCP-Protocol-Version': UNSUPPORTED },
      });
      // HTTP pins the status; stdio has none (status stays undefined).
      if (reply.status !== undefined && reply.status !== 400) return violated('HTTP 400', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.UnsupportedProtocolVersion) return violated('error -32022', show(reply.response));
      const data = (reply.response?.error as { data?: { supported?: unknown; requested?: unknown } } | undefined)?.data;
      const supported = data?.supported;
      if (!Array.isArray(supported) || supported.length === 0 || data?.requested !== UNSUPPORTED) {
        return violated(`data.supported non-empty and data.requested "${UNSUPPORTED}"`, show(data));
      }
      return ok();
    },
  },
];
