/**
 * The legacy HTTP+SSE driver (2024-11-05): a GET event stream whose first `endpoint` event names
 * the URI to POST messages to; every server message, responses included, arrives as a `message`
 * event on that one stream, so responses are paired with requests by id (rpc-core's router).
 */
import { DEADLINES } from './deadline.js';
import { isEventStream } from './http-client.js';
import { mergeHeaders } from './http-headers.js';
import { accepted, HttpSessionBase, type HttpSessionContext, httpDriver } from './http-session-base.js';
import type { Revision } from './protocol.js';
import { errorOf } from './protocol.js';
import {
  buildNotification,
  buildRequest,
  handshakeParams,
  parsePayload,
  progressTokenOf,
  requestParams,
  SessionOpenError,
} from './rpc-core.js';
import type {
  Driver,
  HttpReply,
  LegacySseSession,
  OpenOptions,
  RawOptions,
  RawReply,
  RawUntil,
  RequestOptions,
  RpcReply,
  SseStream,
  Target,
} from './session.js';
import type { SseEvent, WireLog } from './wire-log.js';

const LEGACY_REVISION: Revision = '2024-11-05';
/** events the session stream keeps for checks to read (older ones are dropped, the stream goes on) */
const STREAM_EVENT_WINDOW = 1_000;

export function createLegacySseDriver(target: Extract<Target, { transport: 'sse' }>, log: WireLog): Driver {
  return httpDriver('sse', target, log, (context) => new LegacySseSessionImpl(context));
}

class LegacySseSessionImpl extends HttpSessionBase implements LegacySseSession {
  readonly transport = 'sse' as const;
  endpointUrl = '';
  private eventStream: SseStream | undefined;
  private readonly streamHeaders: Record<string, string>;
  private readonly postHeaders: Record<string, string>;

  constructor(context: HttpSessionContext) {
    super(context);
    this.streamHeaders = { ...this.targetHeaders, Accept: 'text/event-stream' };
    this.postHeaders = { ...this.targetHeaders, 'Content-Type': 'application/json' };
  }

  get stream(): SseStream {
    if (!this.eventStream) throw new Error('the legacy SSE session has no stream yet');
    return this.eventStream;
  }

  async start(revision: Revision, opts: OpenOptions): Promise<void> {
    if (revision !== LEGACY_REVISION) {
      throw new SessionOpenError(`the HTTP+SSE transport is the ${LEGACY_REVISION} transport; a ${revision} session uses Streamable HTTP`);
    }
    const stream = await this.client.openStream(
      {
        method: 'GET',
        url: this.url,
        headers: this.streamHeaders,
        timeoutMs: DEADLINES.connect,
        maxEvents: STREAM_EVENT_WINDOW,
      },
      this.log,
      {
        holdOpen: true,
        onEvent: (event) => this.onStreamEvent(event),
        // the server hung up: pending requests settle now instead of at their deadlines
        onEnd: () => this.router.close(),
      },
    );
    this.eventStream = stream;
    const contentType = stream.headers['content-type'] ?? '';
    if (stream.status !== 200 || !isEventStream(contentType)) {
      const got = stream.status === 0 ? (stream.error ?? 'no response') : `HTTP ${stream.status} ${contentType}`;
      throw new SessionOpenError('the SSE endpoint did not open an event stream', got);
    }
    const endpoint = await stream.next(DEADLINES.connect, (e) => e.event === 'endpoint');
    if (!endpoint) {
      throw new SessionOpenError('no endpoint event', `${stream.events.length} other events, ended=${stream.ended}`);
    }
    try {
      this.endpointUrl = new URL(endpoint.data.trim(), this.url).href;
    } catch {
      throw new SessionOpenError('the endpoint event is not a URI', JSON.stringify(endpoint.data));
    }
    if (opts.initialize === false) return;
    const reply = await this.request('initialize', handshakeParams(revision, opts));
    if (!reply.response || errorOf(reply.response)) {
      const what = reply.response ? JSON.stringify(reply.response) : reply.timedOut ? 'no response before the deadline' : 'no response';
      throw new SessionOpenError('initialize failed', `POST HTTP ${reply.status ?? 0}, ${what}`);
    }
    this.initializeResponse = reply.response;
    // nothing is expected back, so the handshake does not sit through a quiet window
    await this.post(JSON.stringify(buildNotification('notifications/initialized')), undefined, DEADLINES.request);
  }

  async request(method: string, params?: Record<string, unknown>, opts: RequestOptions = {}): Promise<RpcReply> {
    const id = this.takeId(opts);
    const timeoutMs = opts.timeoutMs ?? DEADLINES.request;
    const finalParams = requestParams(this.revision, params, opts.meta, undefined);
    const pending = this.router.expect(id, timeoutMs, progressTokenOf(finalParams));
    const body = JSON.stringify(buildRequest(id, method, finalParams));
    const post = await this.post(body, opts.headers, timeoutMs);
    // a refused POST is unlikely to be answered on the stream: wait a quiet window, not the deadline
    if (!accepted(post.status)) pending.shorten(DEADLINES.quietWindow);
    const reply = await pending.reply;
    if (method === 'initialize' && reply.response) this.initializeResponse = reply.response;
    return { ...reply, status: post.status };
  }

  /** POSTs the notification and reports what arrives on the stream within the quiet window. */
  notify(method: string, params?: Record<string, unknown>, opts: RawOptions = {}): Promise<RawReply> {
    return this.exchange(JSON.stringify(buildNotification(method, params)), 'quiet', opts);
  }

  /** POSTs `text` and collects stream messages until the first one (default) or for the quiet window. */
  sendRaw(text: string, opts: RawOptions = {}): Promise<RawReply> {
    return this.exchange(text, opts.until ?? 'message', opts);
  }

  /** A GET of the SSE URL with the usual headers changed, read up to its first event, then dropped. */
  probe(overrides: Record<string, string | undefined>): Promise<HttpReply> {
    return this.client.send(
      {
        method: 'GET',
        url: this.url,
        headers: mergeHeaders(this.streamHeaders, overrides),
        maxEvents: 1,
        readMs: DEADLINES.quietWindow,
      },
      this.log,
    );
  }

  private async exchange(text: string, until: RawUntil, opts: RawOptions): Promise<RawReply> {
    const windowMs = opts.timeoutMs ?? (until === 'quiet' ? DEADLINES.quietWindow : DEADLINES.request);
    const collection = this.router.collect(until, windowMs);
    const post = await this.post(text, opts.headers, DEADLINES.request);
    if (!accepted(post.status)) collection.shorten(DEADLINES.quietWindow);
    const collected = await collection.done;
    const reply: RawReply = { ...collected, status: post.status, body: post.body };
    if (post.contentType) reply.contentType = post.contentType;
    return reply;
  }

  private post(body: string, overrides: Record<string, string | undefined> | undefined, timeoutMs: number): Promise<HttpReply> {
    // the lean client when the wire log is off: the POST's answer is only a 202, the response comes on the stream
    return this.transfer({
      method: 'POST',
      url: this.endpointUrl,
      headers: mergeHeaders(this.postHeaders, overrides),
      body,
      timeoutMs,
    });
  }

  private onStreamEvent(event: SseEvent): void {
    if (event.noData || (event.event !== undefined && event.event !== 'message')) return;
    const { messages, nonJson } = parsePayload(event.data);
    for (const message of messages) this.router.deliver(message);
    for (const text of nonJson) this.router.deliverNonJson(text);
  }

  protected override async beforeClose(): Promise<void> {
    await this.eventStream?.close();
  }
}
