/**
 * The named seams where a defect hooks into the Streamable HTTP reference servers
 * (sdk/streamable-http.ts, sdk/stateless.ts, minimal/streamable-http.ts, sdk/dual.ts).
 *
 * Decision: a clean server reads like the example a server author would copy, so no fault is a
 * `faults.has(...)` on its conforming path. Each HTTP defect is a small `HttpSeam` object
 * (reference-servers/faults/hooks/http-*.ts); a server composes the hooks of its active faults
 * once, at start-up, and calls the composed seam at these points, in the order a request meets them:
 *
 *   settings                         start-up knobs: retry interval, keep-alives, bind address, ...
 *   admit(ctx)                       request admission: a refusal in the conforming path's place
 *                                    (stages: route, initialize, post, get, delete)
 *   sdkHeaders(headers, ctx)         the request headers an SDK transport is shown
 *   inbound(message, ctx)            a valid request on its way to the SDK (2026-07-28 stateless)
 *   received(message, session)       a stateful session takes a request in (hooks keep state here)
 *   outbound(message, ctx)           routing of an outgoing message to the session's streams
 *   abandoned(id, session, deliver)  a client dropped a request's stream before its answer
 *   reply(reply, ctx)                the status, headers and JSON body of an HTTP reply
 *   stream(response, ctx)            the SSE body of a reply (request stream or GET stream)
 *
 * These extend the shared seams of reference-servers/seams.ts for what only HTTP has: a reply's
 * JSON body as well as its head, admission before the SDK, and per-session stream routing.
 *
 * With no fault on, every seam is the identity and `active` flags are false, so a clean server
 * does no extra work (no body re-parsed, no stream wrapped).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { JsonRpcId, JsonRpcMessage } from '../../drivers/protocol.js';
import type { FaultName, FaultSet } from '../faults/index.js';

// ---------------------------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------------------------

/** Start-up configuration a defect may change; the clean value is in `CLEAN_SETTINGS`. */
export interface HttpSettings {
  /** the `retry:` (ms) put before a stream the server closes; undefined: none */
  retryMs: number | undefined;
  /** keep-alive interval of a 2026-07-28 listen stream (0: none) */
  listenKeepAliveMs: number;
  /** listen on every interface (the URL stays loopback) */
  bindAllInterfaces: boolean;
  /** the v2 tool server trusts requestState without verifying it */
  trustRequestState: boolean;
  /** a stateful server issues session ids (false: one shared sessionless state) */
  sessionIds: boolean;
  /** MCP-Protocol-Version is checked against the served revisions */
  checkProtocolVersion: boolean;
  /** the 2024-11-05 HTTP+SSE endpoints are served beside the Streamable HTTP one */
  legacySse: boolean;
  /** a dual-era server ends every 2025 session on a 2026-07-28 request */
  eraSwitchGlobal: boolean;
  /** Mcp-Param-* headers are compared with the arguments; how strictly */
  paramHeaders: { checked: boolean; stringCompare: boolean; anyCharacters: boolean };
}

export const CLEAN_SETTINGS: Readonly<HttpSettings> = {
  retryMs: 500,
  listenKeepAliveMs: 250,
  bindAllInterfaces: false,
  trustRequestState: false,
  sessionIds: true,
  checkProtocolVersion: true,
  legacySse: true,
  eraSwitchGlobal: false,
  paramHeaders: { checked: true, stringCompare: false, anyCharacters: false },
};

// ---------------------------------------------------------------------------------------------
// request admission
// ---------------------------------------------------------------------------------------------

/**
 * Where a request is admitted: `route` before anything else of its method is looked at,
 * `initialize` before a session opens, `post` once a POST's session (if any) is known and its
 * body is one valid message, `get`/`delete` once the GET's or DELETE's session is known.
 */
export type AdmissionStage = 'route' | 'initialize' | 'post' | 'get' | 'delete';

/** What a stateful session shows to hooks. */
export interface HttpSessionView {
  /** the protocol version initialize negotiated */
  readonly revision?: string;
  /** a standalone GET stream is open */
  readonly getOpen: boolean;
  /** ids of the requests whose exchange is still open */
  openRequests(): Iterable<unknown>;
}

