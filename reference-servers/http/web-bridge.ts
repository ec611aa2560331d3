/**
 * node:http ↔ web-standard Request/Response, for the SDK transports that speak fetch (the v1
 * SDK's WebStandardStreamableHTTPServerTransport, the v2 `createMcpHandler`). The body is read
 * (bounded) and parsed by the server before this point and handed to the SDK pre-parsed, so the
 * web Request carries headers only. Writing the Response back streams SSE bodies chunk by chunk
 * with backpressure, and cancels the body when the client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** the v1 SDK's internal stream id of the standalone GET stream, under which its events are stored (event ids start with it) */
export const GET_STREAM_ID = '_GET_stream';

/** Headers node manages itself, or that describe a body the web Request does not carry. */
const SKIPPED = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

export interface WebRequestOptions {
  /** headers to replace (string) or remove (undefined), by lower-case name */
  override?: Record<string, string | undefined>;
  /** aborted when the client disconnects before the response is complete */
  signal?: AbortSignal;
}

export function toWebRequest(req: IncomingMessage, origin: string, opts: WebRequestOptions = {}): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || SKIPPED.has(name) || (opts.override && name in opts.override)) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  for (const [name, value] of Object.entries(opts.override ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  const init: RequestInit = { method: req.method ?? 'GET', headers };
  if (opts.signal) init.signal = opts.signal;
  return new Request(new URL(req.url ?? '/', origin), init);
}

/**
 * An AbortController that fires when the client closes the connection before `res` finishes.
 * The server may abort it too, to end an exchange early (a cancelled request).
 */
export function exchangeController(res: ServerResponse): AbortController {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller;
}

/**
 * Settle with `work`, or with `fallback` once `signal` aborts: an SDK promise that will never
 * settle (a JSON-mode response to a cancelled request) must not hold the exchange for ever.
 */
export function settleOrAbort<T>(work: Promise<T>, signal: AbortSignal, fallback: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(fallback());
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(fallback());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function waitDrainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Write a web Response to node. JSON and other small bodies go out with a Content-Length; SSE
 * bodies are streamed, headers first, so a client sees the stream open before the first event.
 * Aborting `stop` ends a stream early (the rest of the SDK's stream is cancelled).
 */
export async function writeWebResponse(res: ServerResponse, response: Response, stop?: AbortSignal): Promise<void> {
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const streaming = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
  if (!streaming) {
    const body = Buffer.from(await response.arrayBuffer());
    headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const onClose = () => {
    reader.cancel().catch(() => {});
  };
  res.once('close', onClose);
  stop?.addEventListener('abort', onClose, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await waitDrainOrClose(res);
    }
  } catch {
    // The SDK errored the stream or the client left; either way the exchange is over.
  } finally {
    res.off('close', onClose);
    stop?.removeEventListener('abort', onClose);
    if (!res.destroyed) res.end();
  }
}
