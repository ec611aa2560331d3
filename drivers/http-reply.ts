/**
 * The reply policy of both HTTP clients: how a response head and body become an HttpReply, the
 * limits that bound it, and the text of every way it can fail. HttpClient (undici, the evidence
 * path) and FastHttpClient (raw sockets, the load path) only move bytes; each feeds the same
 * ReplyReader, so that a check and a load run see one server the same way.
 *
 * Decisions:
 * - One reader per exchange, owned by its transport: undici's handler makes one per request, the
 *   lean client keeps one per socket and `begin()`s it again, so the load path allocates no
 *   reader, no promise and no closure per request beyond what it did before.
 * - The body kind follows Content-Type: `text/event-stream` is read as SSE (events, and messages
 *   from the data of `message` events); anything else is kept as text and read as JSON-RPC when
 *   it starts with `{` or `[`, whatever its Content-Type says (a wrong type is a check's finding,
 *   not a reason to hide the messages). An SSE reply keeps its text as `body` too (checks read
 *   comment lines from it), except on a held-open stream, whose text is unbounded.
 * - Header values are stored without leading or trailing SP/HTAB (RFC 9110 5.5), repeated
 *   headers joined with ', ', names lower-case.
 * - Failures are texts from this file only: a transport's own error becomes the policy's wording
 *   (undici's "other side closed" and a raw socket's close read the same), so that one failure
 *   reads alike in a check's evidence and in the load engine's error counts.
 */
import { TextDecoder } from 'node:util';
import type { JsonRpcMessage } from './protocol.js';
import { toMessages } from './rpc-core.js';
import type { HttpReply, HttpRequestSpec } from './session.js';
import { SseParser } from './sse-parser.js';
import type { SseEvent, WireEntry } from './wire-log.js';

/** Body bytes read when the spec names no limit. */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Events kept by one reply or stream when the caller names no limit. */
export const DEFAULT_MAX_EVENTS = 10_000;
/** Longest response head (status line and headers) either client accepts. */
export const MAX_HEAD_BYTES = 64 * 1024;

export const EVENT_STREAM = 'text/event-stream';

export function isEventStream(contentType: string): boolean {
  return contentType.trimStart().toLowerCase().startsWith(EVENT_STREAM);
}

/** Per-call tuning the shared spec type does not carry. */
export interface SendTuning {
  /** stop reading an SSE body once a parsed message satisfies this (e.g. the response with our id) */
  untilMessage?: (message: JsonRpcMessage) => boolean;
  /**
   * called for every message of an SSE body as it arrives, before the reply settles (a server's
   * request on the stream must be answerable while the exchange goes on); a JSON body's messages
   * come with the reply only.
   */
  onMessage?: (message: JsonRpcMessage) => void;
}

export interface StreamTuning {
  /** called for every event as it arrives */
  onEvent?: (event: SseEvent) => void;
  /** called for every JSON-RPC message parsed from an event's data */
  onMessage?: (message: JsonRpcMessage) => void;
  /** called once when the stream ends, breaks or is closed */
  onEnd?: () => void;
  /**
   * A session-long stream: no read deadline (its owner closes it) and, instead of stopping at
   * `maxEvents`, only the latest `maxEvents` events are kept.
   */
  holdOpen?: boolean;
}

// ---- the failure texts ------------------------------------------------------------------------

export const CLIENT_CLOSED = 'HTTP client closed';
export const HEAD_TOO_LARGE = `response head larger than ${MAX_HEAD_BYTES / 1024} KiB`;
export const PROTOCOL_SWITCH = 'unexpected protocol switch (101)';

export function noResponseWithin(ms: number): string {
  return `no response within ${ms} ms`;
}

export function incompleteAfter(ms: number): string {
  return `response incomplete after ${ms} ms`;
}

/** The server ended the connection (FIN) before the response, or its body, was complete. */
export function connectionClosed(status: number): string {
  return status === 0 ? 'connection closed before the response arrived' : 'connection closed before the response completed';
}

/** The harness ended the read itself (a stream's close) before any response. */
export function stoppedBefore(why: string): string {
  return `${why} before the response arrived`;
}

/** The parts of a response a parser can find broken; one wording whichever parser found it. */
export const Malformed = {
  statusLine: 'malformed response: status line',
  header: 'malformed response: header line',
  contentLength: 'malformed response: Content-Length',
  chunked: 'malformed response: chunked framing',
} as const;

/**
 * An error a transport raised, in the policy's words. `status` is the response status received
 * so far (0: none), which tells a close before the response from one mid-body.
 */
