/**
 * What the Streamable HTTP and legacy HTTP+SSE sessions have in common: the raw level (send,
 * openStream), the message history, id allocation, stream bookkeeping, and the driver shell that
 * owns one HTTP client and every session opened through it.
 */
import { HttpClient, type SendTuning, type StreamTuning } from './http-client.js';
import { FastHttpClient } from './http-fast.js';
import type { JsonRpcId, JsonRpcMessage, Revision, TransportKind } from './protocol.js';
import { MessageRouter, parsePayload } from './rpc-core.js';
import type { Driver, HttpReply, HttpRequestSpec, OpenOptions, RawReply, RequestOptions, RpcSession, SseStream } from './session.js';
import type { WireLog } from './wire-log.js';

export interface HttpSessionContext {
  client: HttpClient;
  log: WireLog;
  url: string;
  revision: Revision;
  /** headers the target always needs (credentials, a gateway key) */
  targetHeaders: Record<string, string>;
  /** the driver forgets the session once it closes */
  onClosed: (session: HttpSessionBase) => void;
  /** the lean client for the request path, present only when the wire log is off (load runs) */
  fast?: FastHttpClient;
}

export abstract class HttpSessionBase {
  abstract readonly transport: 'http' | 'sse';
  /** open the session the way its transport does (handshake, endpoint event); rejects on failure */
  abstract start(revision: Revision, opts: OpenOptions): Promise<void>;
  readonly log: WireLog;
  readonly url: string;
  readonly revision: Revision;
  initializeResponse: JsonRpcMessage | undefined;
  protected readonly client: HttpClient;
  protected readonly router = new MessageRouter();
  protected readonly targetHeaders: Record<string, string>;
  protected readonly fast: FastHttpClient | undefined;
  protected closed = false;
  private readonly streams = new Set<SseStream>();
  private nextId = 1;
  private readonly onClosed: (session: HttpSessionBase) => void;

  constructor(context: HttpSessionContext) {
    this.client = context.client;
    this.log = context.log;
    this.url = context.url;
    this.revision = context.revision;
    this.targetHeaders = context.targetHeaders;
    this.onClosed = context.onClosed;
    this.fast = context.fast;
  }

  get received(): readonly JsonRpcMessage[] {
    return this.router.received;
  }

  send(spec: HttpRequestSpec): Promise<HttpReply> {
    return this.client.send(spec.url === undefined ? { ...spec, url: this.url } : spec, this.log);
  }

  /** Messages on a check's stream join the session's history; the stream closes with the session. */
  async openStream(spec: HttpRequestSpec, tuning: StreamTuning = {}): Promise<SseStream> {
    const stream = await this.client.openStream(spec.url === undefined ? { ...spec, url: this.url } : spec, this.log, {
      onMessage: (m) => this.router.deliver(m),
      ...tuning,
    });
    if (this.closed) await stream.close();
    else this.streams.add(stream);
    return stream;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.beforeClose();
    } finally {
      await Promise.all([...this.streams].map((s) => s.close()));
      this.streams.clear();
      this.router.close();
      this.onClosed(this);
    }
  }

  /**
   * The request path's exchange: the lean client when there is one (wire log off) and it serves
   * the spec, else undici with full evidence. Both give the same HttpReply.
   */
  protected transfer(spec: HttpRequestSpec, tuning?: SendTuning): Promise<HttpReply> {
    return this.fast?.trySend(spec, tuning) ?? this.client.send(spec, this.log, tuning);
  }

  /** The transport's own goodbye (a DELETE), run before streams close. */
  protected async beforeClose(): Promise<void> {}

  protected takeId(opts: RequestOptions | undefined): JsonRpcId | Record<string, unknown> {
    return opts?.id !== undefined ? opts.id : this.nextId++;
  }

  /** Messages that came back in an HTTP reply join the history too (those `delivered` as they arrived already have). */
  protected absorb(reply: HttpReply, delivered?: ReadonlySet<JsonRpcMessage>): void {
    for (const message of reply.messages) if (!delivered?.has(message)) this.router.deliver(message);
  }
}

/** An HTTP reply as a RawReply: its messages, and the payloads (body or event data) that were not JSON. */
export function rawReplyOf(reply: HttpReply): RawReply {
  const nonJson: string[] = [];
  if (reply.events.length > 0) {
    for (const event of reply.events) {
      if (!event.noData && event.data.length > 0) nonJson.push(...parsePayload(event.data).nonJson);
    }
  } else if (reply.messages.length === 0) {
    nonJson.push(...parsePayload(reply.body).nonJson);
  }
  const raw: RawReply = { messages: reply.messages, nonJson, status: reply.status, body: reply.body };
  if (reply.contentType) raw.contentType = reply.contentType;
  return raw;
}

/** 2xx: the transport accepted the POST. */
export function accepted(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * A driver over one HTTP client: opens sessions of one class, closes them all and then the client.
 * `create` builds the session; `start` runs its opening steps (a failed start closes it and rethrows).
 */
export function httpDriver<S extends HttpSessionBase & RpcSession>(
  transport: TransportKind,
  target: { url: string; headers?: Record<string, string> },
  log: WireLog,
  create: (context: HttpSessionContext) => S,
): Driver {
  const { url } = target;
  const targetHeaders = target.headers ?? {};
  const client = new HttpClient({ baseUrl: url });
  // checks keep undici and their evidence; only a run with the log off (the load engine) goes lean
  const fast = log.enabled ? undefined : new FastHttpClient();
  const sessions = new Set<HttpSessionBase>();
  return {
    transport,
    log,
    async open(revision: Revision, opts: OpenOptions = {}): Promise<RpcSession> {
      const session = create({
        client,
        log,
        url,
        revision,
        targetHeaders,
        onClosed: (s) => sessions.delete(s),
        ...(fast ? { fast } : {}),
      });
      sessions.add(session);
      try {
        await session.start(revision, opts);
      } catch (err) {
        await session.close();
        throw err;
      }
      return session;
    },
    async close(): Promise<void> {
      await Promise.all([...sessions].map((s) => s.close()));
      await fast?.close();
      await client.close();
    },
  };
}
