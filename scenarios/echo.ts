import type { Scenario } from './types.js';

function echo(name: string, bytes: number, concurrency: number, label: string): Scenario {
  return {
    name,
    title: `tools/call echo, ${label}`,
    description: `Closed loop of tools/call echo with a ${label} text (the answer is as large), ${concurrency} in flight on one shared session.`,
    workload: { kind: 'echo', bytes },
    sessions: 'shared',
    plan: { kind: 'single', load: { mode: 'closed', concurrency } },
    durationMs: 1500,
    warmupMs: 500,
    timeoutMs: 20_000,
  };
}

export const echoSmall = echo('echo-small', 32, 16, '32 B');
export const echo64k = echo('echo-64k', 64 * 1024, 8, '64 KiB');
export const echo1m = echo('echo-1m', 1024 * 1024, 2, '1 MiB');
