/**
 * Catalog section 7, HTTP security on both HTTP transports: Origin validation against DNS
 * rebinding (a foreign Origin refused with 403, local and absent ones served), Host, the bound
 * address, and the session rows of the security best practices (SEC-SESS-01/02), which need
 * authorization switched on. Checks in catalog order.
 */
import { REVISIONS, revisionRange } from '../drivers/protocol.js';
import type { HttpFamilySession } from '../drivers/session.js';
import type { Check, Outcome } from './check.js';
import { ok, spec, violated, skip, isOutcome } from './check.js';
import { describeStatus } from './probes.js';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { AUTH, authedSession, bearer, expect401 } from './probes-auth.js';

const SESSION_HIJACKING = spec('2025-06-18', 'basic/security_best_practices#session-hijacking');
const R1_R3 = revisionRange('2025-03-26', '2025-11-25');

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

const WEB: readonly ['sse', 'http'] = ['sse', 'http'];

/** The harmless probe without changes must succeed first: a server that refuses everything proves nothing. */
async function control(session: HttpFamilySession): Promise<Outcome | undefined> {
  const reply = await session.probe({});
  if (reply.status >= 200 && reply.status <= 299) return undefined;
  return violated('the harmless request succeeds (control)', describeStatus(reply.status, reply.error), 'info');
}

const LISTEN = '0A';

/** Listening sockets on `port` in /proc/net/tcp{,6}: [local address hex, inode]. */
function listeningOn(port: number): Array<{ address: string; inode: string }> {
  const out: Array<{ address: string; inode: string }> = [];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== LISTEN) continue;
      const [address, p] = (f[1] ?? '').split(':');
      if (p === hexPort && address !== undefined) out.push({ address, inode: f[9] ?? '' });
    }
  }
  return out;
}

/** The socket inodes this process holds: a target whose socket is among them was started by the harness. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return inodes;
  }
  for (const fd of fds.slice(0, 10_000)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // a descriptor closed meanwhile
    }
  }
  return inodes;
}

/** 127.x.x.x (hex, little-endian per word) or ::1, in /proc/net notation. */
function isLoopbackHex(address: string): boolean {
  if (address.length === 8) return address.endsWith('7F');
  if (address === '00000000000000000000000001000000') return true;
  // ::ffff:127.x.x.x
  return address.startsWith('0000000000000000FFFF0000') && address.endsWith('7F');
}

function showHexAddress(address: string): string {
  if (address.length !== 8) return address === '00000000000000000000000000000000' ? '[::]' : `IPv6 ${address}`;
  const bytes = (address.match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).reverse();
  return bytes.join('.');
}

export const httpSecurityChecks: readonly Check[] = [
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
  {
    id: 'SEC-ORIGIN-03',
    title: 'An absent or local Origin is accepted',
    requirement: "Requests without Origin (non-browser clients) and from the server's own localhost origin are served.",
    level: 'INF',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.web();
      const failed = await control(session);
      if (failed) return violated('a request without Origin is served', failed.kind === 'violated' ? failed.actual : '');
      const origin = `http://localhost:${new URL(session.url).port}`;
      const reply = await session.probe({ Origin: origin });
      if (reply.status < 200 || reply.status > 299)
        return violated(`Origin: ${origin} is served`, describeStatus(reply.status, reply.error));
      return ok();
    },
  },
  {
    id: 'SEC-HOST-01',
    title: 'A foreign Host is rejected',
    requirement: 'A localhost server rejects a request whose Host header names another host (DNS rebinding).',
    level: 'INF',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.web();
      const host = new URL(session.url).hostname;
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return skip(`the target is not on localhost (${host})`);
      const failed = await control(session);
      if (failed) return failed;
      const reply = await session.probe({ Host: 'evil.example' });
      if (reply.status >= 400 && reply.status <= 499) return ok(`rejected with ${reply.status}`);
      return violated('a 4xx rejection of Host: evil.example', describeStatus(reply.status, reply.error));
    },
  },
  {
    id: 'SEC-BIND-01',
    title: 'A local server listens on loopback only',
    requirement: 'A locally run server SHOULD bind only to localhost (127.0.0.1), not to every interface.',
    level: 'SHOULD',
    spec: SECURITY,
    transports: WEB,
    revisions: REVISIONS,
    async run(ctx) {
      // Only reads /proc: no traffic ever goes to a non-loopback address.
      const url = 'url' in ctx.target ? new URL(ctx.target.url) : undefined;
      const port = url ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : Number.NaN;
      if (!Number.isInteger(port)) return skip('no target URL');
      const own = ownSocketInodes();
      const sockets = listeningOn(port).filter((s) => own.has(s.inode));
      if (sockets.length === 0) return skip('the harness did not launch the target, or cannot see its sockets', { cause: 'harness' });
      const open = sockets.find((s) => !isLoopbackHex(s.address));
      if (open) return violated('listening on loopback only', `listening on ${showHexAddress(open.address)}:${port}`);
      return ok();
    },
  },
  {
    id: 'SEC-SESS-01',
    title: 'A session id is not a credential',
    requirement: 'Servers MUST NOT use sessions for authentication: a valid session id without Authorization gets 401.',
    level: 'MUST',
    spec: SESSION_HIJACKING,
    transports: ['http'],
    revisions: R1_R3,
    needs: AUTH,
    async run(ctx) {
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      if (session.sessionId === undefined) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      return expect401(await session.probe({ Authorization: undefined }), 'a request with a valid Mcp-Session-Id and no Authorization');
    },
  },
  {
    id: 'SEC-SESS-02',
    title: 'A session is bound to its user',
    requirement: "Servers SHOULD bind a session to the user: user A's session used with user B's valid token is refused (401, 403 or 404).",
    level: 'SHOULD',
    spec: SESSION_HIJACKING,
    transports: ['http'],
    revisions: R1_R3,
    needs: AUTH,
    async run(ctx) {
      const other = ctx.fixtures.authTokenOtherUser;
      if (!other)
        return skip("no second user's token was given (--auth-token-other-user)", { cause: 'token', option: '--auth-token-other-user' });
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      if (session.sessionId === undefined) return skip('the server issued no Mcp-Session-Id (sessions are optional)');
      const reply = await session.probe({ Authorization: bearer(other) });
      // 404: the SBP's own suggestion keys sessions by user, so another user's id is simply unknown.
      if (reply.status !== 401 && reply.status !== 403 && reply.status !== 404) {
        return violated("401, 403 or 404 for another user's token on this session", describeStatus(reply.status, reply.error));
      }
      return ok();
    },
  },
];
