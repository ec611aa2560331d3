/**
 * Load scenarios are data: what to call, how hard, for how long, over which sessions. The engine
 * (load/) turns a scenario into phases; the bench runs each phase against each target.
 */
import type { TransportKind } from '../drivers/protocol.js';

export type Workload =
  /** ping: the cheapest request there is, so the transport's own cost dominates */
  | { kind: 'ping' }
  /** tools/call echo with a text of `bytes` bytes (the answer is as large) */
  | { kind: 'echo'; bytes: number }
  /** tools/call progress: `steps` progress notifications `intervalMs` apart, then the result */
  | { kind: 'progress'; steps: number; intervalMs: number };

/**
 * shared: one session per generator process, every request in flight on it (stdio: one pipe).
 * per-worker: one session per concurrent slot. per-request: initialize, initialized, the call,
 * then close (DELETE on Streamable HTTP) for every request: session churn.
 */
export const SESSION_STRATEGIES = ['shared', 'per-worker', 'per-request'] as const;
export type SessionStrategy = (typeof SESSION_STRATEGIES)[number];

export type LoadShape = { mode: 'closed'; concurrency: number } | { mode: 'open'; rate: number; maxInFlight: number };

export interface KneeSearch {
  /** first rate tried, requests/s */
  startRate: number;
  /** never try above this */
  maxRate: number;
  /** a rate is sustained when its p99 stays under this (ms) ... */
  p99BoundMs: number;
  /** ... and its error rate under this (0.001 = 0.1 %) */
  maxErrorRate: number;
  /** rates tried in all (doubling, then bisection), a bound on the search's length */
  maxSteps: number;
  /** stop bisecting when the bracket is this tight (fraction of the lower rate) */
  resolution: number;
  /** slots the open loop may use (connections, on HTTP) */
  maxInFlight: number;
  /** never go below this rate when a start rate fails: the knee is then "below minRate" */
  minRate: number;
  /** pause after a failed rate, so that the backlog it left in the server does not fail the next one */
  cooldownMs: number;
}

export type ScenarioPlan =
  | { kind: 'single'; load: LoadShape }
  | { kind: 'concurrency-sweep'; levels: number[] }
  | { kind: 'rate-sweep'; knee: KneeSearch };

export interface Scenario {
  name: string;
  title: string;
  description: string;
  workload: Workload;
  sessions: SessionStrategy;
  plan: ScenarioPlan;
  /** per phase, ms */
  durationMs: number;
  warmupMs: number;
  /** per request */
  timeoutMs: number;
  /** transports it applies to (default all) */
  transports?: readonly TransportKind[];
  /** only for targets that have sessions (legacy SSE, stateful Streamable HTTP) */
  needsSessions?: boolean;
}
