/**
 * The named seams where a defect hooks into a clean reference server.
 *
 * Decision: the clean servers read like the example a server author would copy, so no fault is a
 * `faults.has(...)` on their conforming path. Each defect is a small object implementing ONE of
 * the seams below (registered in reference-servers/faults/hooks/<area>.ts), and a server composes
 * the hooks of its active faults once, at start-up (`composeX(hooks)`); with no fault on, every
 * seam is the identity. The seams, in the order a message meets them:
 *
 *   MessageSeam      the JSON-RPC message layer (message-layer.ts): a value in, a message out
 *     parsed(value)                  a parsed value before validation            → the value to validate
 *     rejection(reply, c)            the -32700/-32600 answer to a non-message   → the reply, or undefined: send nothing
 *     admit(message, state)          the initialize gate of a legacy connection  → true serve / false refuse / undefined: clean rule
 *     received(message, ctx)         a valid client message before the logic     → 'deliver' (default) | 'drop' | 'crash'
 *     answer(message)                a response the layer itself sends to a client message (on top of delivering it)
 *     afterReceive(message)          messages sent of the server's own accord after receiving one
 *     outbound(message, ctx)         every message the server sends              → the message to send
 *     afterSend(sent, request)       messages sent of the server's own accord after a response
 *     serialize(message, ctx)        the JSON text of one message                → text, or undefined: JSON.stringify
 *   BatchSeam        the JSON-RPC batch policy (stdio-wire.ts, http/batch.ts)
 *     accepts(clean, negotiated)     whether a batch is taken                    → boolean (clean: negotiated 2025-03-26)
 *     answerNotificationsOnly        a batch of only notifications is answered with []
 *     emptyAsArray                   the -32600 for [] goes out inside an array
 *     dropInvalid                    invalid elements get no -32600
 *   ProcessSeam      a stdio process (stdio-wire.ts, stdio-main.ts)
 *     start(io)                      writes at start-up (stdout hygiene, stderr), signal handlers
 *     lineEnd                        the stdout line terminator                  (default '\n')
 *     batchWindowMs                  collect the writes of this window into one array line (default: none)
 *     unbufferedLines                split stdin within each read, without joining reads
 *     stdinEnd()                     on stdin EOF                                → 'exit' (default) | 'ignore'
 *   StreamWriterSeam an SSE stream (http/legacy-sse-wire.ts, http/sse-faults.ts)
 *     opening()                      text put ahead of the first thing the server writes
 *     event(text, ctx)               one SSE event as written                    → the text to write ('' drops it)
 *     holdOpenMs                     keep a stream that carried a message open this long after its end
 *   RequestGuardSeam the HTTP request head checks before a request is served (http/guard.ts)
 *     originAllowed(clean, origin)   → whether the Origin is let through         (clean: our own origin)
 *     originRefusal                  the status of a refused Origin              (default 403)
 *     hostAllowed(clean, host)       → whether the Host is let through
 *   ResponseHeadSeam the status and headers of an HTTP response
 *     head(head, ctx)                → the head to send (a head may carry a body where the clean one has none)
 *   SessionSeam      the session store and event store (http/sessions.ts, http/event-store.ts)
 *     issueId(fresh, ctx)            the id of a new session                     → the id
 *     recycleTerminated              a terminated id may be issued again (and revives)
 *     missingSession(latest)         a request without Mcp-Session-Id            → the id to serve it on, or undefined: 400
 *     unknownSession(clean)          the refusal of an id never issued           (default 404 "Session not found")
 *     eventId(ctx)                   the id of a stored SSE event                → the id
 *     replay(ctx)                    which stored events a Last-Event-ID resume sends
 *
 * A seam's hooks are composed in catalog order; a hook that returns the value unchanged is a no-op.
 * A fault's hooks are made by a factory (faults/hooks: `FaultHookFactory`), called once per
 * composition, so a hook with state (a counter, a map of ids) has it per connection / per server.
 * A server gets its composed seams with `seamsFor(faults)` (reference-servers/faults/hooks/index.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { JsonRpcId, JsonRpcMessage } from '../drivers/protocol.js';

// ---------------------------------------------------------------------------------------------
// MessageSeam
// ---------------------------------------------------------------------------------------------

/** What the message layer knows when a message goes out. */
export interface OutboundContext {
  /** the client request this message answers (a response), if the layer saw it come in */
  readonly request?: JsonRpcMessage;
}

/** What the message layer knows when a valid client message comes in. */
export interface ReceiveContext {
  /** whether a client request with this id is still unanswered */
  inFlight(id: unknown): boolean;
}

