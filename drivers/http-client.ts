/**
 * The raw HTTP level shared by both HTTP drivers and the load engine: one undici Agent (a
 * keep-alive pool per origin) and undici's lowest-level `dispatch` API, so that a request costs
 * one handler object, one promise and one timer, and nothing else when the wire log is off.
 *
 * Decisions:
 * - Failures resolve, they do not throw: a refused connection, a reset, a server that accepts the
 *   TCP connection and never answers all give `status: 0` with `error` (and `timedOut` for the
 *   deadline), so that a check has evidence and the load engine can count errors by kind.
 * - Headers are sent exactly as given. undici adds `host` (a spec `Host` header replaces it),
 *   `content-length` and `connection: keep-alive` itself. It refuses, before anything is sent,
 *   `transfer-encoding`, `keep-alive`, `upgrade` and `expect` headers and values with CR/LF/NUL:
 *   such a request resolves with status 0 and undici's reason. A `Connection` header is consumed
 *   by undici (`close` ends the socket after the exchange) rather than sent verbatim.
 * - Deadlines: the response headers must arrive within `timeoutMs` of the send. A JSON (non-SSE)
 *   body must also be complete by then. An SSE body is read until `readMs` after the send when
 *   `readMs` is given (else the same `timeoutMs`); stopping there is not an error (`ended: false`).
 * - Memory: at most `maxBytes` of body (then `truncated`), at most `maxEvents` SSE events.
 * - What a response means (body kind, messages, limits, failure texts) is drivers/http-reply.ts,
 *   shared with the lean client: this file moves bytes and keeps the wire log.
 */
import { Agent, type Dispatcher } from 'undici';
import { DEADLINES } from './deadline.js';
import {
  CLIENT_CLOSED,
  describeError,
  MAX_HEAD_BYTES,
  normalizeHeaders,
  ReplyReader,
  type SendTuning,
  type StreamTuning,
  stoppedBefore,
} from './http-reply.js';
import type { HttpReply, HttpRequestSpec, SseStream } from './session.js';
import type { SseEvent, WireEntry, WireLog } from './wire-log.js';

// the reply policy's names, where the drivers have always found them
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_EVENTS,
  EVENT_STREAM,
  isEventStream,
  type SendTuning,
  type StreamTuning,
} from './http-reply.js';

export interface HttpClientOptions {
  /** the URL used when a spec has none */
  baseUrl?: string;
  /** sockets per origin (default: unlimited, undici's default) */
  connections?: number;
  keepAliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** extra CA certificates to trust; certificates are always verified */
  ca?: string | Buffer | Array<string | Buffer>;
}

interface Endpoint {
  origin: string;
  path: string;
}

const ENDPOINT_CACHE_LIMIT = 256;

export class HttpClient {
  private readonly agent: Agent;
  private readonly baseUrl: string | undefined;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly streams = new Set<StreamHandle>();
  private closed = false;

  constructor(options: HttpClientOptions = {}) {
    this.baseUrl = options.baseUrl;
    const connect: Record<string, unknown> = { timeout: options.connectTimeoutMs ?? DEADLINES.connect };
    if (options.ca !== undefined) connect['ca'] = options.ca;
    this.agent = new Agent({
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      connections: options.connections ?? null,
      // the policy's head limit, not undici's 16 KiB default: both clients accept the same heads
      maxHeaderSize: MAX_HEAD_BYTES,
      connect,
    });
  }

  /** Send one request and read its response within the spec's limits. Never rejects. */
  send(spec: HttpRequestSpec, log: WireLog, tuning?: SendTuning): Promise<HttpReply> {
    return new Promise<HttpReply>((resolve) => {
      const exchange = new Exchange(spec, log, tuning, resolve);
      this.dispatch(spec, exchange);
    });
  }

  /**
   * Open a stream: resolves once the response headers arrive (an SSE body is then read in the
   * background until the stream ends, `readMs` passes or `close()`), or, for a response that is
   * not SSE, once its bounded body has been read. Never rejects: a failure gives status 0.
   */
  openStream(spec: HttpRequestSpec, log: WireLog, tuning: StreamTuning = {}): Promise<SseStream> {
    return new Promise<SseStream>((resolve) => {
      const stream = new StreamHandle(spec, log, tuning, resolve, (s) => this.streams.delete(s));
      this.streams.add(stream);
      this.dispatch(spec, stream.exchange);
    });
  }

