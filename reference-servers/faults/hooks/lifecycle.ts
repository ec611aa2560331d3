/** Hooks of the lifecycle faults (faults/lifecycle.ts): initialize answers, the initialize gate, cancellation, progress. */
import type { JsonRpcMessage } from '../../../drivers/protocol.js';
import { LEGACY_REVISIONS } from '../../../drivers/protocol.js';
import type { OutboundContext } from '../../seams.js';
import type { HookRegistry } from './registry.js';

type Obj = Record<string, unknown>;

/** Rewrite the result of the answer to an initialize; `offered` is the protocolVersion the client asked for. */
function onInitializeResult(rewrite: (result: Obj, offered: unknown) => Obj) {
  return (m: JsonRpcMessage, { request }: OutboundContext): JsonRpcMessage => {
    if (request?.method !== 'initialize' || !m.result || typeof m.result !== 'object') return m;
    const offered = (request.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    return { ...m, result: rewrite({ ...(m.result as Obj) }, offered) };
  };
}

const isSupported = (v: unknown): v is string => typeof v === 'string' && (LEGACY_REVISIONS as readonly string[]).includes(v);

/** Rewrite the params of every progress notification the server sends. */
function onProgress(rewrite: (params: Obj) => Obj) {
  return (m: JsonRpcMessage): JsonRpcMessage =>
    m.method === 'notifications/progress' && m.params && typeof m.params === 'object'
      ? { ...m, params: rewrite({ ...(m.params as Obj) }) }
      : m;
}

const SAMPLING_PARAMS = { messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }], maxTokens: 10 };

/** Fault version-flaky: process-wide, so that it spans the sessions of one HTTP server. */
let oldestDropped = false;

/** The first client to ask for 2024-11-05 gets it echoed, every later one the latest version. */
function flakyAnswer(requested: string): string {
  if (requested !== LEGACY_REVISIONS[0]) return requested;
  if (!oldestDropped) {
    oldestDropped = true;
    return requested;
  }
  return LEGACY_REVISIONS[LEGACY_REVISIONS.length - 1]!;
}

export const LIFECYCLE_HOOKS = {
  'echo-unsupported-version': () => ({
    message: { outbound: onInitializeResult((r, offered) => (isSupported(offered) ? r : { ...r, protocolVersion: offered })) },
  }),
  'counter-offer-oldest': () => ({
    message: { outbound: onInitializeResult((r, offered) => (isSupported(offered) ? r : { ...r, protocolVersion: LEGACY_REVISIONS[0] })) },
  }),
  'version-flaky': () => ({
    message: { outbound: onInitializeResult((r, offered) => (isSupported(offered) ? { ...r, protocolVersion: flakyAnswer(offered) } : r)) },
  }),
  'no-server-info': () => ({
    message: {
      outbound: onInitializeResult((r) => {
        delete r.serverInfo;
        return r;
      }),
    },
  }),
  'ping-non-empty': () => ({
    message: {
      outbound: (m, { request }) =>
        request?.method === 'ping' && m.result && typeof m.result === 'object' ? { ...m, result: { pong: true } } : m,
    },
  }),
  // nothing but initialize until the client says initialized
  'ping-before-initialized-rejected': () => ({ message: { admit: (_m, state) => (state.initializedSeen ? undefined : false) } }),
  'serve-before-initialize': () => ({ message: { admit: () => true } }),
  'cancel-ignored': () => ({ message: { received: (m) => (m.method === 'notifications/cancelled' ? 'drop' : undefined) } }),
  // the handler looks the request up and throws on a miss
  'cancel-unknown-crash': () => ({
    message: {
      received: (m, ctx) => {
        if (m.method !== 'notifications/cancelled') return undefined;
        return ctx.inFlight((m.params as { requestId?: unknown } | undefined)?.requestId) ? undefined : 'crash';
      },
    },
  }),
  'request-before-initialized': () => ({
    message: {
      afterSend: (_sent, request) => {
        const roots = (request.params as { capabilities?: { roots?: unknown } } | undefined)?.capabilities?.roots;
        return request.method === 'initialize' && roots
          ? [{ jsonrpc: '2.0', id: 'harness-ref-roots-1', method: 'roots/list', params: {} }]
          : [];
      },
    },
  }),
  'sampling-without-capability': () => ({
    message: {
      afterReceive: (m) =>
        m.method === 'notifications/initialized'
          ? [{ jsonrpc: '2.0', id: 'harness-ref-sampling-1', method: 'sampling/createMessage', params: SAMPLING_PARAMS }]
          : [],
    },
  }),
  // the classic slip: reporting the total (or a fixed value) where the running count belongs
  'progress-non-monotonic': () => ({
    message: { outbound: onProgress((p) => ({ ...p, progress: typeof p.total === 'number' ? p.total : 1 })) },
  }),
  'progress-empty-message': () => ({ message: { outbound: onProgress((p) => ({ ...p, message: '' })) } }),
  'progress-after-response': () => ({
    message: {
      afterSend: (_sent, request) => {
        const token = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken;
        if (request.method !== 'tools/call' || token === undefined) return [];
        return [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1e6, message: 'late' } }];
      },
    },
  }),
} satisfies HookRegistry;
