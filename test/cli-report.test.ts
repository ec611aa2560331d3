/**
 * `mcp-harness test --report … --out DIR` as CI runs it, against a reference server with a
 * fault switched on: every failing result of the JSON report is a JUnit failure carrying its
 * evidence (read back by fast-xml-parser, not by us), the Markdown lands in $GITHUB_STEP_SUMMARY,
 * and the badge is red.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../report/model.js';
import { runCli, type Ran } from './cli-run.js';
import { junitCases } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a faulty server (min-http, notification-200)', () => {
  const out = join(dir, 'faulty');
  const summary = join(dir, 'step-summary.md');
  let ran: Ran;
  let report: RunReport;
  beforeAll(async () => {
    writeFileSync(summary, '# earlier step\n');
    ran = await runCli(
      ['test', '--reference', 'min-http', '--fault', 'notification-200', '--report', 'json,junit', '--report', 'md,badge', '--out', out],
      {
        env: { GITHUB_STEP_SUMMARY: summary },
      },
    );
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  });

  it('exits 1 and names the files it wrote', () => {
    expect(ran.code).toBe(1);
    for (const f of ['report.json', 'junit.xml', 'summary.md', 'badge.svg', 'badge.json']) expect(ran.stderr).toContain(join(out, f));
  });

  it('every failing check is a JUnit failure with its expected, actual and wire log', () => {
    const failing = report.results.filter((r) => r.verdict === 'fail');
    expect(failing.map((r) => r.id)).toContain('SHTTP-POST-01');
    const cases = junitCases(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(cases).toHaveLength(report.results.length);
    const failures = cases.filter((c) => c.failure);
    expect(failures).toHaveLength(failing.length);
    for (const r of failing) {
      const c = failures.find((f) => f['@_name'].startsWith(`${r.id} [${r.transport} ${r.revision}]`));
      expect(c, `${r.id} ${r.revision}`).toBeDefined();
      const text = c?.failure?.['#text'] ?? '';
      expect(text).toContain(r.requirement);
      expect(text).toContain(`expected: ${r.expected}`);
      expect(text).toContain(`actual:   ${r.actual}`);
      expect(r.evidence.length).toBeGreaterThan(0);
      for (const e of r.evidence) expect(text).toContain(e.summary);
    }
  });

  it('the Markdown summary is appended to $GITHUB_STEP_SUMMARY, MUST failures first', () => {
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}`);
    expect(md).toMatch(/^## 🔴 MCP transports: 2025-03-26\.\.2025-11-25 · \d+ MUST failed/);
    expect(md).toContain('#### FAIL `SHTTP-POST-01`');
    expect(md).toContain('POST /mcp -> 200');
  });

  it('the badge is red and says how many MUST results failed', () => {
    const badge = JSON.parse(readFileSync(join(out, 'badge.json'), 'utf8'));
    const failed = report.counts.fail + report.counts.error;
    expect(badge).toEqual({
      schemaVersion: 1,
      label: 'MCP transports',
      message: `2025-03-26..2025-11-25 · ${failed} MUST failed · ${report.counts.pass}/${report.results.length - report.counts.skip}`,
      color: 'red',
    });
    expect(readFileSync(join(out, 'badge.svg'), 'utf8')).toContain(`${failed} MUST failed`);
  });
});

it('a clean server earns a green badge', async () => {
  const out = join(dir, 'clean');
  const ran = await runCli(['test', '--reference', 'min-http', '--check', 'RPC-ID-01,SHTTP-POST-01', '--report', 'badge', '--out', out]);
  expect(ran.code).toBe(0);
  expect(JSON.parse(readFileSync(join(out, 'badge.json'), 'utf8'))).toMatchObject({
    color: 'brightgreen',
    message: '2025-03-26..2025-11-25 · 0 MUST failed · 6/6',
  });
});

it.each<[string, string[], RegExp]>([
  ['an unknown format', ['--report', 'pdf'], /unknown report format "pdf"; known: json, junit, md, badge, html, sarif, ctrf/],
  ['--out without --report', ['--out', 'x'], /--out names the folder for --report/],
])('%s is a usage error, before anything runs', async (_what, args, message) => {
  const ran = await runCli(['test', '--url', 'http://127.0.0.1:1/mcp', ...args]);
  expect(ran.code).toBe(2);
  expect(ran.stderr).toMatch(message);
  expect(ran.stderr).not.toMatch(/finding the revisions/);
});
