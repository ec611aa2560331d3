/**
 * Open loop: requests are due at a constant arrival rate, whatever the server does, and each
 * latency is measured from the time the request was DUE, not from when it went out. A server
 * that stalls for 100 ms delays every request due in those 100 ms, and all of them show it (no
 * coordinated omission). At most `maxInFlight` requests are out at once (the connections a real
 * client would have); requests due while all are busy wait in a queue, and their wait counts.
 */
import { classifyError, failure, type Outcome } from './errors.js';
import type { LoopBounds, Send } from './loop-types.js';
import { DEFAULT_DRAIN_MS, DEFAULT_MAX_REQUESTS } from './loop-types.js';
import type { RecordedRun } from './recorder.js';
import { Recorder } from './recorder.js';

export interface OpenLoopOptions extends LoopBounds {
  /** requests per second */
  rate: number;
  maxInFlight: number;
  /** a request still queued this long after it was due is counted as a timeout, not sent */
  timeoutMs: number;
  send: Send;
}

export async function runOpenLoop(opts: OpenLoopOptions): Promise<RecordedRun> {
  const { rate, maxInFlight, send } = opts;
  if (!(rate > 0)) throw new Error('rate must be positive');
  if (!(maxInFlight >= 1)) throw new Error('maxInFlight must be at least 1');
  const start = performance.now();
  const rec = new Recorder(start + opts.warmupMs);
  const stopAt = start + opts.warmupMs + opts.durationMs;
  const intervalMs = 1000 / rate;
  const total = Math.min(Math.floor(((opts.warmupMs + opts.durationMs) * rate) / 1000), opts.maxRequests ?? DEFAULT_MAX_REQUESTS);

  // Slots in use hold their request's due time; free slots are a stack.
  const dueBySlot = new Float64Array(maxInFlight).fill(-1);
  const free: number[] = [];
  for (let i = maxInFlight - 1; i >= 0; i--) free.push(i);
  // Requests due while every slot was busy: a queue of due times (head index, no shifting).
  const backlog: number[] = [];
  let head = 0;
  let next = 0;
  let settled = 0;
  let closed = false;
  let wake: (() => void) | undefined;
  let drainTimer: NodeJS.Timeout | undefined;

  function launch(slot: number, due: number): void {
    dueBySlot[slot] = due;
    rec.sent++;
    rec.recordLag(due, performance.now());
    let answered = false;
    const settle = (o: Outcome): void => {
      if (answered) return;
      answered = true;
      done(slot, due, o);
    };
    try {
      send(slot, settle);
    } catch (err) {
      settle(classifyError(err));
    }
  }

  function done(slot: number, due: number, outcome: Outcome): void {
    if (closed) return;
    dueBySlot[slot] = -1;
    rec.record(due, performance.now(), outcome);
    settled++;
    free.push(slot);
    drainBacklog();
    if (settled === total) wake?.();
  }

  function drainBacklog(): void {
    while (head < backlog.length && free.length > 0) {
      const due = backlog[head++]!;
      const now = performance.now();
      if (now - due > opts.timeoutMs) {
        // Waited past the deadline in our own queue: the user would have given up by now.
        rec.sent++;
        rec.record(due, now, failure('timeout', 'queued'));
        settled++;
        continue;
      }
      launch(free.pop()!, due);
    }
    if (head > 4096 && head * 2 > backlog.length) {
      backlog.splice(0, head);
      head = 0;
    }
    if (settled === total) wake?.();
  }

  await new Promise<void>((resolve) => {
    wake = resolve;
    if (total === 0) return resolve();
    const tick = (): void => {
      const now = performance.now();
      const dueCount = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
      while (next < dueCount) {
        const due = start + next * intervalMs;
        next++;
        if (free.length > 0 && head === backlog.length) launch(free.pop()!, due);
        else backlog.push(due);
      }
      drainBacklog();
      if (next < total) {
        // Node timers fire up to ~1 ms late; waking 1 ms early keeps the send close to its due
        // time without spinning. Whatever lateness remains is measured (lag) and counted in the latency.
        const wait = start + next * intervalMs - performance.now();
        setTimeout(tick, wait > 2 ? Math.floor(wait - 1) : 0);
      } else {
        // All sent; give stragglers until the drain deadline.
        drainTimer = setTimeout(resolve, Math.max(0, stopAt + (opts.drainMs ?? DEFAULT_DRAIN_MS) - performance.now()));
      }
    };
    tick();
  });
  clearTimeout(drainTimer);
  closed = true;
  const now = performance.now();
  for (const due of dueBySlot) if (due >= 0) rec.record(due, now, failure('timeout', 'still out at the end'));
  for (let i = head; i < backlog.length; i++) rec.record(backlog[i]!, now, failure('timeout', 'queued'));
  const run = rec.finish(stopAt);
  // due times are start + i * interval; those at or after the warm-up's end were measured
  run.offered = Math.max(0, total - Math.ceil((opts.warmupMs * rate) / 1000 - 1e-9));
  return run;
}