/** The handshake state of a legacy-era connection, for the initialize gate. */
export interface GateState {
  readonly initializeSeen: boolean;
  readonly initializedSeen: boolean;
}

/** The answer the layer gives to a non-message (unparseable text or an invalid object). */
export type Rejected = { kind: 'parse-error' } | { kind: 'invalid'; id: JsonRpcId; reason: string };

export type ReceiveDecision = 'deliver' | 'drop' | 'crash';

export interface MessageSeam {
  parsed?(value: unknown): unknown;
  rejection?(reply: JsonRpcMessage | undefined, rejected: Rejected): JsonRpcMessage | undefined;
  admit?(message: JsonRpcMessage, state: GateState): boolean | undefined;
  received?(message: JsonRpcMessage, ctx: ReceiveContext): ReceiveDecision | undefined;
  answer?(message: JsonRpcMessage): JsonRpcMessage | undefined;
  afterReceive?(message: JsonRpcMessage): readonly JsonRpcMessage[];
  outbound?(message: JsonRpcMessage, ctx: OutboundContext): JsonRpcMessage;
  afterSend?(sent: JsonRpcMessage, request: JsonRpcMessage): readonly JsonRpcMessage[];
  serialize?(message: JsonRpcMessage, ctx: OutboundContext): string | undefined;
}

// ---------------------------------------------------------------------------------------------
// ProcessSeam
// ---------------------------------------------------------------------------------------------

export interface ProcessIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface ProcessSeam {
  start?(io: ProcessIo): void;
  readonly lineEnd?: string;
  readonly batchWindowMs?: number;
  readonly unbufferedLines?: boolean;
  stdinEnd?(): 'exit' | 'ignore';
}

// ---------------------------------------------------------------------------------------------
// StreamWriterSeam
// ---------------------------------------------------------------------------------------------

export interface StreamEventContext {
  /** the legacy HTTP+SSE stream, a Streamable HTTP request (POST) stream or its GET stream */
  readonly stream: 'legacy' | 'request' | 'get';
  /** a priming event (an id and empty data, no message) */
  readonly priming: boolean;
}

export interface StreamWriterSeam {
  opening?(): string | undefined;
  event?(text: string, ctx: StreamEventContext): string;
  readonly holdOpenMs?: number;
}

// ---------------------------------------------------------------------------------------------
// BatchSeam
// ---------------------------------------------------------------------------------------------

export interface BatchSeam {
  accepts?(clean: boolean, negotiated: string | undefined): boolean;
  readonly answerNotificationsOnly?: boolean;
  readonly emptyAsArray?: boolean;
  readonly dropInvalid?: boolean;
}

export interface ComposedBatchSeam {
  accepts(clean: boolean, negotiated: string | undefined): boolean;
  readonly answerNotificationsOnly: boolean;
  readonly emptyAsArray: boolean;
  readonly dropInvalid: boolean;
}

export function composeBatchSeam(seams: readonly BatchSeam[]): ComposedBatchSeam {
  return {
    accepts: (clean, negotiated) => seams.reduce((ok, s) => (s.accepts ? s.accepts(ok, negotiated) : ok), clean),
    answerNotificationsOnly: seams.some((s) => s.answerNotificationsOnly),
    emptyAsArray: seams.some((s) => s.emptyAsArray),
    dropInvalid: seams.some((s) => s.dropInvalid),
  };
}

// ---------------------------------------------------------------------------------------------
// RequestGuardSeam
// ---------------------------------------------------------------------------------------------

export interface RequestGuardSeam {
  originAllowed?(clean: boolean, origin: string): boolean;
  readonly originRefusal?: number;
  hostAllowed?(clean: boolean, host: string): boolean;
}

export interface ComposedRequestGuardSeam {
  originAllowed(clean: boolean, origin: string): boolean;
  readonly originRefusal: number;
  hostAllowed(clean: boolean, host: string): boolean;
}

export function composeRequestGuardSeam(seams: readonly RequestGuardSeam[]): ComposedRequestGuardSeam {
  return {
    originAllowed: (clean, origin) => seams.reduce((ok, s) => (s.originAllowed ? s.originAllowed(ok, origin) : ok), clean),
    originRefusal: seams.find((s) => s.originRefusal !== undefined)?.originRefusal ?? 403,
    hostAllowed: (clean, host) => seams.reduce((ok, s) => (s.hostAllowed ? s.hostAllowed(ok, host) : ok), clean),
  };
}

// ---------------------------------------------------------------------------------------------
// ResponseHeadSeam
// ---------------------------------------------------------------------------------------------

