/** Lifecycle: initialize, version negotiation and ping (catalog section 3a; the initialize era, 2024-11-05 to 2025-11-25). */
import { LEGACY_REVISIONS } from '../drivers/protocol.js';
import type { Check } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { errorCode, initializeParams, resultOf, show } from './probes.js';

const ALL_TRANSPORTS = ['stdio', 'sse', 'http'] as const;
const LIFECYCLE = spec('2025-11-25', 'basic/lifecycle');
const UNSUPPORTED = '1900-01-01';

/** Initialize offering a version no server supports; returns the reply. */
async function offerUnsupported(ctx: Parameters<Check['run']>[0]) {
  const session = await ctx.session({ initialize: false });
  return session.request('initialize', initializeParams(UNSUPPORTED));
}

export const lifecycleChecks: readonly Check[] = [
  {
    id: 'LC-INIT-02',
    title: 'InitializeResult has protocolVersion, capabilities and serverInfo',
    requirement: 'The initialize result MUST contain protocolVersion, capabilities and serverInfo with name and version.',
    level: 'MUST',
    spec: LIFECYCLE,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const result = resultOf(session.initializeResponse);
      if (!result) return violated('an initialize result', show(session.initializeResponse));
      const missing: string[] = [];
      if (typeof result.protocolVersion !== 'string') missing.push('protocolVersion');
      if (!result.capabilities || typeof result.capabilities !== 'object') missing.push('capabilities');
      const info = result.serverInfo as { name?: unknown; version?: unknown } | undefined;
      if (typeof info?.name !== 'string') missing.push('serverInfo.name');
      if (typeof info?.version !== 'string') missing.push('serverInfo.version');
      if (missing.length > 0) return violated(`a result with ${missing.join(', ')}`, show(result));
      return ok();
    },
  },
  {
    id: 'LC-VER-02',
    title: 'An unsupported version gets a counter-offer of a supported one',
    requirement: 'When the client requests a version the server does not support, the server MUST respond with another version it supports.',
    level: 'MUST',
    spec: `${LIFECYCLE}#version-negotiation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const reply = await offerUnsupported(ctx);
      const offered = resultOf(reply.response)?.protocolVersion;
      if (offered === undefined && errorCode(reply.response) !== undefined) {
        // The lifecycle page's non-normative example shows an error; the normative text wants a counter-offer (tension T3).
        return violated('a successful counter-offer', `error ${show(reply.response?.error)}`, 'warn');
      }
      if (!ctx.supported.some((r) => r === offered)) {
        return violated(`protocolVersion one of ${ctx.supported.join(', ')}`, `protocolVersion ${show(offered)}`);
      }
      return ok(`counter-offered ${String(offered)}`);
    },
  },
  {
    id: 'LC-VER-03',
    title: 'The counter-offer is the latest version the server supports',
    requirement: 'For an unsupported requested version, the server SHOULD offer the latest version it supports.',
    level: 'SHOULD',
    spec: `${LIFECYCLE}#version-negotiation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const latest = [...ctx.supported].filter((r) => LEGACY_REVISIONS.includes(r)).sort().pop();
      const reply = await offerUnsupported(ctx);
      const offered = resultOf(reply.response)?.protocolVersion;
      if (offered === undefined) return skip('the server gave no counter-offer (see LC-VER-02)');
      if (offered !== latest) return violated(`protocolVersion ${latest}`, `protocolVersion ${show(offered)}`);
      return ok();
    },
  },
  {
    id: 'LC-PING-01',
    title: 'Ping is answered with an empty result',
    requirement: 'A ping request MUST be answered promptly with an empty result.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic/utilities/ping'),
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('ping', {}, { timeoutMs: 5000 });
      const result = resultOf(reply.response);
      if (!result) return violated('a result within 5 s', show(reply.response));
      const extra = Object.keys(result).filter((k) => k !== '_meta');
      if (extra.length > 0) return violated('an empty result ({} or only _meta)', show(result));
      return ok();
    },
  },
];
