/** Faults of authorization: the MCP server as an OAuth resource server (catalog section 10). */
import type { FaultDef } from './def.js';
import { AUTH_KINDS, AUTH_LEGACY } from './groups.js';

export const AUTH_FAULTS = [
  {
    name: 'auth-optional',
    description: 'a request without an Authorization header is served anonymously (only tokens that are sent get checked)',
    catches: ['AUTH-401-01', 'AUTH-401-05', 'SEC-SESS-01', 'AUTH-TOK-03'],
    servers: AUTH_KINDS,
  },
  {
    name: 'get-without-auth',
    description: 'the GET stream is opened before the token is checked',
    catches: ['AUTH-401-05'],
    servers: ['sdk-http-auth'],
  },
  {
    name: 'session-is-auth',
    description: 'a request with a known Mcp-Session-Id and no token is served: the session id is taken as the credential',
    catches: ['SEC-SESS-01', 'AUTH-401-05'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'session-not-bound',
    description: "a session is not bound to its user: another user's valid token works on it",
    catches: ['SEC-SESS-02'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'no-resource-metadata',
    description: 'the 401 challenge has no resource_metadata parameter (the metadata is still at the well-known URI)',
    catches: ['AUTH-401-02'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'no-prm',
    description: 'no Protected Resource Metadata: neither resource_metadata in the challenge nor a document at the well-known URIs',
    catches: ['AUTH-401-02', 'AUTH-401-03', 'AUTH-PRM-01', 'AUTH-PRM-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'no-scope-param',
    description: 'the 401 challenge names no scope',
    catches: ['AUTH-401-04'],
    servers: AUTH_KINDS,
  },
  {
    name: 'prm-no-authorization-servers',
    description: 'the Protected Resource Metadata lists no authorization server',
    catches: ['AUTH-PRM-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'prm-wrong-resource',
    description: "the Protected Resource Metadata's resource is the origin, not the MCP endpoint's URL",
    catches: ['AUTH-PRM-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'offline-access-scope',
    description: 'offline_access is asked for in the challenge scope and listed in scopes_supported',
    catches: ['AUTH-PRM-03'],
    servers: ['sdk-stateless-auth'],
  },
  {
    name: 'no-as-metadata',
    description: 'no authorization server metadata at the origin, and none of the default /authorize, /token, /register endpoints',
    catches: ['AUTH-ASM-01'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'invalid-token-accepted',
    description: 'a token that fails verification (bad signature, not a token at all) is let through',
    catches: ['AUTH-TOK-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'no-audience-check',
    description: 'the token audience is not checked: a token issued for another resource is accepted',
    catches: ['AUTH-TOK-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'query-token-accepted',
    description: 'a token in the ?access_token= query parameter is accepted',
    catches: ['AUTH-TOK-03'],
    servers: AUTH_KINDS,
  },
  {
    name: 'scope-unchecked',
    description: 'tool scopes are not enforced: a token without the tools scope may call tools',
    catches: ['AUTH-SCOPE-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'scope-403-without-header',
    description: 'insufficient scope is answered 403 without the WWW-Authenticate insufficient_scope challenge',
    catches: ['AUTH-SCOPE-01'],
    servers: ['sdk-http-auth'],
  },
  {
    name: 'empty-bearer-500',
    description: 'an empty Bearer credential crashes the token parser: 500',
    catches: ['AUTH-ERR-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'scope-hierarchy-ignored',
    description: 'scopes are compared as exact strings: a token with the broader mcp:admin scope is refused the tools it implies',
    catches: ['AUTH-SCOPE-02'],
    servers: ['sdk-stateless-auth'],
  },
  {
    name: 'scope-challenge-incremental',
    description: 'an insufficient_scope challenge names one missing scope at a time, so the client needs a round-trip per scope',
    catches: ['AUTH-SCOPE-02'],
    servers: ['sdk-stateless-auth'],
  },
] as const satisfies readonly FaultDef[];
