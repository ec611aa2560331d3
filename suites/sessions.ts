/** Streamable HTTP sessions and the MCP-Protocol-Version header (catalog section 6a, SESSION and PVER rows). */
import { randomUUID } from 'node:crypto';
import type { Revision } from '../drivers/protocol.js';
import { revisionRange } from '../drivers/protocol.js';
import type { HttpSession } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { isOutcome, ok, skip, spec, underTension, violated } from './check.js';
import { bodylessHeaders, describeStatus, initializeParams, show } from './probes.js';
import { STREAMABLE_2025 } from './streamable-http.js';

const SESSIONS = spec('2025-11-25', 'basic/transports#session-management');
const SESSION_HEADER = 'Mcp-Session-Id';
/** initializes SHTTP-SESSION-03 samples: enough to see a counter or a repeat, cheap enough for every run */
const SESSION_SAMPLE = 10;

/** A session with a server-issued id, or the skip outcome for a server that issues none. */
async function sessionWithId(ctx: CheckContext): Promise<HttpSession | Outcome> {
  const session = await ctx.http();
  return session.sessionId === undefined ? skip('the server issued no Mcp-Session-Id (sessions are optional)') : session;
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
      const deleted = await session.send({ method: 'DELETE', headers: bodylessHeaders(session) });
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
      // The spec leaves a never-issued id unspecified (tension T5): 404 like an expired session is preferred.
      if (reply.status !== 404) return underTension('T5', violated('404', describeStatus(reply.status), 'warn'));
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
  // ---- catalog section 6a, SESSION and PVER rows added by issue 3 ----
  {
    id: 'SHTTP-SESSION-03',
    title: 'Session ids are unique and not guessable',
    requirement: 'The session ID SHOULD be globally unique and cryptographically secure (not sequential, not short).',
    level: 'SHOULD',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const ids = await initializeMany(session, ctx.revision, SESSION_SAMPLE);
      if (ids.length === 0) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      if (ids.length < SESSION_SAMPLE) return violated(`a session id on each of ${SESSION_SAMPLE} initialize responses`, `${ids.length} ids`);
      if (new Set(ids).size !== ids.length) return violated(`${SESSION_SAMPLE} distinct session ids`, show(ids));
      const short = ids.find((id) => id.length < 16);
      if (short !== undefined) return violated('session ids of at least 16 characters', show(short));
      if (looksSequential(ids)) return violated('unpredictable session ids', `sequential: ${show(ids.slice(0, 3))}`);
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-07',
    title: 'DELETE of a session succeeds or answers 405',
    requirement: 'A client MAY DELETE its session; the server answers with success, or 405 Method Not Allowed if clients may not terminate sessions.',
    level: 'MAY',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await sessionWithId(ctx);
      if (isOutcome(session)) return session;
      const deleted = await session.send({ method: 'DELETE', headers: bodylessHeaders(session) });
      if (deleted.status === 405) return ok('405: clients may not terminate sessions');
      if (deleted.status >= 200 && deleted.status <= 299) return ok();
      return violated('DELETE answered 2xx or 405', describeStatus(deleted.status, deleted.error));
    },
  },
  {
    id: 'SHTTP-PVER-02',
    title: 'A request without MCP-Protocol-Version is served',
    requirement:
      'Without an MCP-Protocol-Version header the server SHOULD assume the negotiated version (or 2025-03-26) rather than reject the request.',
    level: 'SHOULD',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({ 'MCP-Protocol-Version': undefined });
      const answer = reply.messages.find((m) => 'result' in m || 'error' in m);
      if (reply.status !== 200 || !answer || !('result' in answer)) {
        return violated('200 with a result', `${describeStatus(reply.status, reply.error)} ${show(answer ?? reply.body)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-SESSION-08',
    title: 'Every initialize starts a fresh session',
    requirement:
      'An initialize without a session header always yields a new session, with an id distinct from the ids issued before, a terminated one included.',
    level: 'INF',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const first = await initializeOnce(session, ctx.revision, 1);
      if (first === undefined) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      const second = await initializeOnce(session, ctx.revision, 2);
      const [deleted] = await deleteSessions(session, [first]);
      // a server that does not let clients terminate sessions (405) cannot recycle a terminated id
      const third = await initializeOnce(session, ctx.revision, 3);
      await deleteSessions(session, [second, third].filter((id) => id !== undefined && id !== first) as string[]);
      if (second === undefined || third === undefined) return violated('a session id on every initialize response', show([first, second, third]));
      if (second === first) return violated('a second initialize to get a new session id', `the same id twice: ${show(first)}`);
      if (third === first || third === second) {
        return violated('an id never issued before', `${show(third)} again, after the DELETE of ${show(first)} answered ${deleted}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-PVER-03',
    title: 'An initialize without MCP-Protocol-Version is served',
    requirement: 'The MCP-Protocol-Version header belongs to the requests after initialize: an initialize POST without it is served.',
    level: 'INF',
    spec: spec('2025-11-25', 'basic/transports#protocol-version-header'),
    transports: ['http'],
    revisions: revisionRange('2025-06-18', '2025-11-25'),
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      // the driver announces the version on initialize (so that a server insisting on it still gets tested): not here
      const reply = await session.request('initialize', initializeParams(ctx.revision), { headers: { 'MCP-Protocol-Version': undefined } });
      if (!reply.response || !('result' in reply.response)) {
        return violated('an InitializeResult for an initialize without MCP-Protocol-Version', `${describeStatus(reply.status)} ${show(reply.response)}`);
      }
      return ok();
    },
  },
  // ---- catalog section 6a, SESSION-01 recorded (issue 3) ----
  {
    id: 'SHTTP-SESSION-01',
    title: 'A session id comes with the InitializeResult',
    requirement: 'A server MAY assign a session ID at initialization, in an Mcp-Session-Id header on the HTTP response carrying the InitializeResult.',
    level: 'MAY',
    spec: SESSIONS,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const init = await session.request('initialize', initializeParams(ctx.revision));
      if (!init.response || 'error' in init.response) return skip(`initialize did not succeed (${describeStatus(init.status)}): the lifecycle checks report it`);
      // the driver reads the id from the headers of exactly this response
      if (session.sessionId === undefined) return violated('an Mcp-Session-Id header on the InitializeResult response', 'none: the server runs without sessions');
      return ok(`session id issued (${session.sessionId.length} characters)`);
    },
  },
];

