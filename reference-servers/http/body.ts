/**
 * Bounded request-body reading for the HTTP reference servers: a hostile client must not be able
 * to make a server buffer an endless body or hold a request open for ever.
 */
import type { IncomingMessage } from 'node:http';

/** A body that could not be read; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * Read the whole body as UTF-8. Rejects with a BodyError: 413 when it exceeds `maxBytes` (by
 * Content-Length up front, or while streaming), 408 when it does not arrive within `timeoutMs`,
 * 400 when the client aborts. After a 413, answer with `Connection: close` so the rest of the
 * upload is not read.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs = DEFAULT_BODY_TIMEOUT_MS): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    return Promise.reject(new BodyError(413, `body larger than ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish(new BodyError(408, `body not received within ${timeoutMs} ms`)), timeoutMs);
    function finish(err?: BodyError): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      if (err) {
        // Drain instead of pausing, so that node can still write the error response.
        req.resume();
        reject(err);
      } else {
        resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
      }
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyError(413, `body larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    }
    const onEnd = () => finish();
    const onError = () => finish(new BodyError(400, 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