export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
  /** set by a hook that answers in the body where the clean response has none */
  body?: string;
}

/** Why a response is being sent, so that a hook can pick its occasion. */
export type ResponseOccasion =
  /** a POST of notifications or responses only, accepted (202 when clean) */
  | 'accepted'
  /** a JSON body carrying a JSON-RPC answer */
  | 'json'
  /** the head of an SSE stream */
  | 'sse'
  /** an HTTP-level refusal (4xx/5xx with a JSON-RPC error body, or none) */
  | 'refusal';

export interface ResponseContext {
  readonly req: IncomingMessage;
  readonly occasion: ResponseOccasion;
  /** the JSON-RPC message(s) of the request body, when it was read */
  readonly request?: unknown;
  /** the JSON-RPC answer the body carries, when there is one */
  readonly answer?: JsonRpcMessage;
}

export interface ResponseHeadSeam {
  head?(head: ResponseHead, ctx: ResponseContext): ResponseHead;
}

// ---------------------------------------------------------------------------------------------
// SessionSeam
// ---------------------------------------------------------------------------------------------

export interface IssueContext {
  /** how many ids this table has issued before this one */
  readonly issued: number;
}

export interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
}

export interface EventIdContext {
  readonly streamId: string;
  /** the session-wide event counter, this event included (1, 2, ...) */
  readonly sessionCount: number;
  /** the event counter of this stream, this event included (1, 2, ...) */
  readonly streamCount: number;
}

export interface ReplayContext<E extends StoredEvent = StoredEvent> {
  readonly streamId: string;
  /** the session's stored events after the resumed one, any stream, oldest first */
  readonly later: readonly E[];
}

/** How a request naming a session the server does not have is answered. */
export interface SessionRefusal {
  readonly status: number;
  readonly message: string;
}

export interface SessionSeam {
  issueId?(fresh: string, ctx: IssueContext): string;
  readonly recycleTerminated?: boolean;
  missingSession?(latest: string | undefined): string | undefined;
  unknownSession?(clean: SessionRefusal): SessionRefusal;
  eventId?(id: string, ctx: EventIdContext): string;
  replay?<E extends StoredEvent>(events: readonly E[], ctx: ReplayContext<E>): readonly E[];
}

// ---------------------------------------------------------------------------------------------
// the hooks of one fault, and their composition
// ---------------------------------------------------------------------------------------------

/** What one fault plugs in: normally exactly one seam. */
export interface FaultHooks {
  message?: MessageSeam;
  batch?: BatchSeam;
  guard?: RequestGuardSeam;
  process?: ProcessSeam;
  stream?: StreamWriterSeam;
  head?: ResponseHeadSeam;
  session?: SessionSeam;
}

type Transform<A, C> = (value: A, ctx: C) => A;

/** Chain the hooks' transforms left to right; the identity when there are none. */
function chain<A, C>(fns: readonly (Transform<A, C> | undefined)[]): Transform<A, C> {
  const live = fns.filter((f): f is Transform<A, C> => f !== undefined);
  return (value, ctx) => live.reduce((v, f) => f(v, ctx), value);
}

/** The first answer a hook gives, or undefined (the clean behaviour). */
function firstAnswer<A extends unknown[], R>(fns: readonly (((...args: A) => R | undefined) | undefined)[]): (...args: A) => R | undefined {
  const live = fns.filter((f): f is (...args: A) => R | undefined => f !== undefined);
  return (...args) => {
    for (const f of live) {
      const r = f(...args);
      if (r !== undefined) return r;
    }
    return undefined;
  };
}

/** A MessageSeam with every method present: the composition of `seams`, the identity when empty. */
export type ComposedMessageSeam = Required<MessageSeam>;

export function composeMessageSeam(seams: readonly MessageSeam[]): ComposedMessageSeam {
  const rejections = seams.map((s) => s.rejection?.bind(s));
  const received = firstAnswer(seams.map((s) => s.received?.bind(s)));
  return {
    parsed: (value) => seams.reduce((v, s) => (s.parsed ? s.parsed(v) : v), value),
    rejection: (reply, rejected) => rejections.reduce((r, f) => (f ? f(r, rejected) : r), reply),
    admit: firstAnswer(seams.map((s) => s.admit?.bind(s))),
    received: (message, ctx) => received(message, ctx) ?? 'deliver',
    answer: firstAnswer(seams.map((s) => s.answer?.bind(s))),
    afterReceive: (message) => seams.flatMap((s) => s.afterReceive?.(message) ?? []),
    outbound: chain(seams.map((s) => s.outbound?.bind(s))),
    afterSend: (sent, request) => seams.flatMap((s) => s.afterSend?.(sent, request) ?? []),
    serialize: firstAnswer(seams.map((s) => s.serialize?.bind(s))),
  };
}

