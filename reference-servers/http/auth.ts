/**
 * The MCP server as an OAuth resource server, shared by the HTTP reference servers started with
 * `auth: true` (kinds *-auth). No authorization server is run: the server mints its own test
 * tokens at start (HMAC-signed JSON, with a secret made per process) and hands them to the
 * harness as fixtures, which is all a black-box resource-server test needs.
 *
 * What it serves (catalog section 10a, SEC-SESS-01/02):
 * - 401 with `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` for a missing token on
 *   every request, and with `error="invalid_token"` for a bad, expired or foreign-audience one;
 *   400 for an empty Bearer credential; tokens in the query string are ignored;
 * - Protected Resource Metadata (RFC 9728) at the path-inserted well-known URI and at the root,
 *   and minimal authorization server metadata at the origin (the 2025-03-26 discovery);
 * - 403 `insufficient_scope` for a tools/call by a token without the base and tools scopes, all of
 *   them named in one challenge; the broad `mcp:admin` scope implies both;
 * - sessions bound to the user whose token first used them.
 * Each fault (reference-servers/faults/auth.ts) breaks one of these at a seam of http/auth-seam.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../drivers/protocol.js';
import type { AuthDocument, ChallengeContext, ChallengeParams, ComposedAuthSeam } from './auth-seam.js';
import { pathOf, sendError, sendJsonText } from './reply.js';

/** The tokens the harness is given to test an auth-enabled reference server. */
export interface AuthTokens {
  /** a valid token with every scope, for user `harness-user` */
  token: string;
  /** a valid token for another user, for session binding */
  otherUser: string;
  /** a valid token for `harness-user` without the scope tools/call needs */
  noScope: string;
  /** a token signed by this server but issued for another resource */
  wrongAudience: string;
  /** a valid token holding only the broad scope that implies every other one (AUTH-SCOPE-02) */
  parentScope: string;
  /** a valid token with no scope at all (AUTH-SCOPE-02) */
  emptyScope: string;
}

interface Claims {
  sub: string;
  aud: string;
  scope: string;
  exp: number;
}

const BASE_SCOPE = 'mcp';
const TOOLS_SCOPE = 'mcp:tools';
const ALL_SCOPES = [BASE_SCOPE, TOOLS_SCOPE];
/** A broader scope implies narrower ones; it is not advertised (servers need not surface every scope). */
const ADMIN_SCOPE = 'mcp:admin';
const IMPLIED: Record<string, readonly string[]> = { [ADMIN_SCOPE]: ALL_SCOPES };
const PRM_PREFIX = '/.well-known/oauth-protected-resource';
const ASM_PATH = '/.well-known/oauth-authorization-server';
const TOKEN_LIFETIME_S = 24 * 3600;
/** sessions remembered for binding; the oldest are forgotten beyond this */
const BOUND_SESSIONS_LIMIT = 10_000;

