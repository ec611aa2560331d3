import type { Scenario } from './types.js';

/** Session churn: every request opens its own session and closes it (initialize, initialized, call, DELETE). */
export const churn: Scenario = {
  name: 'churn',
  title: 'session churn, a new session per request',
  description:
    'Each request opens a session (initialize, notifications/initialized), makes one ping, and closes it (DELETE on Streamable HTTP); 8 in flight. Initialize latency is reported apart. Only for targets with sessions.',
  workload: { kind: 'ping' },
  sessions: 'per-request',
  plan: { kind: 'single', load: { mode: 'closed', concurrency: 8 } },
  durationMs: 1500,
  warmupMs: 500,
  timeoutMs: 10_000,
  transports: ['http', 'sse'],
  needsSessions: true,
};
