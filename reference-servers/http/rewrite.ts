/**
 * Byte-layer rewriting of outgoing JSON-RPC messages, for fault switches that must act after an
 * SDK transport has done its own routing. The transports route responses by id, so a fault that
 * changes ids (id-type-coerce) cannot be applied before `send`; it is applied here, to the JSON
 * body or to each SSE `data:` payload on its way to the socket.
 *
 * Payloads that are not JSON pass through unchanged: a rewrite never breaks framing.
 */
import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../../drivers/protocol.js';

export type MessageRewrite = (message: JsonRpcMessage) => JsonRpcMessage;

function rewriteValue(value: unknown, rewrite: MessageRewrite): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, rewrite));
  if (value && typeof value === 'object') return rewrite(value as JsonRpcMessage);
  return value;
}

/** Rewrite a JSON body holding one message or an array of messages. */
export function rewriteJsonText(text: string, rewrite: MessageRewrite): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(rewriteValue(value, rewrite));
}

/**
 * Incremental SSE rewriter: feed it text as it is produced, write out what it returns. Events
 * are held back only until their terminating blank line. Lines may end in LF or CRLF (a lone CR,
 * which no server here writes, is not treated as a line end). A rewritten event's data lines
 * are replaced by one `data:` line at the position of the first.
 */
export class SseRewriter {
  private partial = '';
  private event: string[] = [];

  constructor(private readonly rewrite: MessageRewrite) {}

  push(chunk: string): string {
    const text = this.partial + chunk;
    let out = '';
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
      start = nl + 1;
      if (line === '') {
        out += this.finishEvent();
      } else {
        this.event.push(line);
      }
    }
    this.partial = text.slice(start);
    return out;
  }

  /** What is left when the stream ends: an unterminated event goes out as it came. */
  flush(): string {
    const rest = this.event.map((l) => `${l}\n`).join('') + this.partial;
    this.event = [];
    this.partial = '';
    return rest;
  }

  private finishEvent(): string {
    const lines = this.event;
    this.event = [];
    const data: string[] = [];
    for (const l of lines) {
      if (l.startsWith('data:')) data.push(l.charCodeAt(5) === 32 ? l.slice(6) : l.slice(5));
    }
    const payload = data.join('\n');
    let replaced: string | undefined;
    if (payload.trim() !== '') {
      const rewritten = rewriteJsonText(payload, this.rewrite);
      if (rewritten !== payload) replaced = rewritten;
    }
    if (replaced === undefined) return `${lines.join('\n')}\n\n`;
    const out: string[] = [];
    let placed = false;
    for (const l of lines) {
      if (!l.startsWith('data:')) out.push(l);
      else if (!placed) {
        out.push(`data: ${replaced}`);
        placed = true;
      }
    }
    return `${out.join('\n')}\n\n`;
  }
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Rewrite the messages in a web Response (JSON body or SSE stream); other bodies pass through. */
export async function rewriteWebResponse(response: Response, rewrite: MessageRewrite): Promise<Response> {
  const type = mediaType(response.headers.get('content-type'));
  if (!response.body) return response;
  const init = { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) };
  init.headers.delete('content-length');
  if (type === 'application/json') {
    return new Response(rewriteJsonText(await response.text(), rewrite), init);
  }
  if (type === 'text/event-stream') {
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    const sse = new SseRewriter(rewrite);
    const transform = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const out = sse.push(decoder.decode(chunk, { stream: true }));
        if (out) controller.enqueue(encoder.encode(out));
      },
      flush(controller) {
        const out = sse.push(decoder.decode()) + sse.flush();
        if (out) controller.enqueue(encoder.encode(out));
      },
    });
    return new Response(response.body.pipeThrough(transform), init);
  }
  return response;
}

/** A stream Response with `text` (whole SSE events) written ahead of its body. */
export function prependToStream(response: Response, text: string, headers: Headers = response.headers): Response {
  if (!response.body) return response;
  const prefix = new TextEncoder().encode(text);
  const ahead = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(prefix);
    },
  });
  return new Response(response.body.pipeThrough(ahead), { status: response.status, headers });
}

/**
 * Rewrite everything written to a node SSE response (for servers that write SSE to a
 * ServerResponse themselves, such as the v1 SDK's legacy SSE transport). Call before the first
 * write. Only `write`/`end` with string or Buffer chunks are rewritten; headers are untouched.
 */
export function rewriteNodeSse(res: ServerResponse, rewrite: MessageRewrite): void {
  const sse = new SseRewriter(rewrite);
  const decoder = new TextDecoder();
  const write = res.write.bind(res) as (chunk: string, cb?: (err?: Error | null) => void) => boolean;
  const end = res.end.bind(res) as (chunk?: string, cb?: () => void) => ServerResponse;
  const text = (chunk: unknown): string =>
    typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? decoder.decode(chunk, { stream: true }) : '';
  res.write = ((chunk: unknown, encodingOrCb?: unknown, cb?: unknown) => {
    const callback = (typeof encodingOrCb === 'function' ? encodingOrCb : cb) as ((err?: Error | null) => void) | undefined;
    const out = sse.push(text(chunk));
    if (out === '') {
      if (callback) process.nextTick(callback);
      return true;
    }
    return write(out, callback);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encodingOrCb?: unknown, cb?: unknown) => {
    const callback = [chunk, encodingOrCb, cb].find((a) => typeof a === 'function') as (() => void) | undefined;
    const head = typeof chunk === 'function' ? '' : text(chunk);
    const out = sse.push(head + decoder.decode()) + sse.flush();
    return out === '' ? end(undefined, callback) : end(out, callback);
  }) as ServerResponse['end'];
}
