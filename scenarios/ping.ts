import type { Scenario } from './types.js';

/** The transport's own cost: the cheapest request, 16 in flight, one shared session. */
export const ping: Scenario = {
  name: 'ping',
  title: 'ping, 16 in flight',
  description: 'Closed loop of ping requests with 16 in flight on one shared session: the cost of the transport itself.',
  workload: { kind: 'ping' },
  sessions: 'shared',
  plan: { kind: 'single', load: { mode: 'closed', concurrency: 16 } },
  durationMs: 1500,
  warmupMs: 500,
  timeoutMs: 10_000,
};

/** The same ping load, one session per slot instead of one shared: what sessions cost a server. */
export const pingPerWorker: Scenario = {
  ...ping,
  name: 'ping-per-worker',
  title: 'ping, 16 in flight, a session per slot',
  description:
    'Closed loop of ping with 16 in flight, each slot on its own session (16 sessions): set against "ping" (one shared session). Only for targets with sessions.',
  sessions: 'per-worker',
  transports: ['http', 'sse'],
  needsSessions: true,
};