function b64(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

type Verdict = { ok: true; claims: Claims } | { ok: false; why: 'malformed' | 'expired' | 'audience' };

export class AuthGate {
  private readonly secret = randomBytes(32);
  private origin = '';
  private readonly sessionUsers = new Map<string, string>();
  tokens: AuthTokens | undefined;

  constructor(
    private readonly seam: ComposedAuthSeam,
    private readonly mcpPath: string,
  ) {}

  /** Once the server listens: the resource identifier is its MCP URL, so tokens are minted now. */
  listening(origin: string): AuthTokens {
    this.origin = origin;
    const aud = this.resource;
    const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
    const scope = ALL_SCOPES.join(' ');
    this.tokens = {
      token: this.mint({ sub: 'harness-user', aud, scope, exp }),
      otherUser: this.mint({ sub: 'harness-other-user', aud, scope, exp }),
      noScope: this.mint({ sub: 'harness-user', aud, scope: BASE_SCOPE, exp }),
      wrongAudience: this.mint({ sub: 'harness-user', aud: `${origin}/another-resource`, scope, exp }),
      parentScope: this.mint({ sub: 'harness-user', aud, scope: ADMIN_SCOPE, exp }),
      emptyScope: this.mint({ sub: 'harness-user', aud, scope: '', exp }),
    };
    return this.tokens;
  }

  private get resource(): string {
    return `${this.origin}${this.mcpPath}`;
  }

  private get metadataUrl(): string {
    return `${this.origin}${PRM_PREFIX}${this.mcpPath}`;
  }

  private mint(claims: Claims): string {
    const body = b64(JSON.stringify(claims));
    return `${body}.${b64(createHmac('sha256', this.secret).update(body).digest())}`;
  }

  private verify(token: string): Verdict {
    const [body, sig, extra] = token.split('.');
    if (!body || !sig || extra !== undefined) return { ok: false, why: 'malformed' };
    const expected = createHmac('sha256', this.secret).update(body).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'malformed' };
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    } catch {
      return { ok: false, why: 'malformed' };
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return { ok: false, why: 'expired' };
    if (claims.aud !== this.resource && this.seam.audienceChecked) return { ok: false, why: 'audience' };
    return { ok: true, claims };
  }

  /** A WWW-Authenticate value from its parameters (those a hook left undefined are omitted), or undefined for none. */
  private challenge(params: ChallengeParams, ctx: ChallengeContext): string | undefined {
    const p = this.seam.challenge(params, ctx);
    if (p === undefined) return undefined;
    const written = Object.entries(p).flatMap(([name, value]) => (value === undefined ? [] : [`${name}="${value}"`]));
    return `Bearer ${written.join(', ')}`;
  }

  /** The challenge of a 401 (or a 400 for a malformed request): what to fetch, and which scopes to ask for. */
  private unauthorized(status: 400 | 401, error?: string, description?: string): string | undefined {
    const params: ChallengeParams = {};
    if (error) params.error = error;
    if (description) params.error_description = description;
    params.resource_metadata = this.metadataUrl;
    params.scope = ALL_SCOPES.join(' ');
    return this.challenge(params, { status });
  }

  private refuse(res: ServerResponse, status: number, challenge: string | undefined, message: string): true {
    sendError(res, status, ErrorCode.InvalidRequest, message, null, challenge ? { 'www-authenticate': challenge } : undefined);
    return true;
  }

  /**
   * Answer the request here when it is a metadata document or lacks valid authorization;
   * returns false when the request may go on to the MCP endpoint.
   */
  intercept(req: IncomingMessage, res: ServerResponse): boolean {
    const path = pathOf(req.url);
    if (path === `${PRM_PREFIX}${this.mcpPath}` || path === PRM_PREFIX) return this.metadata(res, 'protected-resource');
    if (path === ASM_PATH) return this.metadata(res, 'authorization-server');
    if (path !== this.mcpPath) return false;
    if (req.method === 'GET' && this.seam.letThrough({ kind: 'stream' })) return false;
    const sessionId = req.headers['mcp-session-id'] as string | undefined;
    const header = req.headers.authorization;
    const token = header === undefined ? this.seam.tokenFrom(req.url) : undefined;
    if (header === undefined && token === undefined) {
      const knownSession = sessionId !== undefined && this.sessionUsers.has(sessionId);
      if (this.seam.letThrough({ kind: 'no-token', knownSession })) return false;
      return this.refuse(res, 401, this.unauthorized(401), 'Unauthorized: a Bearer token is required');
    }
    let credential = token;
    if (credential === undefined) {
      const match = /^Bearer(?:[ \t]+(.*))?$/i.exec(header!.trim());
      if (!match) return this.refuse(res, 401, this.unauthorized(401), 'Unauthorized: only Bearer tokens are accepted');
      credential = (match[1] ?? '').trim();
      if (credential === '') {
        this.seam.emptyBearer();
        return this.refuse(
          res,
          400,
          this.unauthorized(400, 'invalid_request', 'empty Bearer credential'),
          'Bad Request: empty Bearer token',
        );
      }
    }
    const verdict = this.verify(credential);
    let user: string;
    if (verdict.ok) user = verdict.claims.sub;
    else if (this.seam.letThrough({ kind: 'invalid-token', why: verdict.why })) user = 'anonymous';
    else {
      const why = verdict.why === 'audience' ? 'the token was issued for another resource' : `the token is ${verdict.why}`;
      return this.refuse(res, 401, this.unauthorized(401, 'invalid_token', why), `Unauthorized: ${why}`);
    }
    if (sessionId !== undefined && this.seam.sessionsBound) {
      const owner = this.sessionUsers.get(sessionId);
      if (owner === undefined) this.bind(sessionId, user);
      else if (owner !== user) return this.refuse(res, 403, undefined, 'Forbidden: the session belongs to another user');
    }
    (req as AuthedRequest).authScopes = verdict.ok ? verdict.claims.scope.split(' ') : ALL_SCOPES;
    return false;
  }

  /**
   * A POST body's tools/call needs the tools scope: answer 403 insufficient_scope when the
   * request's token lacks it. Returns true when it answered.
   */
  forbids(req: IncomingMessage, res: ServerResponse, body: unknown): boolean {
    const scopes = (req as AuthedRequest).authScopes;
    if (scopes === undefined) return false;
    const holds = (scope: string) =>
      this.seam.holds(scope, scopes, scopes.includes(scope) || scopes.some((g) => IMPLIED[g]?.includes(scope)));
    const missing = ALL_SCOPES.filter((scope) => !holds(scope));
    if (missing.length === 0) return false;
    const items = Array.isArray(body) ? body : [body];
    const calls = items.some((m) => !!m && typeof m === 'object' && (m as { method?: unknown }).method === 'tools/call');
    if (!calls) return false;
    // The challenge names every scope the operation needs, not only the missing ones.
    const params: ChallengeParams = { error: 'insufficient_scope', scope: ALL_SCOPES.join(' '), resource_metadata: this.metadataUrl };
    return this.refuse(
      res,
      403,
      this.challenge(params, { status: 403, missing }),
      `Forbidden: tools/call needs the ${missing.join(' ')} scope`,
    );
  }

  /** TOFU binding: the first authenticated user of a session id owns it (the initialized notification follows initialize). */
  private bind(sessionId: string, user: string): void {
    if (this.sessionUsers.size >= BOUND_SESSIONS_LIMIT) {
      const oldest = this.sessionUsers.keys().next().value;
      if (oldest !== undefined) this.sessionUsers.delete(oldest);
    }
    this.sessionUsers.set(sessionId, user);
  }

  private metadata(res: ServerResponse, which: AuthDocument): true {
    const doc = this.seam.document(which === 'protected-resource' ? this.protectedResource() : this.authorizationServer(), which);
    if (doc === undefined) {
      sendError(res, 404, ErrorCode.InvalidRequest, 'Not found');
      return true;
    }
    sendJsonText(res, 200, JSON.stringify(doc), { 'cache-control': 'no-store' });
    return true;
  }

  private protectedResource(): Record<string, unknown> {
    return {
      resource: this.resource,
      authorization_servers: [this.origin],
      scopes_supported: ALL_SCOPES,
      bearer_methods_supported: ['header'],
    };
  }

  private authorizationServer(): Record<string, unknown> {
    return {
      issuer: this.origin,
      authorization_endpoint: `${this.origin}/authorize`,
      token_endpoint: `${this.origin}/token`,
      registration_endpoint: `${this.origin}/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ALL_SCOPES,
    };
  }
}

/** The request, once the gate has let it through with a token: the scopes the token grants. */
type AuthedRequest = IncomingMessage & { authScopes?: string[] };
