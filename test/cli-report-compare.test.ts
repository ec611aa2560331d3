/**
 * `mcp-harness compare OLD.json NEW.json`: newly failing, newly passing and changed results,
 * matched across runs even when a reference server's port changed; console and Markdown; exit 1
 * only on a new MUST failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson } from '../report/json.js';
import { diffRuns } from '../report/diff.js';
import { runCli } from './cli-run.js';
import { HOSTILE, reportOf, result, TARGET } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const before = reportOf([
  result({ id: 'RPC-ID-01', verdict: 'pass' }),
  result({ id: 'SHTTP-POST-01', verdict: 'fail', expected: '202', actual: '200' }),
  result({ id: 'SHTTP-GET-01', verdict: 'fail', expected: '405', actual: '404' }),
  result({ id: 'LC-VER-02', verdict: 'fail', expected: 'x', actual: 'same' }),
]);
// the same server on another port, one run later
const after = reportOf(
  [
    result({ id: 'RPC-ID-01', verdict: 'fail', expected: 'the id back', actual: `a string ${HOSTILE}` }),
    result({ id: 'SHTTP-POST-01', verdict: 'pass' }),
    result({ id: 'SHTTP-GET-01', verdict: 'fail', expected: '405', actual: '500' }),
    result({ id: 'LC-VER-02', verdict: 'fail', expected: 'x', actual: 'same' }),
    result({ id: 'SEC-ORIGIN-02', level: 'SHOULD', verdict: 'warn', actual: '200' }),
  ],
  { ...TARGET, label: 'http://127.0.0.1:10/mcp' },
);

describe('the diff', () => {
  it('sorts each result into newly failing, newly passing, changed or still failing', () => {
    const d = diffRuns(before, after);
    expect(d.newlyFailing.map((c) => `${c.new?.id} was ${c.old?.verdict ?? 'absent'}`)).toEqual([
      'RPC-ID-01 was pass',
      'SEC-ORIGIN-02 was absent',
    ]);
    expect(d.newlyPassing.map((c) => c.new?.id)).toEqual(['SHTTP-POST-01']);
    expect(d.changed.map((c) => `${c.new?.id}: ${c.old?.actual} -> ${c.new?.actual}`)).toEqual(['SHTTP-GET-01: 404 -> 500']);
    expect(d.stillFailing).toBe(1);
  });

  it('results of a target not in the other run are not matched to anything', () => {
    const elsewhere = reportOf([result({ id: 'SHTTP-POST-01', verdict: 'fail' })], { ...TARGET, label: 'http://example.test/mcp' });
    expect(diffRuns(elsewhere, after).newlyPassing).toEqual([]);
  });
});

describe('mcp-harness compare', () => {
  const oldFile = join(dir, 'old.json');
  const newFile = join(dir, 'new.json');
  writeFileSync(oldFile, renderJson(before));
  writeFileSync(newFile, renderJson(after));

  it('prints the changes in the console and exits 1 on a new MUST failure', async () => {
    const ran = await runCli(['compare', oldFile, newFile]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('newly failing (2):\n  MUST RPC-ID-01 [http 2025-11-25] title of RPC-ID-01');
    expect(ran.stdout).toContain('      was: pass\n      now: fail: a string <script>');
    expect(ran.stdout).not.toContain('\x1b');
    expect(ran.stdout).toContain('newly passing (1):\n  MUST SHTTP-POST-01');
    expect(ran.stdout).toContain('      was: fail: 404\n      now: fail: 500');
    expect(ran.stdout).toMatch(/2 newly failing, 1 newly passing, 1 changed, 1 still failing as before\n$/);
  });

  it('in Markdown, server text escaped; exit 0 when nothing newly fails', async () => {
    const md = await runCli(['compare', oldFile, newFile, '--format', 'md']);
    expect(md.stdout).toMatch(/^## 🔴 MCP transports since the last run: 2 newly failing/);
    expect(md.stdout).toContain('### newly passing (1)');
    expect(md.stdout).toContain('&lt;script&gt;');
    expect(md.stdout).not.toContain('<script>');
    const same = await runCli(['compare', newFile, newFile, '--format', 'md']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /^## 🟢 MCP transports since the last run: 0 newly failing, 0 newly passing, 0 changed, 4 still failing as before/,
    );
  });

  it.each<[string, string[], RegExp]>([
    ['a missing file', [join(dir, 'absent.json'), newFile], /cannot read report .*absent\.json: ENOENT/],
    ['a file that is no report', [join(dir, 'other.json'), newFile], /other\.json is not an mcp-harness JSON report/],
    ['an unknown format', [oldFile, newFile, '--format', 'html'], /--format must be console or md/],
  ])('%s is a usage error (2)', async (_what, args, message) => {
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const ran = await runCli(['compare', ...args]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(message);
  });
});
