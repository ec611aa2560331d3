/**
 * Catalog section 10, authorization (10a): the MCP server as an OAuth resource server. Auth is
 * optional: every check here needs the target to be given a token (`--auth-token`), which the
 * driver puts on every request; a probe removes or replaces that one header and nothing else. The
 * probes section 7's session rows share are in probes-auth.ts. Checks in catalog order.
 */
import { isModern, revisionRange } from '../drivers/protocol.js';
import type { Revision } from '../drivers/protocol.js';
import type { HttpReply, HttpSession } from '../drivers/session.js';
import type { Check, CheckContext } from './check.js';
import { isOutcome, ok, skip, spec, violated } from './check.js';
import { describeStatus, harmlessMethod, initializeParams, rawRequest, resultOf, show } from './probes.js';
import { AUTH, authedSession, bearer, expect401 } from './probes-auth.js';

const AUTHZ = (anchor: string) => spec('2025-11-25', `basic/authorization#${anchor}`);

const R1_R4 = revisionRange('2025-03-26');

const R2_R4 = revisionRange('2025-06-18');

const R3_R4 = revisionRange('2025-11-25');

const R4 = revisionRange('2026-07-28');

const INVALID_TOKEN = 'Bearer harness-invalid-token';

const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The request a client opens with, on a session that has not handshaken: initialize (legacy
 * era) or server/discover (2026-07-28), with the Authorization header set to `authorization`
 * (undefined: none), optionally to another URL (a query string).
 */
function opening(session: HttpSession, revision: Revision, authorization: string | undefined, url?: string): Promise<HttpReply> {
  const method = isModern(revision) ? harmlessMethod(revision) : 'initialize';
  const params = isModern(revision) ? {} : initializeParams(revision);
  const headers = stripAuth(session.headersFor(method, params));
  if (authorization !== undefined) headers['Authorization'] = authorization;
  return session.send({
    method: 'POST',
    ...(url === undefined ? {} : { url }),
    headers,
    body: JSON.stringify(rawRequest(revision, 1, method, params)),
  });
}

/**
 * A 401 to read the challenge from: the opening request without a token, or, for a server that
 * lets anonymous requests through, with an invalid one. Either must carry the challenge.
 */
async function challenged(ctx: CheckContext): Promise<HttpReply | undefined> {
  const session = await ctx.http({ initialize: false });
  const bare = await opening(session, ctx.revision, undefined);
  if (bare.status === 401) return bare;
  const invalid = await opening(session, ctx.revision, INVALID_TOKEN);
  return invalid.status === 401 ? invalid : undefined;
}

/**
 * The Bearer challenge's auth-params (RFC 7235: name=token or name="quoted string"), names in
 * lower case; the first occurrence wins. Undefined when there is no Bearer challenge.
 */
