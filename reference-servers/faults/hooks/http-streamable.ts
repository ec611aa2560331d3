/**
 * The Streamable HTTP faults as hooks on the HTTP seams (reference-servers/http/seams.ts): one
 * entry per fault, keyed by its catalog name, so that a clean server carries none of them and a
 * defect is one small object. `httpSeamFor(faults)` composes the entries of a server's active
 * faults; faults without an entry here act elsewhere (message layer, session table, guard, auth).
 *
 * Decision: an entry is a factory, so that hooks which keep per-session state (close-before-
 * response, unrelated-on-request-stream, response-on-get-stream) get fresh state per server, held
 * in WeakMaps keyed by the session, which the server never has to know about.
 */
import type { JsonRpcMessage } from '../../../drivers/protocol.js';
import { ErrorCode } from '../../../drivers/protocol.js';
import {
  composeHttpSeam,
  type ComposedHttpSeam,
  type HttpSeam,
  type HttpSessionView,
  type Reply,
  type ReplyContext,
  type StreamInjector,
} from '../../http/seams.js';
import { rewriteSse } from '../../http/sse-faults.js';
import { GET_STREAM_ID } from '../../http/web-bridge.js';
import { MESSAGE_RULE_BYTE_FAULTS, MESSAGE_RULE_OUTGOING_FAULTS } from '../../message-layer.js';
import type { FaultName, FaultSet } from '../index.js';
import {
  faultyModernHeaders,
  faultyModernOutgoing,
  faultyModernRequest,
  MODERN_OUTGOING_FAULTS,
  modernExtraMessages,
  modernFaultAnswer,
} from '../../modern-faults.js';

/** close-before-response: a call asking for at least this much work loses its response */
const SLOW_CALL_MS = 250;
/** sse-never-closes: how long a finished request stream stays open */
const HOLD_OPEN_MS = 10_000;
/** sse-stream-held-open: how long a 2026-07-28 response stream stays open after its response */
const HELD_OPEN_MS = 3_000;
/** the first revision that has the MCP-Protocol-Version header */
const FIRST_VERSION_HEADER = '2025-06-18';

type HookFactory = () => HttpSeam;

const VERSION_REQUIRED = {
  status: 400,
  error: { code: ErrorCode.InvalidRequest, message: 'Bad Request: MCP-Protocol-Version header is required' },
};
const CONFLICT = { status: 409, error: { code: -32000, message: 'Conflict: Only one SSE stream is allowed per session' } };

/**
 * How long a call to a fixture tool asks to run: slow's `ms`, progress's steps × intervalMs.
 * Fault close-before-response decides by this, not by how long a call took, so a loaded machine
 * cannot push other checks' calls over the line.
 */
function requestedWorkMs(message: JsonRpcMessage): number {
  const params = message.params as { name?: unknown; arguments?: Record<string, unknown> } | undefined;
  const args = params?.arguments ?? {};
  if (params?.name === 'slow') return Number(args.ms ?? 2000);
  if (params?.name === 'progress') return Number(args.steps ?? 5) * Number(args.intervalMs ?? 20);
  return 0;
}

const isAnswer = (m: JsonRpcMessage) => 'result' in m || 'error' in m;
const isJson = (r: Reply) => (r.headers['content-type'] ?? '').includes('application/json');
const withStatus = (r: Reply, status: number): Reply => ({ ...r, status });
/** a reply of the server's logic (an answer, an acknowledgement), not a refusal in front of it */
const served = (ctx: ReplyContext) => ctx.occasion !== 'refusal';
const hasId = (value: unknown) => !!value && typeof value === 'object' && 'id' in value;

/** Per-session state of a hook, created on first use. */
function perSession<T>(init: () => T): (session: HttpSessionView) => T {
  const map = new WeakMap<HttpSessionView, T>();
  return (session) => {
    let value = map.get(session);
    if (value === undefined) {
      value = init();
      map.set(session, value);
    }
    return value;
  };
}

/** A message-layer fault that the v2 SDK's answers must be rewritten for (they skip the layer). */
const messageRewrite: HookFactory = () => ({ rewritesMessages: true });
/** A message-layer fault that acts on the wire bytes, after the v1 SDK routed the message by id. */
const wireRewrite: HookFactory = () => ({ rewritesMessages: true, afterRouting: true });

