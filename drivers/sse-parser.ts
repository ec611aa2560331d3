/**
 * An incremental Server-Sent Events parser following the WHATWG "event stream interpretation"
 * rules, used for every SSE body the harness reads (POST responses, GET streams, the legacy
 * transport's stream): one parser, so that every check sees events the same way.
 *
 * Where the harness departs from what a browser would dispatch, it is to keep evidence:
 * - `SseEvent.id` is the `id:` field of that block only, not the inherited last event id, so
 *   that a check of id uniqueness does not see duplicates the server never sent (the inherited
 *   value is `lastEventId`).
 * - A block that set `id:`, `event:` or `retry:` but had no `data:` line is surfaced with
 *   `noData: true` (a browser drops it), because `retry:`-only and id-only blocks are what the
 *   resumability checks look for. `data:` with an empty value is an ordinary event with data ''.
 */
import { TextDecoder } from 'node:util';
import type { SseEvent } from './wire-log.js';

/** Return false to stop parsing: the rest of the stream is ignored. */
export type SseEventHandler = (event: SseEvent) => boolean | undefined;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const BOM = 0xfeff;
const DIGITS = /^[0-9]+$/;

export class SseParser {
  /** the last event id the stream set (what a client would send as Last-Event-ID) */
  lastEventId = '';
  /** the latest `retry:` value, in ms */
  reconnectMs: number | undefined;
  /** `:` comment lines seen (keep-alives) */
  comments = 0;
  /** dispatched events, including `noData` blocks */
  count = 0;
  private stopped = false;
  private started = false;
  private carriageReturnPending = false;
  private partialLine = '';
  private data: string | undefined;
  private eventType: string | undefined;
  private id: string | undefined;
  private retry: number | undefined;
  private sawField = false;
  private decoder: TextDecoder | undefined;

  /**
   * @param openedAt performance.now() when the stream opened; when given, events carry `at`
   */
  constructor(
    private readonly onEvent: SseEventHandler,
    private readonly openedAt?: number,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** An event was begun but the stream ended before its blank line (WHATWG discards it). */
  get hasIncompleteEvent(): boolean {
    return this.sawField || this.partialLine.length > 0;
  }

  push(chunk: string | Uint8Array): void {
    if (this.stopped) return;
    let text = typeof chunk === 'string' ? chunk : this.decode(chunk);
    if (text.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    if (this.carriageReturnPending) {
      // a CRLF split across two chunks is one line end, not two
      this.carriageReturnPending = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    const buffer = this.partialLine.length > 0 ? this.partialLine + text : text;
    const length = buffer.length;
    let lineStart = 0;
    for (let i = 0; i < length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      this.line(buffer.slice(lineStart, i));
      if (this.stopped) {
        this.partialLine = '';
        return;
      }
      if (c === CR) {
        if (i + 1 < length) {
          if (buffer.charCodeAt(i + 1) === LF) i++;
        } else {
          this.carriageReturnPending = true;
        }
      }
      lineStart = i + 1;
    }
    this.partialLine = lineStart === 0 ? buffer : buffer.slice(lineStart);
  }

  /** The stream ended: flush the decoder. An unterminated event is discarded, as WHATWG says. */
  end(): void {
    if (this.decoder && !this.stopped) {
      const rest = this.decoder.decode();
      if (rest) this.push(rest);
    }
  }

  private decode(bytes: Uint8Array): string {
    // ignoreBOM keeps a leading BOM in the text so that string and byte input strip it the same way
    this.decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
    return this.decoder.decode(bytes, { stream: true });
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === COLON) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    }
    switch (field) {
      case 'data':
        this.data = this.data === undefined ? value : `${this.data}\n${value}`;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (value.includes('\0')) return;
        this.id = value;
        break;
      case 'retry':
        if (!DIGITS.test(value)) return;
        this.retry = Number(value);
        break;
      default:
        return;
    }
    this.sawField = true;
  }

  private dispatch(): void {
    if (!this.sawField) return;
    const event: SseEvent = { data: this.data ?? '' };
    if (this.eventType) event.event = this.eventType;
    if (this.id !== undefined) {
      event.id = this.id;
      this.lastEventId = this.id;
    }
    if (this.retry !== undefined) {
      event.retry = this.retry;
      this.reconnectMs = this.retry;
    }
    if (this.data === undefined) event.noData = true;
    if (this.openedAt !== undefined) event.at = Math.round(performance.now() - this.openedAt);
    this.data = undefined;
    this.eventType = undefined;
    this.id = undefined;
    this.retry = undefined;
    this.sawField = false;
    this.count++;
    if (this.onEvent(event) === false) this.stopped = true;
  }
}
