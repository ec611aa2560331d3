/**
 * Every bundled scenario, by name. A scenario is data (scenarios/types.ts); `withOverrides`
 * applies the command line's --duration/--warmup/--p99 without touching the definitions.
 */
import { churn } from './churn.js';
import { echo1m, echo64k, echoSmall } from './echo.js';
import { ping, pingPerWorker } from './ping.js';
import { progressStream } from './progress.js';
import { concurrencySweep, rateSweep } from './sweeps.js';
import type { Scenario } from './types.js';

export type { Scenario } from './types.js';

export const SCENARIOS: readonly Scenario[] = [
  ping,
  pingPerWorker,
  echoSmall,
  echo64k,
  echo1m,
  progressStream,
  churn,
  concurrencySweep,
  rateSweep,
];

/** What `bench` runs when no --scenarios is given: everything but the knee search, which takes longest. */
export const DEFAULT_SCENARIOS: readonly string[] = ['ping', 'echo-small', 'echo-64k', 'echo-1m', 'progress', 'churn', 'concurrency-sweep'];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** Resolve a comma list ("all", "default", or names); throws on an unknown name. */
export function selectScenarios(spec: string | undefined): Scenario[] {
  const names = !spec || spec === 'default' ? DEFAULT_SCENARIOS : spec === 'all' ? SCENARIOS.map((s) => s.name) : spec.split(',');
  return names.map((raw) => {
    const name = raw.trim();
    const s = findScenario(name);
    if (!s) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
    return s;
  });
}

export interface ScenarioOverrides {
  durationMs?: number;
  warmupMs?: number;
  p99BoundMs?: number;
}

export function withOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out: Scenario = { ...s };
  if (o.durationMs !== undefined) out.durationMs = o.durationMs;
  if (o.warmupMs !== undefined) out.warmupMs = o.warmupMs;
  if (o.p99BoundMs !== undefined && s.plan.kind === 'rate-sweep') {
    out.plan = { kind: 'rate-sweep', knee: { ...s.plan.knee, p99BoundMs: o.p99BoundMs } };
  }
  return out;
}
