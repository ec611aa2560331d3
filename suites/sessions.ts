/** Streamable HTTP sessions and the MCP-Protocol-Version header (catalog section 6a, SESSION and PVER rows). */
import { randomUUID } from 'node:crypto';
import { revisionRange } from '../drivers/protocol.js';
import type { HttpSession } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { describeStatus, show } from './probes.js';
import { STREAMABLE_2025 } from './streamable-http.js';

const SESSIONS = spec('2025-11-25', 'basic/transports#session-management');
const SESSION_HEADER = 'Mcp-Session-Id';

/** A session with a server-issued id, or the skip outcome for a server that issues none. */
async function sessionWithId(ctx: CheckContext): Promise<HttpSession | Outcome> {
  const session = await ctx.http();
  return session.sessionId === undefined ? skip('the server issued no Mcp-Session-Id (sessions are optional)') : session;
}

function isOutcome(value: HttpSession | Outcome): value is Outcome {
  return 'kind' in value;
}

export const sessionChecks: readonly Check[] = [
  {
    id: 'SHTTP-SESSION-02',
    title: 'The session id is visible ASCII',
    requirement: 'The session ID MUST only contain visible ASCII characters (0x21 to 0x7E).',
    level: 'MUST',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      if (!/^[\x21-\x7E]+$/.test(session.sessionId ?? '')) return violated('only characters 0x21-0x7E', show(session.sessionId));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-04',
    title: 'A request without the session header gets 400',
    requirement: 'A server that requires a session SHOULD answer a non-initialize request without Mcp-Session-Id with 400 Bad Request.',
    level: 'SHOULD',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const reply = await session.probe({ [SESSION_HEADER]: undefined });
      if (reply.status !== 400) return violated('400', describeStatus(reply.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-05',
    title: 'A terminated session gets 404',
    requirement: 'After the session is terminated (DELETE), the server MUST answer requests carrying its id with 404 Not Found.',
    level: 'MUST',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const headers = session.headersFor();
      delete (headers as Record<string, string>)['Content-Type'];
      const deleted = await session.send({ method: 'DELETE', headers });
      if (deleted.status === 405) return skip('the server does not allow clients to terminate sessions (DELETE 405)');
      if (deleted.status < 200 || deleted.status > 299) return violated('DELETE answered 2xx or 405', describeStatus(deleted.status));
      const after = await session.probe({});
      if (after.status !== 404) return violated('404 for a request on the terminated session', describeStatus(after.status));
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-06',
    title: 'A session id the server never issued gets 404',
    requirement: 'A request with a session id the server never issued is treated like an expired session: 404 Not Found.',
    level: 'INF',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const reply = await session.probe({ [SESSION_HEADER]: `harness-${randomUUID()}` });
      if (reply.status !== 404) return violated('404', describeStatus(reply.status), 'warn');
      return ok();
    },
  },
  {
    id: 'SHTTP-PVER-01',
    title: 'An invalid MCP-Protocol-Version gets 400',
    requirement: 'A request with an invalid or unsupported MCP-Protocol-Version header MUST be answered with 400 Bad Request.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http();
      for (const value of ['1900-01-01', 'banana']) {
        const reply = await session.probe({ 'MCP-Protocol-Version': value });
        if (reply.status !== 400) return violated(`400 for MCP-Protocol-Version: ${value}`, describeStatus(reply.status));
      }
      return ok();
    },
  },
];
