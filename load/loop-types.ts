/** What both load loops share: the transport-agnostic send, and the bounds every run has. */
import { classifyError, type Outcome } from './errors.js';

/**
 * Send one request and call `done` once when its answer (or failure) is in. `slot` is the
 * connection or worker the request runs on (0 .. concurrency-1), for per-worker session
 * strategies. A callback, not a promise: at stdio's rates a promise per request is a measurable
 * share of the generator's time. It should not throw; if it does, the loop classifies the
 * exception.
 */
export type Send = (slot: number, done: (outcome: Outcome) => void) => void;

/** A Send from a function that returns a promise; a rejection is classified like a throw. */
export function sendFromAsync(fn: (slot: number) => Promise<Outcome>): Send {
  return (slot, done) => {
    fn(slot).then(done, (err: unknown) => done(classifyError(err)));
  };
}

export interface LoopBounds {
  /** the measured window, ms */
  durationMs: number;
  /** run before the window and thrown away: JIT, connection pools, server caches */
  warmupMs: number;
  /** hard cap on requests sent, warm-up included (a second bound next to time) */
  maxRequests?: number;
  /** how long to wait for stragglers after the last send; those still out then count as timeouts */
  drainMs?: number;
}

export const DEFAULT_MAX_REQUESTS = 20_000_000;
export const DEFAULT_DRAIN_MS = 10_000;