  /** Close every stream and socket; requests still in flight resolve with status 0. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.streams].map((s) => s.close()));
    await this.agent.destroy();
  }

  private dispatch(spec: HttpRequestSpec, exchange: Exchange): void {
    const url = spec.url ?? this.baseUrl;
    if (url === undefined) {
      exchange.fail(new Error('no URL: the spec has none and the client has no baseUrl'));
      return;
    }
    let endpoint: Endpoint;
    try {
      endpoint = this.endpoint(url);
    } catch (err) {
      exchange.fail(err as Error);
      return;
    }
    exchange.begin(url);
    if (this.closed) {
      exchange.failWith(CLIENT_CLOSED);
      return;
    }
    const options: Dispatcher.DispatchOptions = {
      origin: endpoint.origin,
      path: endpoint.path,
      method: spec.method as Dispatcher.HttpMethod,
      headers: spec.headers,
      body: spec.body ?? null,
      // our own timer is the deadline; undici's idle timers would cut an SSE stream short
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    this.agent.dispatch(options, exchange);
  }

  /** Parsing a URL per request is measurable at load; a target uses a handful of URLs. */
  private endpoint(url: string): Endpoint {
    let endpoint = this.endpoints.get(url);
    if (endpoint === undefined) {
      const parsed = new URL(url);
      endpoint = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (this.endpoints.size >= ENDPOINT_CACHE_LIMIT) this.endpoints.clear();
      this.endpoints.set(url, endpoint);
    }
    return endpoint;
  }
}

/** Why the harness stopped a read on purpose (not an error). */
class StopReading extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'StopReading';
  }
}

/** undici's handler for one exchange: feeds the shared reader and settles exactly once. */
class Exchange implements Dispatcher.DispatchHandler {
  readonly reader = new ReplyReader();
  entry: WireEntry | undefined;
  settled = false;
  private controller: Dispatcher.DispatchController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;

  constructor(
    readonly spec: HttpRequestSpec,
    private readonly log: WireLog,
    private readonly tuning: SendTuning | undefined,
    private readonly onSettled: (reply: HttpReply) => void,
    /** set by a stream: called once the response headers arrive */
    public onHeadersArrived?: () => void,
    private readonly streamTuning?: StreamTuning,
  ) {}

  begin(url: string): void {
    this.startedAt = performance.now();
    const timeoutMs = this.spec.timeoutMs ?? DEADLINES.request;
    this.reader.begin(this.spec, timeoutMs, this.tuning, this.streamTuning, this.startedAt);
    this.timer = setTimeout(() => this.onDeadline(), timeoutMs);
    this.timer.unref();
    if (this.log.enabled) this.entry = recordRequest(this.log, this.spec, url);
  }

  /** Abort from outside (a stream's close): what was read so far is the reply. */
  stop(why: string): void {
    if (this.settled) return;
    if (this.reader.status === 0) this.reader.fail(stoppedBefore(why));
    this.finish();
    this.controller?.abort(new StopReading(why));
  }

  fail(err: Error): void {
    this.failWith(describeError(err, this.reader.status));
  }

  failWith(error: string): void {
    if (this.settled) return;
    this.reader.fail(error);
    this.finish();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // the deadline passed while the request waited for a socket
    if (this.settled) controller.abort(new StopReading('deadline passed before the request was sent'));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (this.settled || statusCode < 200) return;
    this.controller = controller;
    const reader = this.reader;
    reader.head(statusCode, normalizeHeaders(headers));
    if (reader.isSse) {
      if (reader.holdsOpen) {
        // a session-long stream: its owner closes it; memory is bounded by the event window
        clearTimeout(this.timer);
        this.timer = undefined;
      } else if (reader.readsForReadMs) {
        clearTimeout(this.timer);
        const remaining = Math.max(0, this.startedAt + this.spec.readMs! - performance.now());
        this.timer = setTimeout(() => this.onDeadline(), remaining);
        this.timer.unref();
      }
    }
    if (this.entry) {
      this.log.completeHttp(this.entry, { status: statusCode, responseHeaders: reader.headers! });
    }
    this.onHeadersArrived?.();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.reader.data(chunk)) return;
    this.finish();
    controller.abort(new StopReading(this.reader.truncated ? 'maxBytes reached' : 'read condition met'));
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.reader.end();
    this.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.settled || err instanceof StopReading) return;
    this.reader.fail(describeError(err, this.reader.status));
    this.finish();
  }

  private onDeadline(): void {
    if (this.settled) return;
    this.reader.deadline();
    this.finish();
    this.controller?.abort(new StopReading('deadline'));
  }

  private finish(): void {
    this.settled = true;
    clearTimeout(this.timer);
    const reply = this.reader.reply(this.entry);
    if (this.entry) completeEntry(this.log, this.entry, reply, performance.now() - this.startedAt);
    this.onSettled(reply);
  }
}

/** An open SSE (or other) response read in the background; `next()` walks a cursor over its events. */
class StreamHandle implements SseStream {
  readonly exchange: Exchange;
  private reply: HttpReply | undefined;
  private resolveOpen: ((s: SseStream) => void) | undefined;
  /** absolute index of the next event `next()` may return */
  private cursor = 0;
  private readonly waiters = new Set<Waiter>();
  private endNotified = false;

