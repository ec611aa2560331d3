/**
 * SSE-body rewrites for the section-6a stream faults of the SDK-based Streamable HTTP server: the
 * SDK writes its streams itself, so these defects are made by filtering the Response body it
 * returns, not by patching the SDK.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** a priming event as the SDK writes it: an id, maybe a retry, and empty data, in one chunk */
const PRIMING = /^id: [^\n]*\n(retry: \d+\n)?data: \n\n$/;

export interface SseRewrite {
  /** fault no-priming-event: drop the priming event */
  dropPriming?: boolean;
  /** fault sse-never-closes: keep the stream open this long after the SDK ended it */
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
          if (rewrite.holdOpenMs && carried) timer = setTimeout(finish, rewrite.holdOpenMs);
          else finish();
          return;
        }
        const priming = PRIMING.test(decoder.decode(value));
        if (priming && rewrite.dropPriming) continue;
        if (!priming) carried = true;
        controller.enqueue(value);
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