function bearerParams(header: string | undefined): Record<string, string> | undefined {
  const start = header?.search(/(^|[\s,])Bearer(\s|,|$)/i) ?? -1;
  if (header === undefined || start < 0) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g;
  re.lastIndex = start;
  for (let m = re.exec(header); m !== null; m = re.exec(header)) {
    params[m[1]!.toLowerCase()] ??= m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return params;
}

function challengeOf(reply: HttpReply): Record<string, string> | undefined {
  return bearerParams(reply.headers['www-authenticate']);
}

interface PrmFound {
  url: string;
  reply: HttpReply;
  doc: Record<string, unknown>;
}

/** Where RFC 9728 and the spec say the PRM is: the challenge's resource_metadata, else the path-inserted well-known URI, else the root one. */
function prmCandidates(mcpUrl: string, challenge: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  if (challenge?.resource_metadata) out.push(challenge.resource_metadata);
  const u = new URL(mcpUrl);
  const path = u.pathname.replace(/\/+$/, '');
  if (path !== '') out.push(`${u.origin}${PRM_WELL_KNOWN}${path}`);
  out.push(`${u.origin}${PRM_WELL_KNOWN}`);
  return out;
}

/** The first candidate that answers 200 with a JSON object, and every URL tried. */
async function findPrm(
  session: HttpSession,
  challenge: Record<string, string> | undefined,
): Promise<{ found?: PrmFound; tried: string[] }> {
  const tried: string[] = [];
  for (const url of prmCandidates(session.url, challenge)) {
    const reply = await session.send({ method: 'GET', url, headers: { Accept: 'application/json' } });
    tried.push(`${url} → ${describeStatus(reply.status, reply.error)}`);
    if (reply.status !== 200) continue;
    try {
      const doc = JSON.parse(reply.body) as unknown;
      if (doc && typeof doc === 'object' && !Array.isArray(doc))
        return { found: { url, reply, doc: doc as Record<string, unknown> }, tried };
    } catch {
      tried[tried.length - 1] += ' (not JSON)';
    }
  }
  return { tried };
}

/** The PRM of the target, found from the challenge (or the well-known URIs when there is none). */
async function prmOf(ctx: CheckContext): Promise<{ found?: PrmFound; tried: string[] }> {
  const reply = await challenged(ctx);
  const session = await ctx.http({ initialize: false });
  return findPrm(session, reply ? challengeOf(reply) : undefined);
}

/** tools/call of `tool` (the echo tool gets its argument) with `token` in place of the session's own. */
function callWithToken(ctx: CheckContext, session: HttpSession, tool: string, token: string, id: string): Promise<HttpReply> {
  const params = { name: tool, arguments: tool === ctx.fixtures.echoTool ? { text: 'scope probe' } : {} };
  return session.send({
    method: 'POST',
    headers: { ...stripAuth(session.headersFor('tools/call', params)), Authorization: bearer(token) },
    body: JSON.stringify(rawRequest(ctx.revision, id, 'tools/call', params)),
  });
}

/** The scopes a challenge's scope parameter names. */
function scopeSet(reply: HttpReply): Set<string> {
  return new Set((challengeOf(reply)?.scope ?? '').split(/\s+/).filter((s) => s !== ''));
}

export const authorizationChecks: readonly Check[] = [
  {
    id: 'AUTH-401-01',
    title: 'A request without a token gets 401',
    requirement: 'When authorization is required and not yet proven, the server MUST answer 401 Unauthorized.',
    level: 'MUST',
    spec: AUTHZ('error-handling'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      return expect401(await opening(session, ctx.revision, undefined), 'the opening request without Authorization');
    },
  },
  {
    id: 'AUTH-401-02',
    title: 'The 401 names the resource metadata',
    requirement: 'A 401 MUST carry WWW-Authenticate with the resource_metadata URL of the Protected Resource Metadata (RFC 9728 §5.1).',
    level: 'MUST',
    spec: spec('2025-06-18', 'basic/authorization#authorization-server-location'),
    transports: ['http'],
    revisions: ['2025-06-18'],
    needs: AUTH,
    async run(ctx) {
      const reply = await challenged(ctx);
      if (!reply) return skip('the server answered neither a tokenless nor an invalid-token request with 401 (AUTH-401-01, AUTH-TOK-01)');
      const params = challengeOf(reply);
      if (!params?.resource_metadata) {
        return violated('WWW-Authenticate: Bearer resource_metadata="…"', show(reply.headers['www-authenticate']));
      }
      return ok();
    },
  },
  {
    id: 'AUTH-401-03',
    title: 'The Protected Resource Metadata can be found',
    requirement:
      'The server MUST either name its Protected Resource Metadata in the 401 (resource_metadata) or serve it at the well-known URI (path-inserted, else root).',
    level: 'MUST',
    spec: AUTHZ('protected-resource-metadata-discovery-requirements'),
    transports: ['http'],
    revisions: R3_R4,
    needs: AUTH,
    async run(ctx) {
      const reply = await challenged(ctx);
      if (reply && challengeOf(reply)?.resource_metadata) return ok('resource_metadata in WWW-Authenticate');
      const session = await ctx.http({ initialize: false });
      const prm = await findPrm(session, undefined);
      if (prm.found) return ok(`no resource_metadata; PRM at ${prm.found.url}`);
      return violated(
        'resource_metadata in WWW-Authenticate, or a PRM JSON document at a well-known URI',
        `WWW-Authenticate ${show(reply?.headers['www-authenticate'])}; ${prm.tried.join('; ')}`,
      );
    },
  },
  {
    id: 'AUTH-401-04',
    title: 'The 401 names the scope',
    requirement: 'The WWW-Authenticate challenge of a 401 SHOULD include a scope parameter naming the scopes needed.',
    level: 'SHOULD',
    spec: AUTHZ('protected-resource-metadata-discovery-requirements'),
    transports: ['http'],
    revisions: R3_R4,
    needs: AUTH,
    async run(ctx) {
      const reply = await challenged(ctx);
      if (!reply) return skip('the server answered neither a tokenless nor an invalid-token request with 401 (AUTH-401-01, AUTH-TOK-01)');
      if (!challengeOf(reply)?.scope) return violated('WWW-Authenticate: Bearer … scope="…"', show(reply.headers['www-authenticate']));
      return ok();
    },
  },
  {
    id: 'AUTH-401-05',
    title: 'Every kind of request needs the token',
    requirement:
      'Authorization MUST be included in every HTTP request: the GET stream, DELETE and notification POSTs without a token are refused with 401.',
    level: 'MUST',
    spec: AUTHZ('access-token-usage'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const authed = await authedSession(ctx);
      if (isOutcome(authed)) return authed;
      const session = authed;
      const noToken = { Authorization: undefined };
      const notification = await session.notify(
        'notifications/cancelled',
        { requestId: 'harness-no-such-request', reason: 'auth probe' },
        { headers: noToken, timeoutMs: 500 },
      );
      if (notification.status !== 401)
        return violated('401 for a notification POST without Authorization', describeStatus(notification.status));
      // 2026-07-28 has no GET stream or DELETE: the notification is the whole probe there.
      if (isModern(ctx.revision)) return ok();
      const base = { ...session.headersFor() };
      delete base['Content-Type'];
      const get = await session.send({
        method: 'GET',
        headers: { ...stripAuth(base), Accept: 'text/event-stream' },
        timeoutMs: 3000,
        readMs: 500,
        maxEvents: 1,
      });
      // 405: the server offers no GET stream at all, so nothing is served without a token.
      if (get.status !== 401 && get.status !== 405)
        return violated('401 for the GET stream without Authorization', describeStatus(get.status, get.error));
      const del = await session.send({ method: 'DELETE', headers: stripAuth(base) });
      if (del.status !== 401 && del.status !== 405)
        return violated('401 for DELETE without Authorization', describeStatus(del.status, del.error));
      return ok(get.status === 405 || del.status === 405 ? 'GET or DELETE answered 405 (not offered)' : undefined);
    },
  },
  {
    id: 'AUTH-PRM-01',
    title: 'Protected Resource Metadata names an authorization server',
    requirement:
      'The server MUST serve RFC 9728 Protected Resource Metadata as JSON whose authorization_servers names at least one authorization server.',
    level: 'MUST',
    spec: AUTHZ('authorization-server-location'),
    transports: ['http'],
    revisions: R2_R4,
    needs: AUTH,
    async run(ctx) {
      const { found, tried } = await prmOf(ctx);
      if (!found) return violated('a PRM JSON document (resource_metadata, or the well-known URIs)', tried.join('; '));
      const type = found.reply.contentType.toLowerCase();
      if (!type.startsWith('application/json')) return violated('Content-Type: application/json', show(found.reply.contentType));
      const servers = found.doc.authorization_servers;
      if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string' && s !== '')) {
        return violated('authorization_servers: a non-empty array of issuer URLs', show(servers));
      }
      return ok();
    },
  },
  {
    id: 'AUTH-PRM-02',
    title: 'Protected Resource Metadata names this server as the resource',
    requirement: "The PRM's resource MUST be identical to the server's resource identifier, the MCP endpoint URL (RFC 9728 §3.3).",
    level: 'MUST',
    spec: AUTHZ('authorization-server-location'),
    transports: ['http'],
    revisions: R2_R4,
    needs: AUTH,
    async run(ctx) {
      const { found, tried } = await prmOf(ctx);
      // Nothing to compare: AUTH-PRM-01 fails; this one only notes it.
      if (!found) return violated('a PRM whose resource is the MCP URL', `no PRM found: ${tried.join('; ')}`, 'info');
      const resource = found.doc.resource;
      const url = ctx.target.transport === 'stdio' ? '' : ctx.target.url;
      if (resource !== url && !(typeof resource === 'string' && sameUrl(resource, url))) {
        return violated(`resource ${show(url)}`, show(resource));
      }
      return ok();
    },
  },
  {
    id: 'AUTH-PRM-03',
    title: 'offline_access is not asked for',
    requirement: 'The server SHOULD NOT include offline_access in the challenge scope or in the PRM scopes_supported.',
    level: 'SHOULD',
    spec: spec('2026-07-28', 'basic/authorization#scope-selection-strategy'),
    transports: ['http'],
    revisions: ['2026-07-28'],
    needs: AUTH,
    async run(ctx) {
      const reply = await challenged(ctx);
      const scope = reply ? challengeOf(reply)?.scope : undefined;
      if (scope?.split(/\s+/).includes('offline_access')) return violated('no offline_access in the challenge scope', show(scope));
      const session = await ctx.http({ initialize: false });
      const { found } = await findPrm(session, reply ? challengeOf(reply) : undefined);
      const supported = found?.doc.scopes_supported;
      if (Array.isArray(supported) && supported.includes('offline_access')) {
        return violated('no offline_access in scopes_supported', show(supported));
      }
      if (!reply && !found) return skip('neither a 401 challenge nor a PRM document to inspect');
      return ok();
    },
  },
  {
    id: 'AUTH-ASM-01',
    title: 'Authorization server metadata or the default endpoints',
    requirement:
      'The server SHOULD serve OAuth authorization server metadata at {origin}/.well-known/oauth-authorization-server, and otherwise MUST offer the default /authorize, /token and /register endpoints.',
    level: 'MUST',
    spec: spec('2025-03-26', 'basic/authorization#server-metadata-discovery'),
    transports: ['http'],
    revisions: ['2025-03-26'],
    needs: AUTH,
    async run(ctx) {
      const session = await ctx.http({ initialize: false });
      const origin = new URL(session.url).origin;
      const meta = await session.send({
        method: 'GET',
        url: `${origin}/.well-known/oauth-authorization-server`,
        headers: { Accept: 'application/json', 'MCP-Protocol-Version': ctx.revision },
      });
      if (meta.status === 200) {
        if (!isJsonObject(meta.body)) return violated('authorization server metadata as a JSON object', show(meta.body));
        return ok();
      }
      if (meta.status !== 404)
        return violated('200 JSON metadata, or 404 with the default endpoints', describeStatus(meta.status, meta.error));
      const missing: string[] = [];
      for (const [method, path] of [
        ['GET', '/authorize'],
        ['POST', '/token'],
        ['POST', '/register'],
      ] as const) {
        const reply = await session.send({ method, url: `${origin}${path}`, headers: {} });
        if (reply.status === 404 || reply.status === 0) missing.push(`${method} ${path} → ${describeStatus(reply.status, reply.error)}`);
      }
      if (missing.length > 0) return violated('metadata (404), so the default /authorize, /token, /register exist', missing.join('; '));
      return ok('no metadata; default endpoints present');
    },
  },
  {
    id: 'AUTH-TOK-01',
    title: 'An invalid token gets 401',
    requirement: 'The server MUST answer a request with an invalid or expired token with 401 Unauthorized.',
    level: 'MUST',
    spec: AUTHZ('token-handling'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      return expect401(await session.probe({ Authorization: INVALID_TOKEN }), `Authorization: ${INVALID_TOKEN}`);
    },
  },
  {
    id: 'AUTH-TOK-02',
    title: 'A token for another resource gets 401',
    requirement: 'The server MUST validate that a token was issued for it (audience) and refuse one issued for another resource with 401.',
    level: 'MUST',
    spec: AUTHZ('token-audience-binding-and-validation'),
    transports: ['http'],
    revisions: R2_R4,
    needs: AUTH,
    async run(ctx) {
      const other = ctx.fixtures.authTokenWrongAudience;
      if (!other)
        return skip('no token for another audience was given (--auth-token-wrong-audience)', {
          cause: 'token',
          option: '--auth-token-wrong-audience',
        });
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      return expect401(await session.probe({ Authorization: bearer(other) }), 'a token issued for another resource');
    },
  },
  {
    id: 'AUTH-TOK-03',
    title: 'A token in the query string is not accepted',
    requirement:
      'Access tokens MUST NOT be sent in the URI query string, so a server should not accept one there: a token only in ?access_token= gets 401.',
    level: 'INF',
    spec: AUTHZ('access-token-usage'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const token = ctx.fixtures.authToken!;
      const session = await ctx.http({ initialize: false });
      const url = new URL(session.url);
      url.searchParams.set('access_token', token);
      return expect401(await opening(session, ctx.revision, undefined, url.href), 'a valid token only in ?access_token=');
    },
  },
  {
    id: 'AUTH-SCOPE-01',
    title: 'Insufficient scope gets 403 with the insufficient_scope challenge',
    requirement:
      'A token lacking a scope the operation needs MUST get 403, and SHOULD get WWW-Authenticate: Bearer error="insufficient_scope" with scope and resource_metadata.',
    level: 'MUST',
    spec: AUTHZ('runtime-insufficient-scope-errors'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const narrow = ctx.fixtures.authTokenNoScope;
      if (!narrow)
        return skip('no token lacking a tool scope was given (--auth-token-no-scope)', { cause: 'token', option: '--auth-token-no-scope' });
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      // The scope is checked before the arguments, so any listed tool will do when there is no echo tool.
      const tool = ctx.fixtures.echoTool ?? (await firstTool(session));
      if (!tool) return skip('the server lists no tool to call with the narrow token');
      const reply = await callWithToken(ctx, session, tool, narrow, 'harness-scope');
      if (reply.status !== 403)
        return violated(`403 for tools/call ${tool} with a token lacking its scope`, describeStatus(reply.status, reply.error));
      // The challenge's parameters are spelled out from 2025-11-25 on; before, only the status is.
      if (!R3_R4.includes(ctx.revision)) return ok();
      const params403 = challengeOf(reply);
      const missing = ['error', 'scope', 'resource_metadata'].filter((p) => !params403?.[p]);
      if (params403?.error !== undefined && params403.error !== 'insufficient_scope') missing.push('error="insufficient_scope"');
      if (missing.length > 0) {
        return violated(
          'WWW-Authenticate: Bearer error="insufficient_scope", scope="…", resource_metadata="…"',
          `${show(reply.headers['www-authenticate'])} (missing: ${missing.join(', ')})`,
          'warn',
        );
      }
      return ok();
    },
  },
  {
    id: 'AUTH-SCOPE-02',
    title: 'Broader scopes count, and one challenge names every missing scope',
    requirement:
      'Servers MUST honour scope hierarchies (a broader scope implies narrower ones) when deciding whether a token suffices, and SHOULD name all scopes an operation needs in a single insufficient_scope challenge.',
    level: 'MUST',
    spec: spec('2026-07-28', 'basic/authorization#scope-challenge-handling'),
    transports: ['http'],
    revisions: R4,
    needs: AUTH,
    async run(ctx) {
      const { authTokenParentScope: parent, authTokenEmptyScope: empty, authTokenNoScope: narrow } = ctx.fixtures;
      if (!parent && !(empty && narrow)) {
        return skip(
          'no token with a broader scope (--auth-token-parent-scope), nor tokens with no and with too few scopes (--auth-token-empty-scope, --auth-token-no-scope)',
          { cause: 'token', option: '--auth-token-parent-scope' },
        );
      }
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      const tool = ctx.fixtures.echoTool ?? (await firstTool(session));
      if (!tool) return skip('the server lists no tool to call');
      const notes: string[] = [];
      if (parent) {
        const reply = await callWithToken(ctx, session, tool, parent, 'harness-scope-parent');
        if (reply.status !== 200 || !reply.messages.some((m) => resultOf(m))) {
          return violated(
            `tools/call ${tool} served for a token holding a broader scope that implies the needed ones`,
            `${describeStatus(reply.status, reply.error)} ${show(reply.headers['www-authenticate'] ?? reply.body)}`,
          );
        }
      } else notes.push('scope hierarchy not probed (no --auth-token-parent-scope)');
      if (empty && narrow) {
        const none = await callWithToken(ctx, session, tool, empty, 'harness-scope-empty');
        const some = await callWithToken(ctx, session, tool, narrow, 'harness-scope-narrow');
        if (none.status !== 403 || some.status !== 403) {
          if (!parent)
            return skip(
              `no insufficient_scope challenges to compare (${describeStatus(none.status)} and ${describeStatus(some.status)}; AUTH-SCOPE-01 judges these)`,
            );
          notes.push('challenges not compared: the scope-lacking calls were not both refused with 403');
        } else {
          // Every scope named for the token lacking some is needed, and the token with none lacks it too.
          const named = scopeSet(none);
          const lost = [...scopeSet(some)].filter((scope) => !named.has(scope));
          if (lost.length > 0) {
            return violated(
              'the challenge to a token with no scope names every scope the operation needs',
              `no scope → scope="${[...named].join(' ')}"; too few scopes → scope="${[...scopeSet(some)].join(' ')}" (${lost.join(' ')} was held back)`,
              'warn',
            );
          }
        }
      } else notes.push('single challenge not probed (no --auth-token-empty-scope with --auth-token-no-scope)');
      return ok(notes.length > 0 ? notes.join('; ') : undefined);
    },
  },
  {
    id: 'AUTH-ERR-01',
    title: 'A malformed Authorization header gets 400 or 401',
    requirement:
      'A malformed authorization request (an empty Bearer credential) MUST be refused with 400 Bad Request (401 is recorded as accepted).',
    level: 'MUST',
    spec: AUTHZ('error-handling'),
    transports: ['http'],
    revisions: R1_R4,
    needs: AUTH,
    async run(ctx) {
      const session = await authedSession(ctx);
      if (isOutcome(session)) return session;
      const reply = await session.probe({ Authorization: 'Bearer' });
      if (reply.status === 400) return ok();
      if (reply.status === 401) return ok('answered 401 rather than 400');
      return violated('400 (or 401) for Authorization: Bearer with no credential', describeStatus(reply.status, reply.error));
    },
  },
];

async function firstTool(session: HttpSession): Promise<string | undefined> {
  const tools = resultOf((await session.request('tools/list')).response)?.tools;
  const name = Array.isArray(tools) ? (tools[0] as { name?: unknown } | undefined)?.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function stripAuth(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'authorization') out[name] = value;
  return out;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return !!v && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}
