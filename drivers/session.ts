/**
 * The two levels every driver offers.
 *
 * JSON-RPC level (RpcSession): request/response by id, notifications, and raw sends, the same on
 * every transport, so that a check written against it runs unchanged over stdio, legacy SSE and
 * Streamable HTTP. Era differences (initialize vs per-request `_meta`) are hidden here too.
 *
 * Raw level (StdioSession, HttpSession, LegacySseSession): what only one transport has, for the
 * checks that probe that transport's own rules (framing, headers, status codes).
 */
import type { JsonRpcId, JsonRpcMessage, Revision, TransportKind } from './protocol.js';
import type { SseEvent, WireEntry, WireLog } from './wire-log.js';

export type Target =
  | { transport: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | { transport: 'http'; url: string; headers?: Record<string, string> }
  | { transport: 'sse'; url: string; headers?: Record<string, string> };

export interface RequestOptions {
  /**
   * use this id instead of the session's counter (any JSON value, for id-type probes); responses
   * are paired by the core's id rule (rpc/ids.ts), so with id null nothing ever counts as the response
   */
  id?: JsonRpcId | Record<string, unknown>;
  timeoutMs?: number;
  /** extra `_meta` entries (a progressToken, a test marker); the modern era's required keys are added by the driver */
  meta?: Record<string, unknown>;
  /** HTTP only: headers to add (string) or remove (undefined) on this request's POST */
  headers?: Record<string, string | undefined>;
}

export interface RpcReply {
  /** the response whose id matches, if one arrived before the deadline */
  response?: JsonRpcMessage;
  /** every message that arrived in relation to the request: progress, logs, then the response */
  messages: JsonRpcMessage[];
  /** HTTP status of the POST that carried the request (http, sse) */
  status?: number;
  timedOut: boolean;
}

export type RawUntil =
  /** until the first JSON-RPC message arrives (or the deadline) */
  | 'message'
  /** for a fixed quiet window: used when nothing should come back */
  | 'quiet';

export interface RawOptions {
  until?: RawUntil;
  timeoutMs?: number;
  /** HTTP only: headers to add (string) or remove (undefined) */
  headers?: Record<string, string | undefined>;
}

export interface RawReply {
  /** JSON-RPC messages that arrived in answer (parsed stdout lines, HTTP JSON body or SSE data, legacy stream events) */
  messages: JsonRpcMessage[];
  /** payloads that were not JSON (stdout lines, HTTP body) */
  nonJson: string[];
  /** HTTP status of the POST (http, sse) */
  status?: number;
  /** HTTP response body text, when there was one */
  body?: string;
  contentType?: string;
}

export interface RpcSession {
  readonly transport: TransportKind;
  readonly revision: Revision;
  readonly log: WireLog;
  /** the initialize response (legacy era, when the session was opened with the handshake) */
  readonly initializeResponse?: JsonRpcMessage;
  request(method: string, params?: Record<string, unknown>, opts?: RequestOptions): Promise<RpcReply>;
  /**
   * The same as request(), answered through a callback. Drivers offer it where a promise per
   * request is a measurable share of the cost (stdio, with hundreds of thousands of requests a
   * second); the load engine uses it when it is there.
   */
  requestWith?(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions, onReply: (reply: RpcReply) => void): void;
  /** send a notification and report whatever came back within the quiet window (nothing should) */
  notify(method: string, params?: Record<string, unknown>, opts?: RawOptions): Promise<RawReply>;
  /** send exactly this text as one message (a stdio line, a POST body) */
  sendRaw(text: string, opts?: RawOptions): Promise<RawReply>;
  /** every JSON-RPC message the server has sent in this session, for passive checks */
  readonly received: readonly JsonRpcMessage[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** run the initialize handshake (legacy era). Default true; false for checks that handshake themselves */
  initialize?: boolean;
  /** the protocolVersion to offer in initialize (default: the session's revision) */
  offerVersion?: string;
  capabilities?: Record<string, unknown>;
}

export interface Driver {
  readonly transport: TransportKind;
  readonly log: WireLog;
  open(revision: Revision, opts?: OpenOptions): Promise<RpcSession>;
  /** close every session, stream and process this driver opened */
  close(): Promise<void>;
}

// ---- raw levels -----------------------------------------------------------------------------

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the shutdown step that preceded it (stdin close, SIGTERM) */
  afterMs?: number;
}

export interface StdioSession extends RpcSession {
  readonly transport: 'stdio';
  readonly pid: number | undefined;
  /** every stdout line since spawn, JSON or not, without its LF */
  readonly stdoutLines: readonly string[];
  /** stderr since spawn (bounded) */
  readonly stderr: string;
  /** write these bytes to stdin exactly (no newline added) */
  writeBytes(bytes: string | Uint8Array): Promise<void>;
  /** resolve when at least `count` stdout lines exist, or the deadline passes; returns whether they did */
  waitForLines(count: number, timeoutMs: number): Promise<boolean>;
  /** close stdin and wait up to timeoutMs for the process to exit by itself (no signal) */
  closeStdin(timeoutMs: number): Promise<ProcessExit | undefined>;
  /** SIGTERM and wait up to timeoutMs */
  terminate(timeoutMs: number): Promise<ProcessExit | undefined>;
  readonly exited: ProcessExit | undefined;
}

export interface HttpRequestSpec {
  method: string;
  /** default: the target URL */
  url?: string;
  /** exactly the headers to send; nothing is added */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  /** for SSE responses: stop reading after this many events, or when `until` is true */
  maxEvents?: number;
  until?: (event: SseEvent) => boolean;
  /** for SSE responses: stop reading after this long even if the stream stays open (default: timeoutMs) */
  readMs?: number;
  /** read at most this many body bytes, then stop and mark the reply truncated (default 8 MiB) */
  maxBytes?: number;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: string;
  events: SseEvent[];
  /** JSON-RPC messages parsed from the JSON body or from SSE `data` */
  messages: JsonRpcMessage[];
  /** the stream ended (server closed) rather than the harness stopping the read */
  ended: boolean;
  entry: WireEntry | undefined;
  /** why the exchange failed (status 0: refused, reset, no answer; or a body cut short) */
  error?: string;
  /** the deadline passed before the exchange completed */
  timedOut?: boolean;
  /** the body hit maxBytes and the rest was not read */
  truncated?: boolean;
}

/** An open SSE stream (a GET stream, or the legacy transport's event stream). */
export interface SseStream {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly events: readonly SseEvent[];
  readonly ended: boolean;
  /** why the stream failed to open or broke (status 0 when it never opened) */
  readonly error?: string;
  /**
   * wait up to timeoutMs for the next event matching `predicate` (default: any), walking a cursor:
   * events after the last one next() returned count, including those that arrived before the call
   */
  next(timeoutMs: number, predicate?: (e: SseEvent) => boolean): Promise<SseEvent | undefined>;
  close(): Promise<void>;
}

/** What both HTTP transports share: the raw request, and the harmless probe with one header changed. */
export interface HttpFamilySession extends RpcSession {
  readonly transport: 'http' | 'sse';
  readonly url: string;
  /** send exactly this request */
  send(spec: HttpRequestSpec): Promise<HttpReply>;
  /** open an SSE stream with exactly these headers (default: the target URL) */
  openStream(spec: HttpRequestSpec): Promise<SseStream>;
  /**
   * The transport's harmless request with the session's usual headers, changed by `overrides`
   * (a string sets a header, undefined removes it): a ping/discover POST on Streamable HTTP, the
   * stream GET on legacy SSE. For probes that change exactly one thing (Origin, Host, a session id).
   */
  probe(overrides: Record<string, string | undefined>): Promise<HttpReply>;
}

export interface HttpSession extends HttpFamilySession {
  readonly transport: 'http';
  /** the Mcp-Session-Id the server issued, if any */
  readonly sessionId: string | undefined;
  /** the headers this session puts on a POST of `method` (Accept, Content-Type, session, version, and the 2026-07-28 metadata) */
  headersFor(method?: string, params?: Record<string, unknown>): Record<string, string>;
}

export interface LegacySseSession extends HttpFamilySession {
  readonly transport: 'sse';
  /** the absolute URL from the `endpoint` event */
  readonly endpointUrl: string;
  /** the event stream this session was opened on */
  readonly stream: SseStream;
}
