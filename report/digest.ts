/**
 * What the CI renderers (JUnit, Markdown, badge, compare, HTML) say about a RunReport, computed
 * once: a result's name and identity, the tally a badge and a summary headline show, and the
 * order failures are listed in. Renderers format; they decide nothing of this themselves.
 */
import { REVISIONS, type Revision } from '../drivers/protocol.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { describeRevisions } from './revisions.js';
import { sectionNumber } from '../suites/sections.js';

/** The label of the target a result came from. */
export function targetLabelOf(result: CheckResult): string | undefined {
  return result.target.label;
}

/** The results of one target of the report, by the index each result declares. */
export function resultsOf(report: RunReport, target: TargetInfo): CheckResult[] {
  const index = report.targets.indexOf(target);
  return report.results.filter((r) => r.target.index === index);
}

/** "SHTTP-GET-01 [http 2025-11-25]": one check at one transport and revision, as a test name. */
export function caseName(result: CheckResult): string {
  return `${result.id} [${result.transport} ${result.revision}]`;
}

/** What identifies a result across two runs of the same targets. */
export function resultKey(result: CheckResult): string {
  return [targetLabelOf(result) ?? '', result.id, result.transport, result.revision].join('\u0000');
}

export interface Tally {
  /** MUST failures and checks that could not complete: what fails the run */
  mustFailed: number;
  /** SHOULD not met (verdict warn) */
  shouldFailed: number;
  passed: number;
  /** results that were judged: everything but skips */
  judged: number;
  skipped: number;
  /** the revisions tested, over every target, as a range ("2025-03-26..2025-11-25") */
  revisions: string;
}

export function tally(report: RunReport): Tally {
  const c = report.counts;
  const skipped = c.skip;
  const tested = new Set<Revision>(report.targets.flatMap((t) => t.testedRevisions));
  return {
    mustFailed: c.fail + c.error,
    shouldFailed: c.warn,
    passed: c.pass,
    judged: report.results.length - skipped,
    skipped,
    revisions: describeRevisions(REVISIONS.filter((r) => tested.has(r))),
  };
}

/** red on any MUST failure, amber on SHOULD failures only, green otherwise */
export type Standing = 'red' | 'amber' | 'green';

export function standingOf(t: Tally): Standing {
  if (t.mustFailed > 0) return 'red';
  return t.shouldFailed > 0 ? 'amber' : 'green';
}

/** "2025-11-25 · 0 MUST failed · 118/121": the badge's message and the summary's headline. */
export function headline(t: Tally): string {
  return `${t.revisions} · ${t.mustFailed} MUST failed · ${t.passed}/${t.judged}`;
}

export function isMustFailure(result: CheckResult): boolean {
  return result.verdict === 'fail' || result.verdict === 'error';
}

export function isShouldFailure(result: CheckResult): boolean {
  return result.verdict === 'warn';
}

/** Catalog order: section, then ID, then transport and revision, so every listing agrees. */
export function inCatalogOrder(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort(
    (a, b) =>
      sectionNumber(a.id) - sectionNumber(b.id) ||
      a.id.localeCompare(b.id) ||
      a.transport.localeCompare(b.transport) ||
      REVISIONS.indexOf(a.revision) - REVISIONS.indexOf(b.revision),
  );
}

/** Results grouped by check ID in catalog order, each with the transports and revisions it covers. */
export function byCheck(results: readonly CheckResult[]): { id: string; title: string; results: CheckResult[] }[] {
  const groups = new Map<string, CheckResult[]>();
  for (const r of inCatalogOrder(results)) {
    const list = groups.get(r.id);
    if (list) list.push(r);
    else groups.set(r.id, [r]);
  }
  return [...groups.entries()].map(([id, list]) => ({ id, title: (list[0] as CheckResult).title, results: list }));
}

/** "http 2025-03-26..2025-11-25, stdio 2024-11-05": where a group of results of one check ran. */
export function coverage(results: readonly CheckResult[]): string {
  const byTransport = new Map<string, Revision[]>();
  for (const r of results) {
    const list = byTransport.get(r.transport);
    if (list) list.push(r.revision);
    else byTransport.set(r.transport, [r.revision]);
  }
  return [...byTransport.entries()].map(([t, revs]) => `${t} ${describeRevisions(revs)}`).join(', ');
}
