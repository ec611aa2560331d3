/**
 * The stream writer seam of the SDK-based Streamable HTTP server: the SDK writes its SSE streams
 * itself, so a defect in them is made by filtering the Response body it returns (each chunk the
 * SDK enqueues is one event), not by patching the SDK. With no hook on, the body is not wrapped.
 */
import type { ComposedStreamWriterSeam, StreamEventContext } from '../seams.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** a priming event as the SDK writes it: an id, maybe a retry, and empty data, in one chunk */
const PRIMING = /^id: [^\n]*\n(retry: \d+\n)?data: \n\n$/;

export interface SseRewrite {
  /** the stream writer seam: each event goes through `seam.event`, and a stream that carried a message is held `seam.holdOpenMs` */
  seam?: ComposedStreamWriterSeam;
  /** which stream this is, for the seam (default a request stream) */
  stream?: StreamEventContext['stream'];
  /** drop the priming event (as the seam's no-priming hook does) */
  dropPriming?: boolean;
  /** keep the stream open this long after the SDK ended it */
  holdOpenMs?: number;
  /** receives a function that writes raw SSE text into this stream (fault response-on-get-stream) */
  onInjector?: (write: ((text: string) => void) | undefined) => void;
}

export function rewriteSse(response: Response, rewrite: SseRewrite): Response {
  if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
  const source = response.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  let carried = false;
  const holdOpenMs = rewrite.holdOpenMs || rewrite.seam?.holdOpenMs || 0;
  const stream = rewrite.stream ?? 'request';
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      rewrite.onInjector?.((text) => {
        if (!done) controller.enqueue(encoder.encode(text));
      });
    },
    async pull(controller) {
      // a pull that enqueues nothing is not called again: read on past a dropped chunk
      for (;;) {
        const { value, done: ended } = await source.read();
        if (ended) {
          const finish = () => {
            if (done) return;
            done = true;
            rewrite.onInjector?.(undefined);
            controller.close();
          };
          // only a stream that carried a message is held: a polling close (priming only) still ends
          if (holdOpenMs && carried) timer = setTimeout(finish, holdOpenMs);
          else finish();
          return;
        }
        const text = decoder.decode(value);
        const priming = PRIMING.test(text);
        if (priming && rewrite.dropPriming) continue;
        const out = rewrite.seam ? rewrite.seam.event(text, { stream, priming }) : text;
        if (out === '') continue;
        if (!priming) carried = true;
        controller.enqueue(out === text ? value : encoder.encode(out));
        return;
      }
    },
    cancel(reason) {
      done = true;
      clearTimeout(timer);
      rewrite.onInjector?.(undefined);
      return source.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
