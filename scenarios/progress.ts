import type { Scenario } from './types.js';

/** A streamed tool call: time to the first progress event, the gaps between events, time to the result. */
export const progressStream: Scenario = {
  name: 'progress',
  title: 'progress stream, 5 events 20 ms apart',
  description:
    'tools/call progress with a progress token: 5 notifications 20 ms apart, then the result; 8 calls in flight. Reports time to first event, gap between events and time to result.',
  workload: { kind: 'progress', steps: 5, intervalMs: 20 },
  sessions: 'shared',
  plan: { kind: 'single', load: { mode: 'closed', concurrency: 8 } },
  durationMs: 1500,
  warmupMs: 500,
  timeoutMs: 10_000,
};
