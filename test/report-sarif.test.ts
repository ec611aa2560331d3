/**
 * SARIF and CTRF from hand-built RunReports: every check a rule even on a clean run, failures as
 * results at the file the user names, a known failure suppressed with its reason; CTRF statuses
 * and totals as in JUnit.
 */
import { describe, expect, it } from 'vitest';
import { applyExpectedFailures } from '../cli/expected-failures.js';
import { renderCtrf } from '../report/ctrf.js';
import { renderSarif } from '../report/sarif.js';
import { mixedReport, reportOf, result } from './report-fixture.js';

describe('SARIF', () => {
  it('a clean run lists every check as a rule and no result', () => {
    const clean = reportOf([result({ id: 'RPC-ID-01', verdict: 'pass' }), result({ id: 'AUTH-TOK-01', verdict: 'skip', reason: 'x' })]);
    const sarif = JSON.parse(renderSarif(clean));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['RPC-ID-01', 'AUTH-TOK-01']);
    expect(sarif.runs[0].results).toEqual([]);
  });

  it('failures are results at the named file, by level; a known failure is suppressed', () => {
    const report = mixedReport();
    const { results } = applyExpectedFailures(report.results, [{ id: 'LC-VER-02', reason: 'known deadline' }]);
    const sarif = JSON.parse(renderSarif(reportOf(results), 'server/package.json'));
    const run = sarif.runs[0];
    const got = run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId} ${r.level}`);
    expect(got).toEqual(['SHTTP-POST-01 error', 'SEC-ORIGIN-02 warning', 'LC-INIT-01 note', 'LC-VER-02 error']);
    for (const r of run.results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('server/package.json');
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(run.results[3].suppressions).toEqual([{ kind: 'external', justification: 'known deadline' }]);
    expect(run.results[0].message.text).not.toContain('\x1b');
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === 'SEC-ORIGIN-02').defaultConfiguration.level).toBe('warning');
  });
});

it('CTRF: one test per result, statuses and totals', () => {
  const ctrf = JSON.parse(renderCtrf(mixedReport())).results;
  expect(ctrf.summary).toMatchObject({ tests: 7, passed: 4, failed: 2, skipped: 1 });
  const post = ctrf.tests.find((t: { name: string }) => t.name.startsWith('SHTTP-POST-01'));
  expect(post).toMatchObject({ status: 'failed', suite: '06 Streamable HTTP, 2025 shape' });
  expect(post.trace).toContain('expected: 202');
});
