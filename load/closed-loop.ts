/**
 * Closed loop: `concurrency` requests in flight; each slot sends its next request as soon as
 * the previous one answers. It measures what the server sustains, but a stall delays the next
 * sends too, so a stall shows up in only one sample per slot (coordinated omission). Use the
 * open loop to see stalls; use this for throughput against concurrency.
 */
import { classifyError, failure, type Outcome } from './errors.js';
import type { LoopBounds, Send } from './loop-types.js';
import { DEFAULT_DRAIN_MS, DEFAULT_MAX_REQUESTS } from './loop-types.js';
import type { RecordedRun } from './recorder.js';
import { Recorder } from './recorder.js';

export interface ClosedLoopOptions extends LoopBounds {
  concurrency: number;
  send: Send;
}

export async function runClosedLoop(opts: ClosedLoopOptions): Promise<RecordedRun> {
  const { concurrency, send } = opts;
  if (!(concurrency >= 1)) throw new Error('concurrency must be at least 1');
  const maxRequests = opts.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const start = performance.now();
  const rec = new Recorder(start + opts.warmupMs);
  const stopAt = start + opts.warmupMs + opts.durationMs;
  let closed = false;
  let running = concurrency;
  let allDone: () => void = () => {};
  const outstanding = new Float64Array(concurrency).fill(-1);

  function next(i: number): void {
    const t0 = performance.now();
    if (closed || rec.sent >= maxRequests || t0 >= stopAt) {
      if (--running === 0) allDone();
      return;
    }
    rec.sent++;
    outstanding[i] = t0;
    let inSend = true;
    let answered = false;
    const done = (outcome: Outcome): void => {
      if (answered) return;
      answered = true;
      outstanding[i] = -1;
      if (closed) return;
      rec.record(t0, performance.now(), outcome);
      // An answer given before send() returned (a dead session) must not recurse without bound.
      if (inSend) setImmediate(next, i);
      else next(i);
    };
    try {
      send(i, done);
    } catch (err) {
      done(classifyError(err));
    }
    inSend = false;
  }

  const all = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  for (let i = 0; i < concurrency; i++) next(i);
  // The loop stops by itself at stopAt; the drain deadline bounds a request that never settles.
  const deadlineMs = stopAt + (opts.drainMs ?? DEFAULT_DRAIN_MS) - performance.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadlineMs))))]);
  clearTimeout(timer);
  closed = true;
  const now = performance.now();
  for (const t0 of outstanding) if (t0 >= 0) rec.record(t0, now, failure('timeout', 'still out at the end'));
  return rec.finish(stopAt);
}