export interface AdmissionContext {
  readonly req: IncomingMessage;
  readonly stage: AdmissionStage;
  /** the POST body as parsed (initialize / post stages; on a stateful session it may be a batch) */
  readonly message?: JsonRpcMessage;
  readonly session?: HttpSessionView;
}

/** An answer in the conforming path's place: a JSON-RPC error body, or none. */
export interface Refusal {
  status: number;
  error?: { code: number; message: string; id?: JsonRpcId };
  /** a JSON-RPC message to send as the body (run through the outgoing message layer) */
  message?: JsonRpcMessage;
}

// ---------------------------------------------------------------------------------------------
// replies
// ---------------------------------------------------------------------------------------------

/**
 * Why a reply is sent: `answer` carries the server's answer to a request (JSON or SSE),
 * `accepted` acknowledges a POST of notifications or responses, `refusal` rejects a request
 * before it reached the server's logic (unparseable, invalid, unknown session, ...).
 */
export type ReplyOccasion = 'answer' | 'accepted' | 'refusal';

/** An HTTP reply as the seam sees it. `body` is the parsed JSON body; undefined for an SSE stream or no body. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface ReplyContext {
  readonly req: IncomingMessage;
  readonly occasion: ReplyOccasion;
  /** the request body's message(s), when it was parsed */
  readonly request?: unknown;
  /** for a refusal: what was wrong with the body */
  readonly rejected?: 'parse-error' | 'invalid';
}

// ---------------------------------------------------------------------------------------------
// streams and outbound routing
// ---------------------------------------------------------------------------------------------

export interface StreamContext {
  /** a POST's response stream or the standalone GET stream */
  readonly kind: 'request' | 'get';
  readonly session?: HttpSessionView;
}

export interface OutboundContext {
  readonly session: HttpSessionView;
  /** the request this message belongs to, when the server's logic named one */
  readonly relatedRequestId?: string | number;
  /** send through the transport's own routing, onto the stream of `relatedRequestId` (none: the GET stream) */
  send(message: JsonRpcMessage, relatedRequestId?: string | number): Promise<void>;
  /** end a request's stream without its response */
  closeRequestStream(id: string | number): void;
}

/** An SSE text writer into an open stream, or undefined once it is gone. */
export type StreamInjector = ((text: string) => void) | undefined;

// ---------------------------------------------------------------------------------------------
// the seam of one fault
// ---------------------------------------------------------------------------------------------

/** The settings one fault changes. */
export type SettingsChange = Partial<Omit<HttpSettings, 'paramHeaders'>> & { paramHeaders?: Partial<HttpSettings['paramHeaders']> };

export interface HttpSeam {
  readonly settings?: SettingsChange;
  admit?(ctx: AdmissionContext): Refusal | undefined;
  sdkHeaders?(headers: Record<string, string | undefined>, ctx: { req: IncomingMessage; session: HttpSessionView }): void;
  /** a 2026-07-28 request: change it (or its headers) before the SDK sees it */
  inbound?(message: JsonRpcMessage, headers: IncomingHttpHeaders): JsonRpcMessage;
  /** messages the server sends on its own ahead of its answer to `message` */
  ahead?(message: JsonRpcMessage): readonly JsonRpcMessage[];
  /** an outgoing message object, before it is serialized (2026-07-28 stateless) */
  rewrite?(message: JsonRpcMessage): JsonRpcMessage;
  received?(message: JsonRpcMessage, session: HttpSessionView): void;
  /** returns true when it routed the message itself (the clean routing is skipped) */
  outbound?(message: JsonRpcMessage, ctx: OutboundContext): Promise<boolean>;
  abandoned?(requestId: unknown, session: HttpSessionView, deliver: (message: JsonRpcMessage) => void): void;
  /** whether `reply` needs the JSON body parsed (else `body` is left undefined) */
  readonly readsBody?: boolean;
  reply?(reply: Reply, ctx: ReplyContext): Reply;
  stream?(response: Response, ctx: StreamContext): Response;
  /**
   * A message-layer fault whose effect is on outgoing messages: an SDK's answers must go through
   * the message layer's outgoing rewrite, which they otherwise skip.
   */
  readonly rewritesMessages?: boolean;
  /**
   * A message-layer fault that must act after an SDK transport has routed the message by its id
   * (it changes the id, or makes the message unroutable): applied to the bytes on the wire.
   */
  readonly afterRouting?: boolean;
}

