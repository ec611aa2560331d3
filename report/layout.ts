/**
 * Which results a human-facing renderer shows where, decided from declared fields only: each
 * target's results by the target each result names, the skips for other transports set aside
 * (counted, not listed), and one check's results folded into rows, revisions merged where the
 * verdict needs no detail. The console paints these rows; it decides nothing about them.
 */
import type { Revision } from '../drivers/protocol.js';
import type { Verdict } from '../suites/check.js';
import type { CheckResult, RunReport } from './model.js';

/** Verdicts whose results are shown one by one, each with its evidence. */
export const NEEDS_DETAIL: ReadonlySet<Verdict> = new Set(['fail', 'warn', 'error']);

/** `report.targets[i]`'s results, at index i, in report order. */
export function resultsByTarget(report: RunReport): CheckResult[][] {
  const byTarget = report.targets.map((): CheckResult[] => []);
  for (const r of report.results) byTarget[r.target.index]?.push(r);
  return byTarget;
}

/** A check written for other transports: listed in the JSON report, only counted on the console. */
export function isOtherTransportSkip(result: CheckResult): boolean {
  return result.skip?.cause === 'transport';
}

export interface Row {
  verdict: Verdict;
  /** the revisions the row covers */
  revisions: Revision[];
  /** for a merged row: the reason (or what came back) its results share */
  note?: string;
  /** for a verdict that needs detail: the one result the row stands for */
  detailed?: CheckResult;
}

/**
 * One check's results as rows: first a row per verdict and note among those that need no detail
 * (their revisions merged), then a row per result that does.
 */
export function checkRows(results: readonly CheckResult[]): Row[] {
  const merged = new Map<string, CheckResult[]>();
  for (const r of results) {
    if (NEEDS_DETAIL.has(r.verdict)) continue;
    const key = `${r.verdict}\u0000${r.reason ?? ''}\u0000${r.actual ?? ''}`;
    const list = merged.get(key);
    if (list) list.push(r);
    else merged.set(key, [r]);
  }
  const rows: Row[] = [];
  for (const group of merged.values()) {
    const r = group[0] as CheckResult;
    const note = r.reason ?? r.actual;
    rows.push({ verdict: r.verdict, revisions: group.map((g) => g.revision), ...(note === undefined ? {} : { note }) });
  }
  for (const r of results) {
    if (NEEDS_DETAIL.has(r.verdict)) rows.push({ verdict: r.verdict, revisions: [r.revision], detailed: r });
  }
  return rows;
}
