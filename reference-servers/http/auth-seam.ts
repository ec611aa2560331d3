/**
 * The named seams where an authorization defect hooks into the resource server of http/auth.ts
 * (hooks: reference-servers/faults/hooks/http-auth.ts). Decision: the gate reads as the clean
 * OAuth resource server a server author would copy; each defect changes one decision of it:
 *
 *   tokenFrom(url)                   a credential from somewhere other than the Authorization header
 *   letThrough(case)                 a request the clean gate refuses is served anyway
 *   emptyBearer()                    what happens on an empty Bearer credential before its 400
 *   audienceChecked, sessionsBound   whether the token's audience is checked, sessions bound to users
 *   holds(scope, granted, clean)     whether the granted scopes cover a needed one
 *   challenge(params, ctx)           the parameters of a WWW-Authenticate challenge (undefined: none)
 *   document(doc, which)             a metadata document (undefined: 404)
 *
 * With no fault on, every seam is the identity.
 */

/** A request the clean gate refuses, by why. */
export type AuthCase =
  /** a GET, before its token is looked at */
  | { kind: 'stream' }
  /** no credential at all; `knownSession` when it names a session some user owns */
  | { kind: 'no-token'; knownSession: boolean }
  /** a credential that fails verification */
  | { kind: 'invalid-token'; why: 'malformed' | 'expired' | 'audience' };

/** A Bearer challenge's parameters, in the order they are written; undefined ones are left out. */
export interface ChallengeParams {
  error?: string;
  error_description?: string;
  scope?: string;
  resource_metadata?: string;
}

export interface ChallengeContext {
  /** 401/400 for missing or bad authorization, 403 for a token lacking scope */
  readonly status: number;
  /** for a 403: the scopes the token lacks, in order */
  readonly missing?: readonly string[];
}

export type AuthDocument = 'protected-resource' | 'authorization-server';

export interface AuthSeam {
  tokenFrom?(url: string | undefined): string | undefined;
  letThrough?(c: AuthCase): boolean;
  emptyBearer?(): void;
  readonly audienceChecked?: boolean;
  readonly sessionsBound?: boolean;
  holds?(scope: string, granted: readonly string[], clean: boolean): boolean;
  challenge?(params: ChallengeParams | undefined, ctx: ChallengeContext): ChallengeParams | undefined;
  document?(doc: Record<string, unknown> | undefined, which: AuthDocument): Record<string, unknown> | undefined;
}

export interface ComposedAuthSeam {
  tokenFrom(url: string | undefined): string | undefined;
  letThrough(c: AuthCase): boolean;
  emptyBearer(): void;
  readonly audienceChecked: boolean;
  readonly sessionsBound: boolean;
  holds(scope: string, granted: readonly string[], clean: boolean): boolean;
  challenge(params: ChallengeParams, ctx: ChallengeContext): ChallengeParams | undefined;
  document(doc: Record<string, unknown>, which: AuthDocument): Record<string, unknown> | undefined;
}

export function composeAuthSeam(seams: readonly AuthSeam[]): ComposedAuthSeam {
  return {
    tokenFrom: (url) => {
      for (const s of seams) {
        const token = s.tokenFrom?.(url);
        if (token !== undefined) return token;
      }
      return undefined;
    },
    letThrough: (c) => seams.some((s) => s.letThrough?.(c)),
    emptyBearer: () => {
      for (const s of seams) s.emptyBearer?.();
    },
    audienceChecked: !seams.some((s) => s.audienceChecked === false),
    sessionsBound: !seams.some((s) => s.sessionsBound === false),
    holds: (scope, granted, clean) => seams.reduce((ok, s) => (s.holds ? s.holds(scope, granted, ok) : ok), clean),
    challenge: (params, ctx) => seams.reduce<ChallengeParams | undefined>((p, s) => (s.challenge ? s.challenge(p, ctx) : p), params),
    document: (doc, which) => seams.reduce<Record<string, unknown> | undefined>((d, s) => (s.document ? s.document(d, which) : d), doc),
  };
}