/** One initialize POST without a session header; the Mcp-Session-Id it was answered with, if any. */
async function initializeOnce(session: HttpSession, revision: Revision, id: number): Promise<string | undefined> {
  const params = initializeParams(revision);
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params });
  // an SSE answer is read up to its first message: the session id is in the headers
  const reply = await session.send({ method: 'POST', headers: session.headersFor('initialize', params), body, timeoutMs: 5000, until: (e) => e.data !== '' });
  return reply.headers['mcp-session-id'];
}

/** DELETE these sessions; the statuses, in order. */
async function deleteSessions(session: HttpSession, ids: readonly string[]): Promise<number[]> {
  const replies = await Promise.all(
    ids.map((id) => session.send({ method: 'DELETE', headers: bodylessHeaders(session, { [SESSION_HEADER]: id }), timeoutMs: 3000 })),
  );
  return replies.map((r) => r.status);
}

/**
 * `count` initialize POSTs without a session header, each read for its Mcp-Session-Id; every
 * session issued is deleted again. Returns the ids, or [] when the first answer carried none.
 */
async function initializeMany(session: HttpSession, revision: Revision, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await initializeOnce(session, revision, i + 1);
    if (id === undefined) {
      if (i === 0) return [];
      continue;
    }
    ids.push(id);
  }
  await deleteSessions(session, [...new Set(ids)]);
  return ids;
}

/** Most neighbouring ids differ only in one number that counts up: a counter, not a random value. */
function looksSequential(ids: readonly string[]): boolean {
  let steps = 0;
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1]!;
    const b = ids[i]!;
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    let q = 0;
    while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
    const x = Number.parseInt(a.slice(p, a.length - q) || '0', 16);
    const y = Number.parseInt(b.slice(p, b.length - q) || '0', 16);
    if (a.length - p - q <= 4 && Number.isFinite(x) && Number.isFinite(y) && y > x && y - x <= 16) steps++;
  }
  return steps * 2 >= ids.length - 1;
}
