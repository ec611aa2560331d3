import type { Scenario } from './types.js';

/** Throughput against concurrency: where adding requests in flight stops adding throughput. */
export const concurrencySweep: Scenario = {
  name: 'concurrency-sweep',
  title: 'concurrency sweep, ping at 1, 4, 16, 64 in flight',
  description: 'Closed loop of ping at 1, 4, 16 and 64 requests in flight, on one shared session.',
  workload: { kind: 'ping' },
  sessions: 'shared',
  plan: { kind: 'concurrency-sweep', levels: [1, 4, 16, 64] },
  durationMs: 1000,
  warmupMs: 300,
  timeoutMs: 10_000,
};

/**
 * The knee: the highest arrival rate the target sustains with p99 under 10 ms and errors
 * under 0.1 %, found by doubling from 500 req/s, then bisecting. Open loop, so a rate the
 * server cannot keep up with shows as a growing p99, not as a quietly lower throughput.
 */
export const rateSweep: Scenario = {
  name: 'rate-sweep',
  title: 'rate sweep: the knee (p99 < 10 ms, errors < 0.1 %)',
  description:
    'Open loop of ping at rising arrival rates (doubling from 500 req/s, then bisecting) until the p99 exceeds 10 ms or errors exceed 0.1 %; reports the highest sustained rate.',
  workload: { kind: 'ping' },
  sessions: 'shared',
  plan: {
    kind: 'rate-sweep',
    knee: {
      startRate: 500,
      maxRate: 200_000,
      p99BoundMs: 10,
      maxErrorRate: 0.001,
      maxSteps: 10,
      resolution: 0.1,
      maxInFlight: 64,
      minRate: 50,
      cooldownMs: 2000,
    },
  },
  durationMs: 2000,
  warmupMs: 500,
  timeoutMs: 5_000,
};
