/**
 * The wire log: every exchange a driver makes, in order, so that a verdict can quote the bytes.
 * Drivers write to it; checks and renderers only read it. Bodies are truncated and credentials
 * redacted here, once, so that no renderer has to.
 */

export type Channel = 'stdin' | 'stdout' | 'stderr' | 'process' | 'http' | 'sse';
/** out: harness to server; in: server to harness; meta: something the harness observed (exit, close, timeout). */
export type Direction = 'out' | 'in' | 'meta';

export interface SseEvent {
  event?: string;
  id?: string;
  data: string;
  retry?: number;
  /** the block set id/event/retry but had no `data:` line (a browser would not dispatch it) */
  noData?: boolean;
  /** ms since the stream opened */
  at?: number;
}

export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  events?: SseEvent[];
  durationMs?: number;
  /** set when the exchange ended in a transport error or deadline */
  error?: string;
}

export interface WireEntry {
  seq: number;
  /** ms since the log was created */
  at: number;
  channel: Channel;
  direction: Direction;
  /** one line, for listings: "POST /mcp -> 202", a stdout line, "exit code 0" */
  summary: string;
  /** the payload: a stdin write, a stdout line, an SSE event's data */
  data?: string;
  http?: HttpExchange;
}

export interface WireLogOptions {
  /** false turns recording off (load runs); entries() is then empty */
  enabled?: boolean;
  /** longest payload kept per entry */
  maxBodyChars?: number;
  /** keep at most this many entries (oldest dropped) so that a long run stays bounded */
  maxEntries?: number;
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? redactCredential(v) : v;
  }
  return out;
}

/** A token in a URL's query string (an AUTH-TOK-03 probe) is as secret as one in a header. */
export function redactQueryTokens(text: string): string {
  // URL-safe marker: the summary is rebuilt from the (already redacted) URL, which must not redact it again
  return text.replace(
    /([?&]access_token=)(?!REDACTED-)([^&#\s]*)/gi,
    (_m, name: string, value: string) => `${name}REDACTED-${value.length}-chars`,
  );
}

/** Keep the scheme and a hint of length, never the secret. */
function redactCredential(value: string): string {
  const [scheme, rest] = value.split(/\s+/, 2);
  if (rest === undefined) return `<redacted ${value.length} chars>`;
  return `${scheme} <redacted ${rest.length} chars>`;
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

export class WireLog {
  private readonly list: WireEntry[] = [];
  private nextSeq = 0;
  private readonly start = performance.now();
  readonly enabled: boolean;
  private readonly maxBody: number;
  private readonly maxEntries: number;

  constructor(options: WireLogOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.maxBody = options.maxBodyChars ?? 4096;
    this.maxEntries = options.maxEntries ?? 5000;
  }

  /** The sequence number the next entry will get: a check records it to quote only its own entries. */
  get mark(): number {
    return this.nextSeq;
  }

  now(): number {
    return Math.round((performance.now() - this.start) * 10) / 10;
  }

  record(entry: Omit<WireEntry, 'seq' | 'at'>): WireEntry | undefined {
    if (!this.enabled) return undefined;
    const e: WireEntry = { seq: this.nextSeq++, at: this.now(), ...entry };
    e.summary = redactQueryTokens(e.summary);
    if (e.data !== undefined) e.data = truncate(e.data, this.maxBody);
    if (e.http) e.http = this.cleanHttp(e.http);
    this.list.push(e);
    if (this.list.length > this.maxEntries) this.list.shift();
    return e;
  }

  /** Update an HTTP entry once its response arrives (the entry object is shared with readers). */
  completeHttp(entry: WireEntry | undefined, patch: Partial<HttpExchange>, summary?: string): void {
    if (!entry?.http) return;
    // only the patch is new: cleaning the whole exchange again would redact and truncate twice
    Object.assign(entry.http, this.cleanHttp(patch));
    if (summary) entry.summary = redactQueryTokens(summary);
  }

  entries(): readonly WireEntry[] {
    return this.list;
  }

  /** Entries recorded at or after `mark`. */
  since(mark: number): WireEntry[] {
    return this.list.filter((e) => e.seq >= mark);
  }

  private cleanHttp<H extends Partial<HttpExchange>>(h: H): H {
    const out: H = { ...h };
    if (h.url !== undefined) out.url = redactQueryTokens(h.url);
    if (h.requestHeaders) out.requestHeaders = redactHeaders(h.requestHeaders);
    if (h.responseHeaders) out.responseHeaders = redactHeaders(h.responseHeaders);
    if (h.requestBody !== undefined) out.requestBody = truncate(h.requestBody, this.maxBody);
    if (h.responseBody !== undefined) out.responseBody = truncate(h.responseBody, this.maxBody);
    if (h.events && h.events.length > 50) out.events = h.events.slice(0, 50);
    if (out.events) out.events = out.events.map((ev) => ({ ...ev, data: truncate(ev.data, this.maxBody) }));
    return out;
  }
}

/**
 * The payload texts the server sent since `mark`, as they were on the wire (stdout lines, HTTP
 * response bodies or their SSE `data`, legacy stream events): for rows about the form of a
 * payload (an array or an object, its encoding), which parsed messages no longer show.
 */
export function incomingPayloads(log: WireLog, mark: number): string[] {
  const out: string[] = [];
  for (const e of log.since(mark)) {
    if (e.channel === 'http' && e.http) {
      if (e.http.events && e.http.events.length > 0) out.push(...e.http.events.map((ev) => ev.data));
      else if (e.http.responseBody) out.push(e.http.responseBody);
    } else if (e.direction === 'in' && (e.channel === 'stdout' || e.channel === 'sse') && e.data !== undefined) {
      out.push(e.data);
    }
  }
  return out.filter((p) => p.trim() !== '');
}