  constructor(
    spec: HttpRequestSpec,
    private readonly log: WireLog,
    private readonly tuning: StreamTuning,
    resolve: (s: SseStream) => void,
    private readonly forget: (s: StreamHandle) => void,
  ) {
    this.resolveOpen = resolve;
    const streamTuning: StreamTuning = {
      holdOpen: tuning.holdOpen === true,
      onEvent: (event) => this.onEvent(event),
    };
    if (tuning.onMessage) streamTuning.onMessage = tuning.onMessage;
    this.exchange = new Exchange(
      spec,
      log,
      undefined,
      (reply) => this.onSettled(reply),
      () => this.onHeaders(),
      streamTuning,
    );
  }

  get status(): number {
    return this.exchange.reader.status;
  }
  get headers(): Record<string, string> {
    return this.exchange.reader.headers ?? {};
  }
  get events(): readonly SseEvent[] {
    return this.exchange.reader.events ?? NO_EVENTS;
  }
  get ended(): boolean {
    return this.exchange.reader.ended;
  }
  get error(): string | undefined {
    return this.exchange.reader.error;
  }

  /**
   * The first event after the last one `next()` returned that matches `predicate` (events it
   * passes over stay in `events`). Events that arrived before the call count: nothing is missed
   * between open and the first `next()`.
   */
  next(timeoutMs: number, predicate?: (e: SseEvent) => boolean): Promise<SseEvent | undefined> {
    const found = this.scan(predicate);
    if (found !== undefined || this.reply !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const waiter: Waiter = { predicate, resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    this.exchange.stop('closed by the harness');
  }

  private scan(predicate?: (e: SseEvent) => boolean): SseEvent | undefined {
    const events = this.exchange.reader.events ?? NO_EVENTS;
    const dropped = this.exchange.reader.dropped;
    for (let i = Math.max(this.cursor, dropped); i < dropped + events.length; i++) {
      const event = events[i - dropped]!;
      if (!predicate || predicate(event)) {
        this.cursor = i + 1;
        return event;
      }
    }
    return undefined;
  }

  private onHeaders(): void {
    // a non-SSE answer (405, 409, a JSON error) is read to its end before open resolves
    if (this.exchange.reader.isSse) this.announce();
  }

  private onEvent(event: SseEvent): void {
    if (this.log.enabled) {
      this.log.record({
        channel: 'sse',
        direction: 'in',
        summary: `event ${event.event ?? 'message'}${event.id !== undefined ? ` id=${event.id}` : ''}`,
        data: event.data,
      });
    }
    this.tuning.onEvent?.(event);
    for (const waiter of this.waiters) {
      if (waiter.predicate && !waiter.predicate(event)) continue;
      // the event is the newest one: move the cursor past it
      this.cursor = this.exchange.reader.dropped + (this.exchange.reader.events?.length ?? 0);
      this.waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(event);
      break;
    }
  }

  private onSettled(reply: HttpReply): void {
    this.reply = reply;
    this.announce();
    this.forget(this);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.scan(waiter.predicate));
    }
    this.waiters.clear();
    if (!this.endNotified) {
      this.endNotified = true;
      this.tuning.onEnd?.();
    }
  }

  private announce(): void {
    const resolve = this.resolveOpen;
    this.resolveOpen = undefined;
    resolve?.(this);
  }
}

interface Waiter {
  predicate: ((e: SseEvent) => boolean) | undefined;
  resolve: (e: SseEvent | undefined) => void;
  timer: NodeJS.Timeout | undefined;
}

const NO_EVENTS: readonly SseEvent[] = [];

function recordRequest(log: WireLog, spec: HttpRequestSpec, url: string): WireEntry | undefined {
  const body = spec.body;
  return log.record({
    channel: 'http',
    direction: 'out',
    summary: `${spec.method} ${pathOf(url)}`,
    http: {
      method: spec.method,
      url,
      requestHeaders: spec.headers,
      ...(body === undefined ? {} : { requestBody: typeof body === 'string' ? body : Buffer.from(body).toString('utf8') }),
    },
  });
}

function completeEntry(log: WireLog, entry: WireEntry, reply: HttpReply, durationMs: number): void {
  const http = entry.http!;
  const status = reply.status === 0 ? `failed: ${reply.error ?? 'no response'}` : String(reply.status);
  const shape = reply.events.length > 0 ? ` (${reply.events.length} events)` : '';
  const patch: Parameters<WireLog['completeHttp']>[1] = {
    status: reply.status,
    responseHeaders: reply.headers,
    durationMs: Math.round(durationMs * 10) / 10,
  };
  if (reply.events.length > 0) patch.events = reply.events;
  if (reply.body.length > 0 && reply.events.length === 0) patch.responseBody = reply.body;
  const notes = [reply.error, reply.truncated ? 'body truncated at maxBytes' : undefined].filter(Boolean);
  if (notes.length > 0) patch.error = notes.join('; ');
  log.completeHttp(entry, patch, `${http.method} ${pathOf(http.url)} -> ${status}${shape}`);
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