export interface ComposedProcessSeam {
  start(io: ProcessIo): void;
  readonly lineEnd: string;
  readonly batchWindowMs: number | undefined;
  readonly unbufferedLines: boolean;
  stdinEnd(): 'exit' | 'ignore';
}

export function composeProcessSeam(seams: readonly ProcessSeam[]): ComposedProcessSeam {
  return {
    start: (io) => {
      for (const s of seams) s.start?.(io);
    },
    lineEnd: seams.find((s) => s.lineEnd !== undefined)?.lineEnd ?? '\n',
    batchWindowMs: seams.find((s) => s.batchWindowMs !== undefined)?.batchWindowMs,
    unbufferedLines: seams.some((s) => s.unbufferedLines),
    stdinEnd: () => (seams.some((s) => s.stdinEnd?.() === 'ignore') ? 'ignore' : 'exit'),
  };
}

export interface ComposedStreamWriterSeam {
  opening(): string | undefined;
  event(text: string, ctx: StreamEventContext): string;
  readonly holdOpenMs: number;
  /** whether any hook is on: a clean stream is not wrapped at all */
  readonly active: boolean;
}

export function composeStreamWriterSeam(seams: readonly StreamWriterSeam[]): ComposedStreamWriterSeam {
  const openings = seams.map((s) => s.opening?.bind(s));
  return {
    opening: () => {
      const text = openings.map((f) => f?.() ?? '').join('');
      return text === '' ? undefined : text;
    },
    event: chain(seams.map((s) => s.event?.bind(s))),
    holdOpenMs: Math.max(0, ...seams.map((s) => s.holdOpenMs ?? 0)),
    active: seams.length > 0,
  };
}

export interface ComposedResponseHeadSeam {
  head(head: ResponseHead, ctx: ResponseContext): ResponseHead;
}

export function composeResponseHeadSeam(seams: readonly ResponseHeadSeam[]): ComposedResponseHeadSeam {
  return { head: chain(seams.map((s) => s.head?.bind(s))) };
}

export interface ComposedSessionSeam {
  issueId(fresh: string, ctx: IssueContext): string;
  readonly recycleTerminated: boolean;
  missingSession(latest: string | undefined): string | undefined;
  unknownSession(clean: SessionRefusal): SessionRefusal;
  eventId(id: string, ctx: EventIdContext): string;
  replay<E extends StoredEvent>(events: readonly E[], ctx: ReplayContext<E>): readonly E[];
}

export function composeSessionSeam(seams: readonly SessionSeam[]): ComposedSessionSeam {
  const replays = seams.filter((s) => s.replay !== undefined);
  return {
    issueId: chain(seams.map((s) => s.issueId?.bind(s))),
    recycleTerminated: seams.some((s) => s.recycleTerminated),
    missingSession: firstAnswer(seams.map((s) => s.missingSession?.bind(s))),
    unknownSession: (clean) => seams.reduce((r, s) => (s.unknownSession ? s.unknownSession(r) : r), clean),
    eventId: chain(seams.map((s) => s.eventId?.bind(s))),
    replay: <E extends StoredEvent>(events: readonly E[], ctx: ReplayContext<E>) => replays.reduce((es, s) => s.replay!(es, ctx), events),
  };
}

/** Every seam of a server, composed from its active faults (reference-servers/faults/hooks: `seamsFor`). */
export interface ServerSeams {
  readonly message: ComposedMessageSeam;
  readonly batch: ComposedBatchSeam;
  readonly guard: ComposedRequestGuardSeam;
  readonly process: ComposedProcessSeam;
  readonly stream: ComposedStreamWriterSeam;
  readonly head: ComposedResponseHeadSeam;
  readonly session: ComposedSessionSeam;
}

/** Compose each seam from the hooks of the active faults, in the order given. */
export function composeSeams(hooks: readonly FaultHooks[]): ServerSeams {
  const of = <K extends keyof FaultHooks>(k: K) => hooks.flatMap((h) => (h[k] ? [h[k] as NonNullable<FaultHooks[K]>] : []));
  return {
    message: composeMessageSeam(of('message')),
    batch: composeBatchSeam(of('batch')),
    guard: composeRequestGuardSeam(of('guard')),
    process: composeProcessSeam(of('process')),
    stream: composeStreamWriterSeam(of('stream')),
    head: composeResponseHeadSeam(of('head')),
    session: composeSessionSeam(of('session')),
  };
}
