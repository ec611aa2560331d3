/**
 * The JUnit XML against an XSD (test/report-junit.xsd) with Debian's xmllint (libxml2-utils,
 * which .ci/run installs): a second, independent reader besides fast-xml-parser. Outside CI a
 * machine without xmllint skips; in CI its absence fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../cli/self.js';
import { applyExpectedFailures } from '../cli/expected-failures.js';
import { renderJunit } from '../report/junit.js';
import { mixedReport, reportOf } from './report-fixture.js';

const XSD = join(PROJECT_ROOT, 'test', 'report-junit.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-xsd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(xml: string, name: string): { ok: boolean; output: string } {
  const file = join(dir, name);
  writeFileSync(file, xml);
  const ran = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', timeout: 20_000 });
  return { ok: ran.status === 0, output: `${ran.stdout}${ran.stderr}` };
}

describe.skipIf(!hasXmllint && !process.env.CI)('JUnit XML against the XSD (xmllint)', () => {
  it('xmllint is installed', () => {
    expect(hasXmllint).toBe(true);
  });

  it('every verdict, hostile server text included, validates', () => {
    const report = mixedReport();
    const { results } = applyExpectedFailures(report.results, [{ id: 'SHTTP-POST-01', reason: 'known <b>' }]);
    for (const [name, r] of [
      ['mixed.xml', report],
      ['known.xml', reportOf(results)],
    ] as const) {
      const v = validate(renderJunit(r), name);
      expect(v.output).toContain('validates');
      expect(v.ok).toBe(true);
    }
  });

  it('the schema does reject what a test tab could not read (a testcase with no name, two verdicts)', () => {
    const bad = validate(
      '<testsuites><testsuite name="s" tests="1" failures="1" errors="0"><testcase classname="c"><failure/><skipped/></testcase></testsuite></testsuites>',
      'bad.xml',
    );
    expect(bad.ok).toBe(false);
    expect(bad.output).toMatch(/name.*required|not expected/);
  });
});