export function describeError(err: Error, status: number): string {
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'UND_ERR_SOCKET':
      if (err.message === 'other side closed') return connectionClosed(status);
      if (err.message === 'bad upgrade') return PROTOCOL_SWITCH;
      break;
    case 'UND_ERR_DESTROYED':
      return CLIENT_CLOSED;
    case 'UND_ERR_HEADERS_OVERFLOW':
      return HEAD_TOO_LARGE;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return Malformed.contentLength;
  }
  if (err.name === 'HTTPParserError') return malformedFromLlhttp(err.message);
  const cause = (err as { cause?: unknown }).cause;
  const causeText = cause instanceof Error && cause.message !== err.message ? ` (${cause.message})` : '';
  return `${typeof code === 'string' ? code : err.name}: ${err.message}${causeText}`;
}

/** undici's parser says "Response does not match the HTTP/1.1 protocol (<reason>)"; its error code is not set. */
function malformedFromLlhttp(message: string): string {
  const open = message.lastIndexOf('(');
  const reason = open >= 0 ? message.slice(open + 1, message.endsWith(')') ? -1 : undefined) : message;
  const lower = reason.toLowerCase();
  if (lower.includes('content-length')) return Malformed.contentLength;
  if (lower.includes('chunk')) return Malformed.chunked;
  if (lower.includes('header')) return Malformed.header;
  if (lower.includes('http/') || lower.includes('version') || lower.includes('status') || lower.includes('expected space')) {
    return Malformed.statusLine;
  }
  return `malformed response: ${reason}`;
}

// ---- headers ------------------------------------------------------------------------------------

/** A field value without leading or trailing SP/HTAB (RFC 9110 5.5); JS trim() would also eat NBSP. */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}

/** Add one received field to `headers` (lower-case `name`), joining a repeat with ', '. */
export function addHeader(headers: Record<string, string>, name: string, value: string): void {
  const prior = headers[name];
  headers[name] = prior === undefined ? value : `${prior}, ${value}`;
}

/** undici's parsed headers in the policy's shape; the object is reused, not copied. */
export function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out = headers as Record<string, string>;
  for (const key in headers) {
    const value = headers[key];
    if (Array.isArray(value)) out[key] = value.map(trimOws).join(', ');
    else if (value === undefined) delete out[key];
    else out[key] = trimOws(value);
  }
  return out;
}

// ---- the reader ---------------------------------------------------------------------------------

/** One exchange's response as it arrives: head, bounded body, SSE events, messages, and how it ended. */
export class ReplyReader {
  status = 0;
  headers: Record<string, string> | undefined;
  contentType = '';
  /** allocated with the first SSE head: a JSON reply needs none */
  events: SseEvent[] | undefined;
  ended = false;
  error: string | undefined;
  timedOut = false;
  truncated = false;
  /** a read condition was met (the awaited message, `until`, maxEvents): stop reading, no error */
  satisfied = false;
  /** events a held-open stream has dropped from the front of `events` */
  dropped = 0;
  startedAt = 0;
  timeoutMs = 0;
  private messages: JsonRpcMessage[] | undefined;
  /** kept, not copied: every read gets its own buffer; the array is reused across exchanges */
  private readonly chunks: Buffer[] = [];
  /** an SSE body's decoded text (not on a held-open stream) */
  private text: string[] | undefined;
  private bytes = 0;
  private maxBytes = DEFAULT_MAX_BYTES;
  private maxEvents = DEFAULT_MAX_EVENTS;
  private readMs: number | undefined;
  private until: ((event: SseEvent) => boolean) | undefined;
  private parser: SseParser | undefined;
  private decoder: TextDecoder | undefined;
  private tuning: SendTuning | undefined;
  private stream: StreamTuning | undefined;
  private hold = false;
  /** a held-open stream whose owner parses events itself needs no parse here */
  private wantsMessages = true;
  private readonly eventHandler = (event: SseEvent): boolean => this.onEvent(event);

  /** Start reading the answer to `spec` (a reused reader forgets the previous exchange). */
  begin(
    spec: HttpRequestSpec,
    timeoutMs: number,
    tuning: SendTuning | undefined,
    stream: StreamTuning | undefined,
    startedAt: number,
  ): void {
    this.status = 0;
    this.headers = undefined;
    this.contentType = '';
    this.events = undefined;
    this.ended = false;
    this.error = undefined;
    this.timedOut = false;
    this.truncated = false;
    this.satisfied = false;
    this.dropped = 0;
    this.startedAt = startedAt;
    this.timeoutMs = timeoutMs;
    this.messages = undefined;
    this.chunks.length = 0;
    this.text = undefined;
    this.bytes = 0;
    this.maxBytes = spec.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxEvents = spec.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.readMs = spec.readMs;
    this.until = spec.until;
    this.parser = undefined;
    this.decoder = undefined;
    this.tuning = tuning;
    this.stream = stream;
    this.hold = stream?.holdOpen === true;
    this.wantsMessages = !this.hold || stream?.onMessage !== undefined;
  }

  get isSse(): boolean {
    return this.parser !== undefined;
  }

