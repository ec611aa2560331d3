/**
 * How renderers slice a RunReport: by target, then by catalog section. Kept in one place so the
 * renderers agree on it.
 */
import { sectionHeading, sectionOf } from '../suites/sections.js';
import type { CheckResult } from './model.js';

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
