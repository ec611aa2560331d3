/**
 * JUnit XML for a CI's test tab: one testcase per check × transport × revision, one testsuite
 * per target, classname by catalog section. The XML is built by junit-report-builder (no string
 * concatenation: it escapes attributes and splits CDATA for us). Verdicts map the way the vitest
 * mode maps them: fail is a failure, error an error, skip skipped (the cause in system-out, as
 * the builder's <skipped/> has no message), a listed known failure is skipped too, and warn/info
 * pass with their detail in system-out.
 */
import junitModule, { type Builder } from 'junit-report-builder';
import { resultDetail } from './detail.js';
import { caseName, inCatalogOrder, resultsOf } from './digest.js';
import { escapeText } from './escape.js';
import type { CheckResult, RunReport } from './model.js';
import { sectionLabel } from '../suites/sections.js';

/**
 * The package is CommonJS whose module.exports is the builder itself, while its typings declare
 * it as `export default`: under NodeNext the default import is that object at run time.
 */
const junit = junitModule as unknown as Builder;

/** The failure message attribute: one line a test tab can show without opening the case. */
function oneLine(result: CheckResult): string {
  const parts = [result.expected && `expected ${result.expected}`, result.actual && `actual ${result.actual}`, result.reason].filter(
    Boolean,
  );
  return escapeText(parts.join('; ') || result.verdict);
}

/** Requirement first, then expected, actual and the quoted wire log: what a reader of the case needs. */
function body(result: CheckResult): string {
  return [`${result.level}: ${result.requirement}`, ...resultDetail(result)].join('\n');
}

export function renderJunit(report: RunReport): string {
  const builder = junit.newBuilder();
  builder.name('mcp-harness');
  for (const target of report.targets) {
    const suite = builder.testSuite().name(escapeText(target.label)).property('transport', target.transport);
    suite.property('testedRevisions', target.testedRevisions.join(',')).timestamp(new Date(report.startedAt));
    for (const r of inCatalogOrder(resultsOf(report, target))) {
      const name = r.verdict === 'warn' || r.verdict === 'info' ? `${caseName(r)} (${r.verdict.toUpperCase()})` : caseName(r);
      const tc = suite
        .testCase()
        .className(sectionLabel(r.id))
        .name(`${name} ${r.title}`)
        .time(r.durationMs / 1000);
      switch (r.verdict) {
        case 'fail':
          tc.failure(oneLine(r), r.level).stacktrace(body(r));
          break;
        case 'error':
          tc.error(oneLine(r), 'error', body(r));
          break;
        case 'skip':
          tc.skipped().standardOutput(`skipped (${r.skip.cause}): ${escapeText(r.reason)}`);
          break;
        case 'expected':
          // a known failure does not fail the build: skipped, as pytest's xfail is in JUnit, with why
          tc.skipped().standardOutput(`expected failure (${r.known?.was ?? 'fail'}): ${escapeText(r.known?.reason ?? '')}\n${body(r)}`);
          break;
        case 'warn':
        case 'info':
          tc.standardOutput(body(r));
          break;
        default:
          break;
      }
    }
  }
  return builder.build();
}