/** A 2026-07-28 fault of modern-faults.ts (shared with the stdio server), at the seam it acts on. */
function modern(name: FaultName, at: 'inbound' | 'ahead' | 'admit' | 'rewrite'): HookFactory {
  const one: FaultSet = new Set([name]);
  switch (at) {
    case 'inbound':
      return () => ({
        inbound(message, headers) {
          faultyModernHeaders(one, headers, message);
          return faultyModernRequest(one, message);
        },
      });
    case 'ahead':
      return () => ({ ahead: (message) => modernExtraMessages(one, message) });
    case 'admit':
      return () => ({
        admit(ctx) {
          const answer = ctx.stage === 'post' && ctx.message ? modernFaultAnswer(one, ctx.message, ctx.req.headers) : undefined;
          return answer ? { status: answer.status, message: answer.message } : undefined;
        },
      });
    case 'rewrite':
      return () => ({ rewrite: (message) => faultyModernOutgoing(one, message) });
  }
}

/** Registry entries for a list of faults that share a hook shape; the names are checked. */
function entries(names: readonly FaultName[], hook: (name: FaultName) => HookFactory): Partial<Record<FaultName, HookFactory>> {
  return Object.fromEntries(names.map((name) => [name, hook(name)]));
}

const HOOKS: { readonly [N in FaultName]?: HookFactory } = {
  // ---- message layer, where the SDK's answers must pass through it ----
  'id-type-coerce': wireRewrite,
  'unknown-method-wrong-code': messageRewrite,
  ...entries(MESSAGE_RULE_OUTGOING_FAULTS, (f) => (MESSAGE_RULE_BYTE_FAULTS.includes(f) ? wireRewrite : messageRewrite)),

  // ---- replies: status, headers, JSON body ----
  'bad-body-200': () => ({ reply: (r, ctx) => (ctx.rejected === 'parse-error' ? withStatus(r, 200) : r) }),
  'notification-error-200': () => ({ reply: (r, ctx) => (ctx.rejected === 'invalid' && !hasId(ctx.request) ? withStatus(r, 200) : r) }),
  'notification-200': () => ({ reply: (r, ctx) => (ctx.occasion === 'accepted' && !Array.isArray(ctx.request) ? withStatus(r, 200) : r) }),
  'batch-notifications-200': () => ({
    reply: (r, ctx) => (ctx.occasion === 'accepted' && Array.isArray(ctx.request) ? withStatus(r, 200) : r),
  }),
  'json-array-response': () => ({
    readsBody: true,
    reply: (r, ctx) => (ctx.occasion === 'answer' && r.body !== undefined && !isInitialize(ctx.request) ? { ...r, body: [r.body] } : r),
  }),
  'error-status-400': () => ({
    readsBody: true,
    reply: (r, ctx) => (ctx.occasion === 'answer' && hasError(r.body) && !isInitialize(ctx.request) ? withStatus(r, 400) : r),
  }),
  'unknown-method-200': () => ({ reply: (r, ctx) => (served(ctx) && r.status === 404 ? withStatus(r, 200) : r) }),
  'capability-error-200': () => ({
    readsBody: true,
    reply: (r, ctx) =>
      served(ctx) && r.status === 400 && JSON.stringify(r.body ?? null).includes(`"code":${ErrorCode.MissingRequiredClientCapability}`)
        ? withStatus(r, 200)
        : r,
  }),
  'discover-202': () => ({
    reply: (r, ctx) =>
      (ctx.request as JsonRpcMessage | undefined)?.method === 'server/discover' && r.status === 200 ? withStatus(r, 202) : r,
  }),
  'response-text-plain': () => ({
    reply: (r, ctx) => (served(ctx) && isJson(r) ? { ...r, headers: { ...r.headers, 'content-type': 'text/plain; charset=utf-8' } } : r),
  }),
  'no-accel-buffering-header': () => ({
    reply(r, ctx) {
      if (!served(ctx)) return r;
      const { 'x-accel-buffering': _dropped, ...headers } = r.headers;
      return { ...r, headers };
    },
  }),
  'echo-session-id': () => ({
    reply(r, ctx) {
      const id = ctx.req.headers['mcp-session-id'];
      return served(ctx) && typeof id === 'string' ? { ...r, headers: { ...r.headers, 'mcp-session-id': id } } : r;
    },
  }),

  // ---- request admission ----
  'require-protocol-version': () => ({
    admit: (ctx) =>
      ctx.stage === 'post' && ctx.session && ctx.req.headers['mcp-protocol-version'] === undefined ? VERSION_REQUIRED : undefined,
  }),
  'require-protocol-version-on-initialize': () => ({
    admit(ctx) {
      if (ctx.stage !== 'initialize' || ctx.req.headers['mcp-protocol-version'] !== undefined) return undefined;
      const offered = (ctx.message?.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      return typeof offered === 'string' && offered >= FIRST_VERSION_HEADER ? VERSION_REQUIRED : undefined;
    },
  }),
  'last-event-id-rejected': () => ({
    admit: (ctx) =>
      ctx.stage === 'post' && !ctx.session && ctx.req.headers['last-event-id'] !== undefined
        ? {
            status: 400,
            error: { code: ErrorCode.InvalidRequest, message: 'Bad Request: unknown Last-Event-ID', id: ctx.message?.id as string },
          }
        : undefined,
  }),
  'get-404': () => ({
    admit: (ctx) =>
      ctx.stage === 'route' && ctx.req.method === 'GET'
        ? { status: 404, error: { code: ErrorCode.InvalidRequest, message: 'Not found: GET is not routed' } }
        : undefined,
  }),
  'get-200': () => ({ admit: (ctx) => (ctx.stage === 'route' && ctx.req.method === 'GET' ? { status: 200 } : undefined) }),
  // a resume (Last-Event-ID) is not the GET stream the fault refuses
  'get-409': () => ({ admit: (ctx) => (ctx.stage === 'get' && ctx.req.headers['last-event-id'] === undefined ? CONFLICT : undefined) }),
  // the SDK's own answer to a second concurrent GET stream
  'second-get-409': () => ({
    admit: (ctx) => (ctx.stage === 'get' && ctx.session?.getOpen && ctx.req.headers['last-event-id'] === undefined ? CONFLICT : undefined),
  }),
  // the GET stream's own event ids are not accepted back
  'get-resume-refused': () => ({
    admit: (ctx) =>
      ctx.stage === 'get' && String(ctx.req.headers['last-event-id'] ?? '').startsWith(`${GET_STREAM_ID}.`)
        ? { status: 400, error: { code: -32000, message: 'Bad Request: unknown Last-Event-ID' } }
        : undefined,
  }),
  // the session is not terminated; the DELETE is acknowledged anyway
  'delete-keeps-session': () => ({ admit: (ctx) => (ctx.stage === 'delete' ? { status: 200 } : undefined) }),
  'delete-500': () => ({
    admit: (ctx) =>
      ctx.stage === 'delete'
        ? { status: 500, error: { code: ErrorCode.InternalError, message: 'Internal error: the session could not be terminated' } }
        : undefined,
  }),

  // ---- the request headers the SDK is shown ----
  // Accept goes unchecked (the SDK would answer 406), so a client that accepts only JSON may get SSE.
  'accept-ignored': () => ({
    sdkHeaders(headers, { req }) {
      if (req.method === 'POST') headers.accept = 'application/json, text/event-stream';
    },
  }),
  // The SDK would reject the version, so it never sees the header: the negotiated version stands
  // in for it (not removal), so the SDK still sees 2025-11-25 and primes its streams. The
  // hand-written server skips its own check.
  'accept-any-protocol-version': () => ({
    settings: { checkProtocolVersion: false },
    sdkHeaders(headers, { session }) {
      headers['mcp-protocol-version'] = session.revision;
    },
  }),

  // ---- start-up settings ----
  'no-retry': () => ({ settings: { retryMs: undefined } }),
  'no-listen-keepalive': () => ({ settings: { listenKeepAliveMs: 0 } }),
  'bind-all-interfaces': () => ({ settings: { bindAllInterfaces: true } }),
  'request-state-unverified': () => ({ settings: { trustRequestState: true } }),
  'no-session-ids': () => ({ settings: { sessionIds: false } }),
  'legacy-sse-dropped': () => ({ settings: { legacySse: false } }),
  'era-switch-global': () => ({ settings: { eraSwitchGlobal: true } }),
  'param-header-unchecked': () => ({ settings: { paramHeaders: { checked: false } } }),
  'param-header-string-compare': () => ({ settings: { paramHeaders: { stringCompare: true } } }),
  'param-header-any-characters': () => ({ settings: { paramHeaders: { anyCharacters: true } } }),

  // ---- SSE streams ----
  'no-priming-event': () => ({ stream: (r, ctx) => (ctx.kind === 'request' ? rewriteSse(r, { dropPriming: true }) : r) }),
  'sse-never-closes': () => ({ stream: (r, ctx) => (ctx.kind === 'request' ? rewriteSse(r, { holdOpenMs: HOLD_OPEN_MS }) : r) }),
  'sse-stream-held-open': () => ({ stream: (r, ctx) => (ctx.kind === 'request' ? holdAfterEnd(r, HELD_OPEN_MS) : r) }),

  // ---- routing of outgoing messages to a session's streams ----
  // While a GET stream is open, a call's progress goes there, as if it belonged to no request.
  'progress-on-get-stream': () => ({
    outbound: async (m, ctx) => {
      if ('id' in m || m.method !== 'notifications/progress' || !ctx.session.getOpen) return false;
      await ctx.send(m);
      return true;
    },
  }),
  // A notification that belongs to no request is also written to every open request stream.
  'broadcast-notifications': () => ({
    outbound: async (m, ctx) => {
      if ('id' in m || ctx.relatedRequestId !== undefined) return false;
      for (const id of ctx.session.openRequests()) await ctx.send(m, id as string | number);
      return false;
    },
  }),
  // A slow call's stream is ended and its response lost.
  'close-before-response': () => {
    const slow = perSession(() => new Set<unknown>());
    return {
      received(m, session) {
        if (m.method === 'tools/call' && requestedWorkMs(m) >= SLOW_CALL_MS) slow(session).add(m.id);
      },
      outbound: async (m, ctx) => {
        if (!isAnswer(m) || !slow(ctx.session).has(m.id)) return false;
        ctx.closeRequestStream(m.id as string | number);
        return true;
      },
    };
  },
  // A session-wide notification rides the stream of whatever call is answered.
  'unrelated-on-request-stream': () => {
    const calls = perSession(() => new Set<unknown>());
    return {
      received(m, session) {
        if (m.method === 'tools/call') calls(session).add(m.id);
      },
      outbound: async (m, ctx) => {
        if (isAnswer(m) && calls(ctx.session).delete(m.id)) {
          await ctx.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }, m.id as string | number);
        }
        return false;
      },
    };
  },
  // Responses are copied onto the open GET stream.
  'response-on-get-stream': () => {
    const injectors = new WeakMap<HttpSessionView, StreamInjector>();
    return {
      stream: (r, ctx) =>
        ctx.kind === 'get' && ctx.session ? rewriteSse(r, { onInjector: (write) => injectors.set(ctx.session!, write) }) : r,
      outbound: async (m, ctx) => {
        if (isAnswer(m)) injectors.get(ctx.session)?.(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
        return false;
      },
    };
  },
  // A client that drops the stream is taken to have cancelled.
  'disconnect-cancels': () => ({
    abandoned(id, _session, deliver) {
      deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id as string | number } });
    },
  }),

  // ---- 2026-07-28 (modern-faults.ts) ----
  'version-error-no-data': () => ({ rewrite: dropVersionData }),
  ...entries(MODERN_OUTGOING_FAULTS, (f) => modern(f, 'rewrite')),
  ...entries(
    [
      'meta-not-required',
      'loglevel-unchecked',
      'client-capability-unchecked',
      'listen-filter-ignored',
      'version-header-optional',
      'version-header-mismatch-accepted',
      'mcp-method-optional',
      'header-mismatch-accepted',
    ],
    (f) => modern(f, 'inbound'),
  ),
  ...entries(['log-without-level', 'cancelled-for-call', 'server-request-on-stream'], (f) => modern(f, 'ahead')),
  ...entries(['initialize-rejected-vaguely', 'no-base64-decode'], (f) => modern(f, 'admit')),
};

