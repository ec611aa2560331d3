/**
 * The benchmark history: one JSON line per phase of a run, appended to
 * results/history/bench.jsonl (the one part of results/ that is committed), so that a trend can
 * be read without keeping every run's folder.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScenarioResult } from './result.js';

export interface HistoryLine {
  run: string;
  startedAt: string;
  node: string;
  scenario: string;
  target: string;
  transport: string;
  phase: string;
  throughput: number;
  p50Us: number;
  p99Us: number;
  errorRate: number;
}

export function historyLines(results: readonly ScenarioResult[]): HistoryLine[] {
  return results.flatMap((r) =>
    r.targets.flatMap((t) =>
      t.phases.map((p) => ({
        run: r.run.id,
        startedAt: r.run.startedAt,
        node: r.run.host.node,
        scenario: r.scenario.name,
        target: t.label,
        transport: t.transport,
        phase: p.label,
        throughput: p.throughput,
        p50Us: p.latency.p50,
        p99Us: p.latency.p99,
        errorRate: p.errorRate,
      })),
    ),
  );
}

export function appendHistory(file: string, results: readonly ScenarioResult[]): number {
  const lines = historyLines(results);
  if (lines.length === 0) return 0;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return lines.length;
}
