/**
 * What changed between two runs (`mcp-harness compare OLD.json NEW.json`): results are matched
 * by target, check ID, transport and revision. A target is matched by its label, or, when the
 * label changed only in a loopback port (reference servers pick a free port per run), by the
 * label with that port blanked. Computed once here; report/compare.ts renders it.
 */
import { resultKey, targetLabelOf } from './digest.js';
import type { CheckResult, RunReport } from './model.js';

export interface Change {
  /** undefined when the result is not in that run */
  old?: CheckResult;
  new?: CheckResult;
}

export interface RunDiff {
  /** failing now (fail, error, warn) and not before: a new check, or one that passed, skipped or was known */
  newlyFailing: Change[];
  /** failing before, passing now */
  newlyPassing: Change[];
  /** failing in both, but the verdict or what came back differs */
  changed: Change[];
  /** failing in both, the same way */
  stillFailing: number;
  oldStartedAt: string;
  newStartedAt: string;
}

const FAILING = new Set<CheckResult['verdict']>(['fail', 'error', 'warn']);

export const isFailing = (r: CheckResult | undefined): boolean => r !== undefined && FAILING.has(r.verdict);

const LOOPBACK_PORT = /(127\.0\.0\.1|localhost|\[::1\]):\d+/g;

/** old target label → new target label */
function matchTargets(oldReport: RunReport, newReport: RunReport): Map<string, string> {
  const map = new Map<string, string>();
  const newLabels = newReport.targets.map((t) => t.label);
  const blank = (label: string) => label.replace(LOOPBACK_PORT, '$1:*');
  for (const t of oldReport.targets) {
    const same =
      newLabels.find((l) => l === t.label) ?? newLabels.find((l) => blank(l) === blank(t.label) && ![...map.values()].includes(l));
    if (same !== undefined) map.set(t.label, same);
  }
  return map;
}

/** The old result under the key it would have in the new run. */
function rekeyed(r: CheckResult, targets: Map<string, string>): string {
  const label = targetLabelOf(r);
  const moved: CheckResult = label === undefined ? r : { ...r, target: { ...r.target, label: targets.get(label) ?? `old:${label}` } };
  return resultKey(moved);
}

/** What the server did, as far as a change matters: the verdict and what came back, not timing or session ids. */
function outcomeOf(r: CheckResult): string {
  return [r.verdict, r.actual ?? '', r.reason ?? ''].join('\u0000');
}

export function diffRuns(oldReport: RunReport, newReport: RunReport): RunDiff {
  const targets = matchTargets(oldReport, newReport);
  const oldByKey = new Map(oldReport.results.map((r) => [rekeyed(r, targets), r]));
  const diff: RunDiff = {
    newlyFailing: [],
    newlyPassing: [],
    changed: [],
    stillFailing: 0,
    oldStartedAt: oldReport.startedAt,
    newStartedAt: newReport.startedAt,
  };
  for (const now of newReport.results) {
    const before = oldByKey.get(resultKey(now));
    const change: Change = { new: now, ...(before ? { old: before } : {}) };
    if (isFailing(now) && !isFailing(before)) diff.newlyFailing.push(change);
    else if (!isFailing(now) && isFailing(before) && now.verdict === 'pass') diff.newlyPassing.push(change);
    else if (isFailing(now) && before && outcomeOf(now) !== outcomeOf(before)) diff.changed.push(change);
    else if (isFailing(now)) diff.stillFailing++;
  }
  return diff;
}

/** A new MUST failure (or a check that can no longer complete) is what fails a comparison in CI. */
export function hasNewMustFailure(diff: RunDiff): boolean {
  return diff.newlyFailing.some((c) => c.new?.verdict === 'fail' || c.new?.verdict === 'error');
}