  /** Whether the body is read until `readMs` rather than to its end or deadline. */
  get readsForReadMs(): boolean {
    return this.parser !== undefined && !this.hold && this.readMs !== undefined;
  }

  get holdsOpen(): boolean {
    return this.hold;
  }

  /** The final (non-1xx) head; `headers` already in the policy's shape. */
  head(status: number, headers: Record<string, string>): void {
    this.status = status;
    this.headers = headers;
    const contentType = headers['content-type'] ?? '';
    this.contentType = contentType;
    if (!isEventStream(contentType)) return;
    this.events = [];
    this.decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    this.parser = new SseParser(this.eventHandler, this.startedAt);
    if (!this.hold) this.text = [];
  }

  /**
   * Body bytes. Returns false when reading must stop now: a read condition was met
   * (`satisfied`) or the body reached maxBytes (`truncated`). Not an error either way.
   */
  data(chunk: Buffer): boolean {
    let data = chunk;
    const room = this.maxBytes - this.bytes;
    if (data.length > room) {
      data = data.subarray(0, room);
      this.truncated = true;
    }
    this.bytes += data.length;
    if (this.parser !== undefined) {
      const text = this.decoder!.decode(data, { stream: true });
      if (text.length > 0) {
        this.text?.push(text);
        this.parser.push(text);
      }
    } else if (data.length > 0) {
      this.chunks.push(data);
    }
    return !this.truncated && !this.satisfied;
  }

  /** The body reached its framed end (or, close-delimited, the connection's end). */
  end(): void {
    this.ended = true;
    if (this.decoder !== undefined) {
      const rest = this.decoder.decode();
      this.decoder = undefined;
      if (rest.length > 0) {
        this.text?.push(rest);
        this.parser!.push(rest);
      }
    }
  }

  /** The exchange's deadline passed (or, for an SSE body read for `readMs`, its read time: no error). */
  deadline(): void {
    if (this.status === 0) {
      this.error = noResponseWithin(this.timeoutMs);
      this.timedOut = true;
    } else if (!this.readsForReadMs) {
      this.error = incompleteAfter(this.timeoutMs);
      this.timedOut = true;
    }
  }

  fail(error: string): void {
    this.error = error;
  }

  /** The reply as it stands; called once per exchange. */
  reply(entry: WireEntry | undefined): HttpReply {
    let body = '';
    let messages = this.messages;
    const text = this.text;
    if (text !== undefined) {
      // a read cut short may leave half a UTF-8 sequence in the decoder
      if (this.decoder !== undefined) {
        const rest = this.decoder.decode();
        this.decoder = undefined;
        if (rest.length > 0) text.push(rest);
      }
      body = text.length === 1 ? text[0]! : text.join('');
    } else if (this.parser === undefined && this.chunks.length > 0) {
      const chunks = this.chunks;
      body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      chunks.length = 0;
      const first = firstNonSpace(body);
      if (first === 123 || first === 91) {
        const parsed = parseMessages(body);
        if (parsed !== NO_MESSAGES) messages = parsed;
      }
    }
    const reply: HttpReply = {
      status: this.status,
      headers: this.headers ?? {},
      contentType: this.contentType,
      body,
      events: this.events ?? [],
      messages: messages ?? [],
      ended: this.ended,
      entry,
    };
    if (this.error !== undefined) reply.error = this.error;
    if (this.timedOut) reply.timedOut = true;
    if (this.truncated) reply.truncated = true;
    this.tuning = undefined;
    return reply;
  }

  private onEvent(event: SseEvent): boolean {
    const events = this.events!;
    const hold = this.hold;
    events.push(event);
    if (hold) {
      // maxBytes bounds what one event may take, not the life of the stream
      this.bytes = 0;
      if (events.length > this.maxEvents) {
        events.shift();
        this.dropped++;
      }
    }
    const stream = this.stream;
    stream?.onEvent?.(event);
    let stop = false;
    if (this.wantsMessages && !event.noData && event.data.length > 0 && (event.event === undefined || event.event === 'message')) {
      const tuning = this.tuning;
      for (const message of parseMessages(event.data)) {
        if (!hold) {
          if (this.messages === undefined) this.messages = [];
          this.messages.push(message);
        }
        stream?.onMessage?.(message);
        tuning?.onMessage?.(message);
        if (tuning?.untilMessage?.(message)) stop = true;
      }
    }
    if (this.until?.(event)) stop = true;
    if (!hold && events.length >= this.maxEvents) stop = true;
    if (stop) this.satisfied = true;
    return !stop;
  }
}

const NO_MESSAGES: JsonRpcMessage[] = [];

/** The JSON-RPC messages of a body or an event's data; NO_MESSAGES (shared: never handed out) when it is not JSON. */
function parseMessages(text: string): JsonRpcMessage[] {
  try {
    return toMessages(JSON.parse(text));
  } catch {
    return NO_MESSAGES;
  }
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return c;
  }
  return -1;
}