function isInitialize(request: unknown): boolean {
  return !!request && typeof request === 'object' && (request as JsonRpcMessage).method === 'initialize';
}

function hasError(body: unknown): boolean {
  return !!body && typeof body === 'object' && 'error' in body;
}

/** Fault version-error-no-data: the -32022 error keeps its code and message, loses its data. */
function dropVersionData(m: JsonRpcMessage): JsonRpcMessage {
  const error = m.error as { code?: unknown; data?: unknown } | undefined;
  if (error?.code !== ErrorCode.UnsupportedProtocolVersion || !('data' in error)) return m;
  const { data: _dropped, ...rest } = error;
  return { ...m, error: rest };
}

/** Fault sse-stream-held-open: an SSE response stays open for `ms` after its last event. */
function holdAfterEnd(response: Response, ms: number): Response {
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) return response;
  const held = response.body.pipeThrough(new TransformStream({ flush: () => new Promise<void>((r) => setTimeout(r, ms)) }));
  return new Response(held, { status: response.status, headers: response.headers });
}

/** The faults that hook in at the HTTP seams. */
export const HTTP_HOOKED_FAULTS = Object.keys(HOOKS) as FaultName[];

/** The HTTP seam of a server with these active faults (the identity when none has a hook here). */
export function httpSeamFor(faults: FaultSet): ComposedHttpSeam {
  const active: (readonly [FaultName, HttpSeam])[] = [];
  for (const name of faults) {
    const hook = HOOKS[name];
    if (hook) active.push([name, hook()]);
  }
  return composeHttpSeam(active);
}
