/**
 * Merging whole bench runs (one ScenarioResult list per machine) into one: scenarios matched by
 * name, targets by id and label, phases by position. A scenario or target missing from a run
 * is merged from the runs that have it.
 */
import type { PhaseEntry, ScenarioResult, TargetEntry } from './result.js';
import { mergePhaseEntries } from './result.js';

export function mergeResults(runs: readonly (readonly ScenarioResult[])[], runId: string): ScenarioResult[] {
  const names = [...new Set(runs.flatMap((r) => r.map((s) => s.scenario.name)))];
  return names.map((name) => {
    const parts = runs.map((r) => r.find((s) => s.scenario.name === name)).filter((s): s is ScenarioResult => s !== undefined);
    const first = parts[0]!;
    const keys = [...new Set(parts.flatMap((p) => p.targets.map((t) => `${t.id}\0${t.label}`)))];
    const targets = keys.map((key) => {
      const entries = parts.map((p) => p.targets.find((t) => `${t.id}\0${t.label}` === key)).filter((t): t is TargetEntry => !!t);
      return mergeTarget(entries);
    });
    return {
      ...first,
      run: { ...first.run, id: runId, workers: parts.reduce((a, p) => a + p.run.workers, 0) },
      targets,
    };
  });
}

function mergeTarget(entries: readonly TargetEntry[]): TargetEntry {
  const measured = entries.filter((e) => !e.error && !e.skipped);
  const first = measured[0] ?? entries[0]!;
  if (measured.length === 0) return first;
  const count = Math.max(...measured.map((e) => e.phases.length));
  const phases: PhaseEntry[] = [];
  for (let i = 0; i < count; i++) {
    const same = measured.map((e) => e.phases[i]).filter((p): p is PhaseEntry => p !== undefined);
    phases.push(mergePhaseEntries(same));
  }
  const out: TargetEntry = { ...first, phases, hasSessions: measured.some((e) => e.hasSessions) };
  // A knee is a per-machine search: the merged result keeps each machine's, not a sum.
  delete out.knee;
  return out;
}
