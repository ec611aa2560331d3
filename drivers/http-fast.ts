/**
 * The lean HTTP/1.1 client the HTTP drivers use when the wire log is off (load runs): keep-alive
 * sockets over node:net, one socket per request in flight (no pipelining), request bytes built
 * from a cached header block, and a small incremental response parser. Checks keep undici
 * (http-client.ts) and its full evidence; this exists because, at load, undici's generality
 * (dispatcher layers, writev of separate header and body buffers, its full parser) is most of the
 * generator's CPU, and a generator that is CPU-bound measures itself, not the server.
 *
 * It answers with the same HttpReply as HttpClient.send, because both feed one ReplyReader
 * (drivers/http-reply.ts: body kinds, messages, limits, failure texts; test/http-reply-differential
 * holds the two to identical replies). This file only frames bytes:
 * - Failures resolve (status 0 with `error`; `timedOut` for the deadline), never reject.
 * - Deadline: the whole exchange (connect, headers, a JSON body, or an SSE body up to the message
 *   awaited) within `timeoutMs` of the send; a stalled server yields a timed-out reply, and its
 *   socket is destroyed, since its state is unknown.
 * - A head that undici's parser would refuse (no colon in a line, Content-Length with
 *   Transfer-Encoding, a bad Content-Length) is refused here too, with status 0.
 * The one difference, by design: no wire entry. `trySend()` declines what it does not serve; the
 * rest (readMs, `until`, https, headers that undici would refuse or add itself) go to undici, so
 * no request changes meaning.
 *
 * Socket reuse: a socket returns to the pool only once its response has been read to its framed
 * end (Content-Length or the last chunk). An SSE response whose awaited message has arrived is
 * settled at once and the rest drained in the background for a short grace; a stream the server
 * keeps open past it is closed (the pool opens another socket). `Connection: close`, a
 * close-delimited body, a truncated body, unexpected bytes or any error: the socket is destroyed.
 */
import { connect, type Socket } from 'node:net';
import { DEADLINES } from './deadline.js';
import {
  addHeader,
  connectionClosed,
  describeError,
  HEAD_TOO_LARGE,
  MAX_HEAD_BYTES,
  Malformed,
  PROTOCOL_SWITCH,
  ReplyReader,
  type SendTuning,
  trimOws,
} from './http-reply.js';
import type { HttpReply, HttpRequestSpec } from './session.js';
/** How long an SSE response may go on after its awaited message before its socket is closed. */
const DRAIN_GRACE_MS = 1_000;
/** Idle sockets older than this are closed rather than reused (servers drop idle keep-alives: Node's default is 5 s). */
const IDLE_REUSE_MS = 4_000;
/** Idle sockets kept per origin; more are closed on release. */
const MAX_IDLE_PER_ORIGIN = 1_024;
const ENDPOINT_CACHE_LIMIT = 256;

/** Headers this client writes itself, or that would change the framing it relies on. */
const OWN_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * undici refuses CR, LF and NUL in values; this client also leaves anything but printable ASCII
 * to undici, so that no byte is encoded differently from the evidence path.
 */
const BAD_VALUE = /[^\t\x20-\x7e]/;

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

interface Endpoint {
  /** host:port, the pool key */
  key: string;
  host: string;
  port: number;
  /** the Host header value */
  authority: string;
  path: string;
}

/** The cached head of requests with one header object to one URL: everything but Content-Length. */
interface HeadBlock {
  url: string;
  method: string;
  text: string;
}

export class FastHttpClient {
  private readonly pools = new Map<string, Pool>();
  private readonly endpoints = new Map<string, Endpoint | null>();
  /**
   * Keyed by the headers object: the drivers reuse one object per session and method, so the
   * header block is serialized once and only Content-Length and the body change per request.
   */
  private readonly heads = new WeakMap<Record<string, string>, HeadBlock | null>();
  private closed = false;

