import type { Scenario } from './types.js';

/** The transport's own cost: the cheapest request, 16 in flight, one shared session. */
export const ping: Scenario = {
  name: 'ping',
  title: 'ping, 16 in flight',
  description: 'Closed loop of ping requests with 16 in flight on one shared session: the cost of the transport itself.',
  workload: { kind: 'ping' },
  sessions: 'shared',
  plan: { kind: 'single', load: { mode: 'closed', concurrency: 16 } },
  durationMs: 3000,
  warmupMs: 1000,
  timeoutMs: 10_000,
};
