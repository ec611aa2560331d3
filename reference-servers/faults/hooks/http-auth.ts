/**
 * The authorization faults (faults/auth.ts) as hooks on the resource server's seams
 * (http/auth-seam.ts), one entry per fault, keyed by its catalog name.
 */
import { type AuthSeam, type ComposedAuthSeam, composeAuthSeam } from '../../http/auth-seam.js';
import type { FaultName, FaultSet } from '../index.js';

/** The challenge of a 401/400 (missing or bad authorization), not a 403 for missing scope. */
const unauthorized = (status: number) => status !== 403;
const OFFLINE = 'offline_access';

const HOOKS: { readonly [N in FaultName]?: () => AuthSeam } = {
  'auth-optional': () => ({ letThrough: (c) => c.kind === 'no-token' }),
  // the stream is opened before anyone looks at the token
  'get-without-auth': () => ({ letThrough: (c) => c.kind === 'stream' }),
  // a known session id is taken as proof of who is calling
  'session-is-auth': () => ({ letThrough: (c) => c.kind === 'no-token' && c.knownSession }),
  'session-not-bound': () => ({ sessionsBound: false }),
  // a token that fails verification is let through as anonymous
  'invalid-token-accepted': () => ({ letThrough: (c) => c.kind === 'invalid-token' && c.why === 'malformed' }),
  'no-audience-check': () => ({ audienceChecked: false }),
  'query-token-accepted': () => ({ tokenFrom: queryToken }),
  'empty-bearer-500': () => ({
    emptyBearer() {
      throw new Error('Cannot read properties of undefined (reading "split")');
    },
  }),
  'scope-unchecked': () => ({ holds: () => true }),
  // only the exact scope string counts, a broader one does not
  'scope-hierarchy-ignored': () => ({ holds: (scope, granted) => granted.includes(scope) }),
  'no-resource-metadata': () => ({
    challenge: (p, { status }) => (p && unauthorized(status) ? { ...p, resource_metadata: undefined } : p),
  }),
  'no-scope-param': () => ({ challenge: (p, { status }) => (p && unauthorized(status) ? { ...p, scope: undefined } : p) }),
  // one missing scope per challenge, the next one on the retry
  'scope-challenge-incremental': () => ({
    challenge: (p, { status, missing }) => (p && status === 403 && missing ? { ...p, scope: missing[0] } : p),
  }),
  'scope-403-without-header': () => ({ challenge: (p, { status }) => (status === 403 ? undefined : p) }),
  'no-prm': () => ({
    challenge: (p, { status }) => (p && unauthorized(status) ? { ...p, resource_metadata: undefined } : p),
    document: (doc, which) => (which === 'protected-resource' ? undefined : doc),
  }),
  'no-as-metadata': () => ({ document: (doc, which) => (which === 'authorization-server' ? undefined : doc) }),
  // the origin instead of the MCP endpoint's URL
  'prm-wrong-resource': () => ({
    document: (doc, which) => (doc && which === 'protected-resource' ? { ...doc, resource: new URL(String(doc.resource)).origin } : doc),
  }),
  'prm-no-authorization-servers': () => ({
    document: (doc, which) => (doc && which === 'protected-resource' ? { ...doc, authorization_servers: [] } : doc),
  }),
  // a refresh-token scope is asked for along with the resource's own
  'offline-access-scope': () => ({
    challenge: (p, { status }) => (p?.scope !== undefined && unauthorized(status) ? { ...p, scope: `${p.scope} ${OFFLINE}` } : p),
    document: (doc) =>
      doc && Array.isArray(doc.scopes_supported) ? { ...doc, scopes_supported: [...doc.scopes_supported, OFFLINE] } : doc,
  }),
};

function queryToken(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (q < 0) return undefined;
  return new URLSearchParams(url!.slice(q + 1)).get('access_token') ?? undefined;
}

/** The faults that hook in at the authorization seams. */
export const AUTH_HOOKED_FAULTS = Object.keys(HOOKS) as FaultName[];

/** The authorization seam of a server with these active faults. */
export function authSeamFor(faults: FaultSet): ComposedAuthSeam {
  const active: AuthSeam[] = [];
  for (const name of faults) {
    const hook = HOOKS[name];
    if (hook) active.push(hook());
  }
  return composeAuthSeam(active);
}