  /**
   * Send one request and read its response, or return undefined, having done nothing, when this
   * client would not send it exactly as undici does (the caller then uses undici). The promise
   * never rejects. `spec.headers` must not be mutated afterwards: its serialization is cached.
   */
  trySend(spec: HttpRequestSpec, tuning?: SendTuning): Promise<HttpReply> | undefined {
    if (this.closed || spec.url === undefined || spec.readMs !== undefined || spec.until !== undefined) return undefined;
    const endpoint = this.endpoint(spec.url);
    if (endpoint === null) return undefined;
    const head = this.head(spec, spec.url, endpoint);
    if (head === null) return undefined;
    let pool = this.pools.get(endpoint.key);
    if (pool === undefined) {
      pool = new Pool(endpoint);
      this.pools.set(endpoint.key, pool);
    }
    const body = spec.body;
    let wire: string | Buffer;
    if (body === undefined) {
      wire = `${head.text}\r\n`;
    } else if (typeof body === 'string') {
      // one string, one write: head and body leave in one segment
      wire = `${head.text}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    } else {
      wire = Buffer.concat([Buffer.from(`${head.text}Content-Length: ${body.byteLength}\r\n\r\n`, 'latin1'), body]);
    }
    const conn = pool.acquire();
    return new Promise<HttpReply>((resolve) => conn.start(spec, tuning, wire, resolve));
  }

  /** Destroy every socket; requests in flight resolve with status 0. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pool of this.pools.values()) pool.destroyAll();
    this.pools.clear();
  }

  /** Open sockets (busy, draining and idle), for tests and diagnostics. */
  get socketCount(): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.size;
    return n;
  }

  private endpoint(url: string): Endpoint | null {
    let endpoint = this.endpoints.get(url);
    if (endpoint === undefined) {
      endpoint = parseEndpoint(url);
      if (this.endpoints.size >= ENDPOINT_CACHE_LIMIT) this.endpoints.clear();
      this.endpoints.set(url, endpoint);
    }
    return endpoint;
  }

  private head(spec: HttpRequestSpec, url: string, endpoint: Endpoint): HeadBlock | null {
    const cached = this.heads.get(spec.headers);
    // the same headers object sent elsewhere (another URL or method) is simply re-serialized
    if (cached !== undefined && (cached === null || (cached.url === url && cached.method === spec.method))) return cached;
    const block = buildHead(spec.method, endpoint, spec.headers, url);
    this.heads.set(spec.headers, block);
    return block;
  }
}

function parseEndpoint(url: string): Endpoint | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' || parsed.username !== '' || parsed.password !== '') return null;
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? 80 : Number(parsed.port);
  return { key: `${host}:${port}`, host, port, authority: parsed.host, path: `${parsed.pathname}${parsed.search}` };
}

/** Request line, Host and the caller's headers, ending before Content-Length; null when undici must send it. */
function buildHead(method: string, endpoint: Endpoint, headers: Record<string, string>, url: string): HeadBlock | null {
  if (!TOKEN.test(method)) return null;
  let text = `${method} ${endpoint.path} HTTP/1.1\r\nHost: ${endpoint.authority}\r\n`;
  for (const name in headers) {
    const value = headers[name]!;
    // a Host override, framing headers and undici's refusals keep their undici behaviour
    if (!TOKEN.test(name) || OWN_HEADERS.has(name.toLowerCase()) || typeof value !== 'string' || BAD_VALUE.test(value)) {
      return null;
    }
    text += `${name}: ${value}\r\n`;
  }
  return { url, method, text };
}

/** The sockets to one host:port. */
class Pool {
  private readonly idle: Conn[] = [];
  private readonly all = new Set<Conn>();

  constructor(readonly endpoint: Endpoint) {}

  get size(): number {
    return this.all.size;
  }

  acquire(): Conn {
    const now = performance.now();
    for (let conn = this.idle.pop(); conn !== undefined; conn = this.idle.pop()) {
      // a socket idle for long may be closing at the server right now: reusing it would race that
      if (now - conn.idleSince < IDLE_REUSE_MS && conn.usable) return conn;
      conn.destroy();
    }
    const conn = new Conn(this);
    this.all.add(conn);
    return conn;
  }

  release(conn: Conn): void {
    if (this.idle.length >= MAX_IDLE_PER_ORIGIN) {
      conn.destroy();
      return;
    }
    this.idle.push(conn);
  }

  forget(conn: Conn): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  destroyAll(): void {
    for (const conn of [...this.all]) conn.destroy('HTTP client closed');
    this.idle.length = 0;
  }
}

/** Where the response parser is (plain numbers: a switch over small integers is cheapest). */
const Phase = {
  /** no request on the socket */
  Idle: 0,
  Head: 1,
  Length: 2,
  ChunkSize: 3,
  ChunkData: 4,
  ChunkEnd: 5,
  Trailers: 6,
  /** body until the server closes */
  Close: 7,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * One socket and the exchange on it. The exchange's state lives here rather than in a per-request
 * object: a socket carries one request at a time, and fewer objects per request is the point.
 */
class Conn {
  idleSince = 0;
  private readonly socket: Socket;
  private dead = false;
  private phase: Phase = Phase.Idle;
  /** unparsed bytes (a head or a chunk-size line split across reads) */
  private pending: Buffer | undefined;
  /** bytes left in the body (Length) or in the current chunk (ChunkData) */
  private remaining = 0;
  private keepAlive = true;
  private timer: NodeJS.Timeout | undefined;
  private timerMs = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  /** the reply was handed back, but the response body is still being read to its end */
  private draining = false;

  // ---- the exchange in progress ----
  private resolve: ((reply: HttpReply) => void) | undefined;
  private isHead = false;
  /** the reply policy's state, reused by every exchange on this socket */
  private readonly reader = new ReplyReader();

  constructor(private readonly pool: Pool) {
    const { host, port } = pool.endpoint;
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err: Error) => this.onError(err));
    this.socket.on('close', () => this.onClose());
  }

  get usable(): boolean {
    return !this.dead && !this.socket.destroyed && this.socket.writable;
  }

  start(spec: HttpRequestSpec, tuning: SendTuning | undefined, wire: string | Buffer, resolve: (reply: HttpReply) => void): void {
    this.resolve = resolve;
    this.isHead = spec.method === 'HEAD';
    this.reader.begin(spec, spec.timeoutMs ?? DEADLINES.request, tuning, undefined, performance.now());
    this.keepAlive = true;
    this.phase = Phase.Head;
    this.armDeadline();
    // a busy socket keeps the process alive until its answer or deadline; an idle one does not
    this.socket.ref();
    this.socket.write(wire);
  }

  /** Close the socket; an exchange in progress resolves with what it has and `why`. */
  destroy(why?: string): void {
    if (!this.dead) {
      this.dead = true;
      this.socket.destroy();
    }
    if (this.resolve !== undefined) {
      this.reader.fail(why ?? connectionClosed(this.reader.status));
      this.settle();
    }
    this.cleanup();
  }

  private armDeadline(): void {
    // one timer per socket, restarted per request: no timer object per request
    const timeoutMs = this.reader.timeoutMs;
    if (this.timer === undefined || this.timerMs !== timeoutMs) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timerMs = timeoutMs;
      this.timer = setTimeout(() => this.onDeadline(), timeoutMs);
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  private onDeadline(): void {
    // the timer is never cleared between requests (refresh() cannot revive a cleared one): a late
    // fire for an exchange that already ended is ignored
    if (this.resolve === undefined || this.draining) return;
    this.reader.deadline();
    this.settle();
    this.kill();
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    let buf = chunk;
    if (this.pending !== undefined) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    const length = buf.length;
    let pos = 0;
    let complete = false;
    while (pos < length && !complete) {
      switch (this.phase) {
        case Phase.Idle:
          // bytes nobody asked for: the socket's state is unknown
          this.kill();
          return;
        case Phase.Head: {
          const end = buf.indexOf(CRLFCRLF, pos);
          if (end < 0) {
            if (length - pos > MAX_HEAD_BYTES) {
              this.fail(HEAD_TOO_LARGE);
              return;
            }
            this.pending = buf.subarray(pos);
            return;
          }
          if (end - pos > MAX_HEAD_BYTES) {
            this.fail(HEAD_TOO_LARGE);
            return;
          }
          const framed = this.parseHead(buf.toString('latin1', pos, end));
          pos = end + 4;
          if (framed === undefined) return; // failed
          if (framed === 'informational') continue;
          if (framed === 'empty') complete = true;
          break;
        }
        case Phase.Length: {
          const n = Math.min(this.remaining, length - pos);
          this.body(buf, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) complete = true;
          break;
        }
        case Phase.ChunkSize: {
          const end = buf.indexOf(CRLF, pos);
          if (end < 0) {
            if (length - pos > MAX_HEAD_BYTES) {
              this.fail(Malformed.chunked);
              return;
            }
            this.pending = buf.subarray(pos);
            return;
          }
          const size = parseChunkSize(buf, pos, end);
          if (size < 0) {
            this.fail(Malformed.chunked);
            return;
          }
          pos = end + 2;
          if (size === 0) {
            this.phase = Phase.Trailers;
          } else {
            this.remaining = size;
            this.phase = Phase.ChunkData;
          }
          break;
        }
        case Phase.ChunkData: {
          const n = Math.min(this.remaining, length - pos);
          this.body(buf, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.phase = Phase.ChunkEnd;
          break;
        }
        case Phase.ChunkEnd: {
          if (length - pos < 2) {
            this.pending = buf.subarray(pos);
            return;
          }
          if (buf[pos] !== 13 || buf[pos + 1] !== 10) {
            this.fail(Malformed.chunked);
            return;
          }
          pos += 2;
          this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.Trailers: {
          const end = buf.indexOf(CRLF, pos);
          if (end < 0) {
            if (length - pos > MAX_HEAD_BYTES) {
              this.fail(Malformed.chunked);
              return;
            }
            this.pending = buf.subarray(pos);
            return;
          }
          if (end === pos) complete = true;
          pos = end + 2;
          break;
        }
        case Phase.Close:
          this.body(buf, pos, length);
          pos = length;
          break;
      }
      if (this.dead) return;
    }
    if (!complete) return;
    if (pos < length) {
      // more than one response for one request (no pipelining here): unusable
      this.keepAlive = false;
    }
    this.complete();
  }

  /**
   * The status line and headers. Returns how the body is framed ('empty': no body), 'informational'
   * for a 1xx head to skip, or undefined when the exchange failed. A head that fails leaves the
   * status at 0, as undici does: nothing of a malformed head is evidence.
   */
  private parseHead(text: string): 'body' | 'empty' | 'informational' | undefined {
    const lineEnd = text.indexOf('\r\n');
    const statusLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
    // "HTTP/1.1 200 OK"
    if (!statusLine.startsWith('HTTP/1.') || statusLine.charCodeAt(8) !== 32) {
      this.fail(Malformed.statusLine);
      return undefined;
    }
    const status = Number(statusLine.slice(9, 12));
    if (!(status >= 100 && status <= 999)) {
      this.fail(Malformed.statusLine);
      return undefined;
    }
    if (status === 101) {
      this.fail(PROTOCOL_SWITCH);
      return undefined;
    }
    if (status < 200) return 'informational';
    const http10 = statusLine.charCodeAt(7) === 48;
    const headers: Record<string, string> = {};
    let start = lineEnd < 0 ? text.length : lineEnd + 2;
    while (start < text.length) {
      let end = text.indexOf('\r\n', start);
      if (end < 0) end = text.length;
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > end) {
        // a line with no field name: undici's parser refuses the response, and so does this one
        this.fail(Malformed.header);
        return undefined;
      }
      addHeader(headers, text.slice(start, colon).toLowerCase(), trimOws(text.slice(colon + 1, end)));
      start = end + 2;
    }
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    let length = -1;
    if (cl !== undefined) {
      // with Transfer-Encoding too the framing is ambiguous (RFC 9112 6.3: handle it as an error)
      length = te === undefined ? parseContentLength(cl) : -1;
      if (length < 0) {
        this.fail(Malformed.contentLength);
        return undefined;
      }
    }
    this.reader.head(status, headers);
    const connection = headers['connection'];
    if (connection !== undefined) {
      const c = connection.toLowerCase();
      this.keepAlive = http10 ? c.includes('keep-alive') : !c.includes('close');
    } else {
      this.keepAlive = !http10;
    }
    if (this.isHead || status === 204 || status === 304) return 'empty';
    if (te !== undefined) {
      if (!te.toLowerCase().trimEnd().endsWith('chunked')) {
        // a coding other than chunked last: the body runs to the close (RFC 9112 6.3)
        this.keepAlive = false;
        this.phase = Phase.Close;
        return 'body';
      }
      this.phase = Phase.ChunkSize;
      return 'body';
    }
    if (length >= 0) {
      if (length === 0) return 'empty';
      this.remaining = length;
      this.phase = Phase.Length;
      return 'body';
    }
    this.keepAlive = false;
    this.phase = Phase.Close;
    return 'body';
  }

  /** Body bytes [from, to) of `buf`. */
  private body(buf: Buffer, from: number, to: number): void {
    if (this.resolve === undefined || from === to) return; // draining: discard
    const reader = this.reader;
    // a view only when the read holds more than this body's bytes
    if (reader.data(from === 0 && to === buf.length ? buf : buf.subarray(from, to))) return;
    this.settle();
    // a truncated body, or a close-delimited stream, cannot be reused: no point reading the rest
    if (!reader.truncated && this.keepAlive) this.startDrain();
    else this.kill();
  }

  /** The response was read to its framed end (or, close-delimited, to the socket's end). */
  private complete(): void {
    this.phase = Phase.Idle;
    this.pending = undefined;
    if (this.resolve !== undefined) {
      this.reader.end();
      this.settle();
    }
    this.stopDrain();
    if (!this.keepAlive || this.dead) {
      this.kill();
      return;
    }
    this.idleSince = performance.now();
    this.socket.unref();
    this.pool.release(this);
  }

  private startDrain(): void {
    this.draining = true;
    if (this.drainTimer === undefined) {
      this.drainTimer = setTimeout(() => {
        // still streaming after the grace: the server keeps it open, so the socket cannot be reused
        if (this.draining) this.kill();
      }, DRAIN_GRACE_MS);
      this.drainTimer.unref();
    } else {
      this.drainTimer.refresh();
    }
  }

  private stopDrain(): void {
    // the drain timer is left to fire and find `draining` false: cheaper than a new timer per drain
    this.draining = false;
  }

  private onEnd(): void {
    if (this.phase === Phase.Close) {
      this.keepAlive = false;
      this.complete();
      return;
    }
    this.kill();
  }

  private onError(err: Error): void {
    if (this.resolve !== undefined) {
      this.reader.fail(describeError(err, this.reader.status));
      this.settle();
    }
    this.kill();
  }

  private onClose(): void {
    this.dead = true;
    if (this.resolve !== undefined) {
      this.reader.fail(connectionClosed(this.reader.status));
      this.settle();
    }
    this.cleanup();
  }

  private fail(error: string): void {
    if (this.resolve !== undefined) {
      this.reader.fail(error);
      this.settle();
    }
    this.kill();
  }

  private kill(): void {
    this.destroy();
  }

  private cleanup(): void {
    this.draining = false;
    this.phase = Phase.Idle;
    this.pending = undefined;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.drainTimer !== undefined) {
      clearTimeout(this.drainTimer);
      this.drainTimer = undefined;
    }
    this.pool.forget(this);
  }

  /** Hand the reply back (once). */
  private settle(): void {
    const resolve = this.resolve;
    if (resolve === undefined) return;
    this.resolve = undefined;
    resolve(this.reader.reply(undefined));
  }
}

/** A Content-Length value (decimal digits only): its size, or -1. */
function parseContentLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** A chunk-size line `hex[;ext]`: its size, or -1. */
function parseChunkSize(buf: Buffer, from: number, to: number): number {
  let size = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 97 && c <= 102) v = c - 87;
    else if (c >= 65 && c <= 70) v = c - 55;
    else if (c === 59 || c === 32 || c === 9)
      break; // extensions (and the whitespace before them) are ignored
    else return -1;
    size = size * 16 + v;
    if (++digits > 12) return -1;
  }
  return digits === 0 ? -1 : size;
}
