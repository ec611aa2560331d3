/**
 * How renderers slice a RunReport: by target, then by catalog section. Kept in one place so the
 * renderers agree on it.
 */
import { sectionHeading, sectionOf } from '../suites/sections.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';

/**
 * The label of the target a result came from. CheckResult has no field for it yet, and a run
 * over several targets of one transport (`--reference all`) needs it, so results carry it as
 * an extra member; `resultsOf` is the only reader.
 */
type TargetedResult = CheckResult & { target?: string };

export function tagWithTarget(results: readonly CheckResult[], label: string): CheckResult[] {
  return results.map((r) => ({ ...r, target: label }) as TargetedResult);
}

export function resultsOf(report: RunReport, target: TargetInfo): CheckResult[] {
  const tagged = report.results as readonly TargetedResult[];
  if (tagged.some((r) => r.target !== undefined)) return tagged.filter((r) => r.target === target.label);
  return tagged.filter((r) => r.transport === target.transport);
}

const OTHER_TRANSPORT = 'applies to ';

/** The skip reason for a check written for other transports; the console folds these into one line. */
export function otherTransportReason(transports: readonly string[]): string {
  return `${OTHER_TRANSPORT}${transports.join(' and ')} only`;
}

export function isOtherTransportSkip(result: CheckResult): boolean {
  return result.verdict === 'skip' && (result.reason ?? '').startsWith(OTHER_TRANSPORT);
}

/** A heading of the report and the results under it, by check ID in order of first appearance. */
export interface ResultGroup {
  heading: string;
  checks: Map<string, CheckResult[]>;
}

/** Where results of IDs the catalog does not know go (a check of a test, say): after every section. */
const OTHER = 'Other checks';

/**
 * Results grouped by catalog section (suites/sections.ts, the table the suite files follow), in
 * section order, then by check ID. The heading is the section's, so the report, the suite files
 * and `list checks` use one set of names.
 */
export function groupBySectionAndCheck(results: readonly CheckResult[]): ResultGroup[] {
  const groups = new Map<number, ResultGroup>();
  for (const r of results) {
    const section = sectionOf(r.id);
    const key = section?.number ?? Number.POSITIVE_INFINITY;
    let group = groups.get(key);
    if (!group) {
      group = { heading: section ? sectionHeading(section) : OTHER, checks: new Map() };
      groups.set(key, group);
    }
    const list = group.checks.get(r.id);
    if (list) list.push(r);
    else group.checks.set(r.id, [r]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