/** Every seam, composed: the identity where no hook is on. */
export interface ComposedHttpSeam {
  readonly settings: Readonly<HttpSettings>;
  admit(ctx: AdmissionContext): Refusal | undefined;
  sdkHeaders(headers: Record<string, string | undefined>, ctx: { req: IncomingMessage; session: HttpSessionView }): void;
  inbound(message: JsonRpcMessage, headers: IncomingHttpHeaders): JsonRpcMessage;
  ahead(message: JsonRpcMessage): readonly JsonRpcMessage[];
  rewrite(message: JsonRpcMessage): JsonRpcMessage;
  /** some hook rewrites outgoing messages (so an SDK's answers must be rewritten) */
  readonly rewrites: boolean;
  /** the active faults whose outgoing rewrite acts on the wire bytes, after routing */
  readonly afterRouting: FaultSet;
  received(message: JsonRpcMessage, session: HttpSessionView): void;
  outbound(message: JsonRpcMessage, ctx: OutboundContext): Promise<boolean>;
  abandoned(requestId: unknown, session: HttpSessionView, deliver: (message: JsonRpcMessage) => void): void;
  reply(reply: Reply, ctx: ReplyContext): Reply;
  /** some hook changes replies */
  readonly replies: boolean;
  readonly readsBody: boolean;
  stream(response: Response, ctx: StreamContext): Response;
}

/** Compose the hooks of the active faults, in the order given. */
export function composeHttpSeam(active: readonly (readonly [name: FaultName, seam: HttpSeam])[]): ComposedHttpSeam {
  const seams = active.map(([, seam]) => seam);
  const settings: HttpSettings = { ...CLEAN_SETTINGS, paramHeaders: { ...CLEAN_SETTINGS.paramHeaders } };
  for (const s of seams) {
    const { paramHeaders, ...rest } = s.settings ?? {};
    Object.assign(settings, rest);
    if (paramHeaders) Object.assign(settings.paramHeaders, paramHeaders);
  }
  const pick = <K extends keyof HttpSeam>(k: K) => seams.flatMap((s) => (s[k] ? [s] : []));
  const admits = pick('admit');
  const replies = pick('reply');
  const rewrites = pick('rewrite');
  const outbounds = pick('outbound');
  return {
    settings,
    admit(ctx) {
      for (const s of admits) {
        const refusal = s.admit!(ctx);
        if (refusal) return refusal;
      }
      return undefined;
    },
    sdkHeaders: (headers, ctx) => {
      for (const s of seams) s.sdkHeaders?.(headers, ctx);
    },
    inbound: (message, headers) => seams.reduce((m, s) => (s.inbound ? s.inbound(m, headers) : m), message),
    ahead: (message) => seams.flatMap((s) => s.ahead?.(message) ?? []),
    rewrite: (message) => rewrites.reduce((m, s) => s.rewrite!(m), message),
    rewrites: seams.some((s) => s.rewrite || s.rewritesMessages),
    afterRouting: new Set(active.flatMap(([name, seam]) => (seam.afterRouting ? [name] : []))),
    received: (message, session) => {
      for (const s of seams) s.received?.(message, session);
    },
    async outbound(message, ctx) {
      for (const s of outbounds) if (await s.outbound!(message, ctx)) return true;
      return false;
    },
    abandoned: (id, session, deliver) => {
      for (const s of seams) s.abandoned?.(id, session, deliver);
    },
    reply: (reply, ctx) => replies.reduce((r, s) => s.reply!(r, ctx), reply),
    replies: replies.length > 0,
    readsBody: seams.some((s) => s.readsBody),
    stream: (response, ctx) => seams.reduce((r, s) => (s.stream ? s.stream(r, ctx) : r), response),
  };
}
