/** The modern stateless protocol of 2026-07-28, on every transport that serves it (catalog section 4). */
import { ErrorCode, isModern, META, MODERN_REVISION } from '../drivers/protocol.js';
import type { Check } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { describeStatus, echoCallTraffic, errorCode, initializeParams, isRequestMessage, resultOf, sameIdValue, show } from './probes.js';

const BASIC = spec(MODERN_REVISION, 'basic');
const DISCOVER = spec(MODERN_REVISION, 'server/discover');
const LOGGING = spec(MODERN_REVISION, 'server/utilities/logging');
const VERSIONING = spec(MODERN_REVISION, 'basic/versioning');
const MODERN: readonly ['stdio', 'http'] = ['stdio', 'http'];

function serverInfoOf(result: Record<string, unknown> | undefined): unknown {
  const meta = result?._meta as Record<string, unknown> | undefined;
  return meta?.[META.serverInfo];
}

export const modernChecks: readonly Check[] = [
  {
    id: 'MOD-DISC-01',
    title: 'server/discover returns a DiscoverResult',
    requirement: 'Servers MUST implement server/discover, answering with resultType "complete", the supportedVersions and the capabilities.',
    level: 'MUST',
    spec: DISCOVER,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('server/discover', {});
      const result = resultOf(reply.response);
      if (!result) return violated('a result', show(reply.response));
      const versions = result.supportedVersions;
      if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => typeof v === 'string')) {
        return violated('supportedVersions: a non-empty array of version strings', show(result));
      }
      const caps = result.capabilities;
      if (!caps || typeof caps !== 'object' || Array.isArray(caps)) return violated('capabilities: an object', show(result));
      if (result.resultType !== 'complete') return violated('resultType "complete"', show(result));
      return ok(`supportedVersions ${show(versions)}`);
    },
  },
  {
    id: 'MOD-DISC-02',
    title: 'Results carry serverInfo in _meta',
    requirement: 'Servers SHOULD include _meta["io.modelcontextprotocol/serverInfo"] in every result.',
    level: 'SHOULD',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      for (const method of ['server/discover', 'tools/list']) {
        const reply = await session.request(method, {});
        const result = resultOf(reply.response);
        if (!result) return skip(`${method} did not succeed: ${show(reply.response)}`);
        const info = serverInfoOf(result) as { name?: unknown } | undefined;
        if (typeof info?.name !== 'string') return violated(`${method}: _meta serverInfo with a name`, show(result._meta ?? 'no _meta'));
      }
      return ok();
    },
  },
  {
    id: 'MOD-META-01',
    title: 'A request without clientCapabilities gets -32602',
    requirement: 'A request missing a required _meta field MUST be rejected with -32602 (HTTP 400), echoing its id.',
    level: 'MUST',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('tools/list', {}, { id: 31, meta: { [META.clientCapabilities]: undefined } });
      if (reply.status !== undefined && reply.status !== 400) return violated('HTTP 400', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.InvalidParams) return violated('error -32602', show(reply.response));
      if (!sameIdValue(reply.response?.id, 31)) return violated('the id 31 echoed', show(reply.response?.id));
      return ok();
    },
  },
  {
    id: 'MOD-STATE-01',
    title: 'The first request on a fresh connection is served',
    requirement: 'Servers MUST NOT rely on prior requests: tools/list as the very first request succeeds.',
    level: 'MUST',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session({ initialize: false });
      const reply = await session.request('tools/list', {});
      const tools = resultOf(reply.response)?.tools;
      if (!Array.isArray(tools)) return violated('a tools/list result', show(reply.response));
      return ok();
    },
  },
  {
    id: 'MOD-LOG-01',
    title: 'No log notifications without a requested logLevel',
    requirement: 'Servers MUST NOT send notifications/message for a request that carries no io.modelcontextprotocol/logLevel.',
    level: 'MUST',
    spec: LOGGING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      const { response, messages } = await echoCallTraffic(ctx, await ctx.session());
      if (!response) return violated('a response to the echo call', 'no response');
      const log = messages.find((m) => m.method === 'notifications/message');
      if (log) return violated('no notifications/message', show(log));
      return ok();
    },
  },
  {
    id: 'MOD-LOG-02',
    title: 'An unknown logLevel gets -32602',
    requirement: 'Servers SHOULD reject an unrecognized io.modelcontextprotocol/logLevel with -32602.',
    level: 'SHOULD',
    spec: LOGGING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('tools/list', {}, { meta: { [META.logLevel]: 'loud' } });
      if (errorCode(reply.response) !== ErrorCode.InvalidParams) return violated('error -32602 for logLevel "loud"', show(reply.response));
      return ok();
    },
  },
  {
    id: 'MOD-PAT-01',
    title: 'The server never sends requests',
    requirement: 'Servers MUST NOT initiate JSON-RPC requests (on stdout or any SSE stream); they use input-required results instead.',
    level: 'MUST',
    spec: spec(MODERN_REVISION, 'basic/patterns'),
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      const { response, messages } = await echoCallTraffic(ctx, await ctx.session());
      if (!response) return violated('a response to the echo call', 'no response');
      const request = messages.find(isRequestMessage);
      if (request) return violated('no server-initiated request', show(request));
      return ok();
    },
  },
  {
    id: 'MOD-COMPAT-01',
    title: 'A legacy initialize is refused naming the supported versions',
    requirement: "A modern-only server's error to a legacy initialize SHOULD name the versions it supports.",
    level: 'SHOULD',
    spec: VERSIONING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      if (!ctx.supported.every(isModern)) return skip('the server also serves the legacy era (MOD-COMPAT-02)');
      const session = await ctx.session();
      const text = JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'initialize', params: initializeParams('2025-11-25') });
      // Over HTTP, a legacy client sends none of the 2026-07-28 headers.
      const reply = await session.sendRaw(text, { headers: { 'MCP-Protocol-Version': undefined, 'Mcp-Method': undefined } });
      const answer = reply.messages.find((m) => sameIdValue(m.id, 41));
      if (!answer?.error) return violated('an error to initialize', show(answer ?? reply.body));
      if (!JSON.stringify(answer.error).includes(MODERN_REVISION)) return violated(`an error naming ${MODERN_REVISION}`, show(answer.error));
      return ok();
    },
  },
];
