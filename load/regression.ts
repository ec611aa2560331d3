/**
 * "Did last night's change make it slower?": a run set against a baseline run, phase by phase
 * (same scenario, same target, same load), throughput and p99. Benchmarks are noisy, so the
 * bounds are generous and both figures are shown, not only the verdict.
 */
import type { ScenarioResult } from './result.js';

export interface RegressionBounds {
  /** a throughput this much lower than the baseline's is a regression (0.1 = 10 %) */
  maxThroughputDrop: number;
  /** a p99 this much higher than the baseline's is a regression (0.25 = 25 %) */
  maxP99Rise: number;
}

export const DEFAULT_BOUNDS: RegressionBounds = { maxThroughputDrop: 0.1, maxP99Rise: 0.25 };

export interface RegressionRow {
  scenario: string;
  target: string;
  phase: string;
  baselineThroughput: number;
  throughput: number;
  /** relative change, -0.2 = 20 % fewer req/s */
  throughputChange: number;
  baselineP99Us: number;
  p99Us: number;
  p99Change: number;
  regressed: boolean;
}

const change = (now: number, before: number): number => (before > 0 ? (now - before) / before : 0);

export function compareWithBaseline(
  current: readonly ScenarioResult[],
  baseline: readonly ScenarioResult[],
  bounds: RegressionBounds = DEFAULT_BOUNDS,
): RegressionRow[] {
  const rows: RegressionRow[] = [];
  for (const r of current) {
    const b = baseline.find((x) => x.scenario.name === r.scenario.name);
    if (!b) continue;
    for (const t of r.targets) {
      const bt = b.targets.find((x) => x.id === t.id && x.label === t.label);
      if (!bt) continue;
      for (const p of t.phases) {
        const bp = bt.phases.find((x) => x.label === p.label && x.strategy === p.strategy);
        if (!bp || p.run.count === 0 || bp.run.count === 0) continue;
        const throughputChange = change(p.throughput, bp.throughput);
        const p99Change = change(p.latency.p99, bp.latency.p99);
        rows.push({
          scenario: r.scenario.name,
          target: t.label,
          phase: p.label,
          baselineThroughput: bp.throughput,
          throughput: p.throughput,
          throughputChange,
          baselineP99Us: bp.latency.p99,
          p99Us: p.latency.p99,
          p99Change,
          // An open-loop phase runs at a fixed rate: its throughput says nothing, its p99 everything.
          regressed: (p.load.mode === 'closed' && throughputChange < -bounds.maxThroughputDrop) || p99Change > bounds.maxP99Rise,
        });
      }
    }
  }
  return rows;
}
