/**
 * What fails a CI run: known failures (--expected-failures, --write-expected-failures,
 * --strict-expected), --fail-on should, and the exit codes 0, 1, 2 and 3, through the CLI
 * against reference servers with and without a fault, plus the file format's checking.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyExpectedFailures, parseExpectedFailures } from '../cli/expected-failures.js';
import { UsageError } from '../cli/usage-error.js';
import type { RunReport } from '../report/model.js';
import { reportProblems } from '../report/validate.js';
import { runCli } from './cli-run.js';
import { result } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = (file: string): RunReport => JSON.parse(readFileSync(file, 'utf8'));

describe('the expected-failures file', () => {
  const ids = new Set(['SHTTP-POST-01', 'RPC-ID-01']);
  it.each<[string, string, RegExp]>([
    ['not JSON', '{', /f\.json is not valid JSON/],
    ['not a list', '{"x": 1}', /expected a list of expected failures/],
    ['an unknown check', '[{"id": "NOPE-1", "reason": "r"}]', /entry 1 names no known check \("NOPE-1"\)/],
    [
      'an unknown transport',
      '[{"id": "RPC-ID-01", "transport": "ws", "reason": "r"}]',
      /entry 1 has transport "ws"; known: stdio, sse, http/,
    ],
    ['an unknown revision', '[{"id": "RPC-ID-01", "revision": "2020-01-01", "reason": "r"}]', /entry 1 has revision "2020-01-01"/],
    ['no reason', '{"expectedFailures": [{"id": "RPC-ID-01"}, {"id": "RPC-ID-01"}]}', /entry 1 has no reason/],
    ['a misspelt member', '[{"id": "RPC-ID-01", "reason": "r", "revison": "2025-11-25"}]', /unknown member revison/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseExpectedFailures(text, 'f.json', ids)).toThrow(UsageError);
    expect(() => parseExpectedFailures(text, 'f.json', ids)).toThrow(message);
  });

  it('matches by ID, and by transport and revision when given; a listed check that passes is stale', () => {
    const list = parseExpectedFailures(
      JSON.stringify([
        { id: 'SHTTP-POST-01', revision: '2025-11-25', reason: 'known 200' },
        { id: 'RPC-ID-01', transport: 'stdio', reason: 'other transport' },
        { id: 'RPC-ID-01', transport: 'http', reason: 'fixed since' },
      ]),
      'f.json',
      ids,
    );
    const { results, stale } = applyExpectedFailures(
      [
        result({ id: 'SHTTP-POST-01', verdict: 'fail' }),
        result({ id: 'SHTTP-POST-01', verdict: 'fail', revision: '2025-06-18' }),
        result({ id: 'RPC-ID-01', verdict: 'pass' }),
      ],
      list,
    );
    expect(results.map((r) => r.verdict)).toEqual(['expected', 'fail', 'pass']);
    expect(results[0]?.known).toEqual({ was: 'fail', reason: 'known 200' });
    // the stdio entry matched nothing that ran: neither used nor stale
    expect(stale).toEqual([{ id: 'RPC-ID-01', transport: 'http', reason: 'fixed since' }]);
  });
});

describe('known failures through the CLI', () => {
  const known = join(dir, 'known.json');
  const checks = ['--check', 'SHTTP-POST-01,RPC-ID-01'];
  const faulty = ['test', '--reference', 'min-http', '--fault', 'notification-200', ...checks];

  it('--write-expected-failures seeds the list; with it the same failures no longer fail the run', async () => {
    const first = await runCli([...faulty, '--write-expected-failures', known]);
    expect(first.code).toBe(1);
    const written = JSON.parse(readFileSync(known, 'utf8'));
    expect(written.expectedFailures.map((e: { id: string; revision: string }) => `${e.id} ${e.revision}`)).toEqual([
      'SHTTP-POST-01 2025-03-26',
      'SHTTP-POST-01 2025-06-18',
      'SHTTP-POST-01 2025-11-25',
    ]);
    expect(written.expectedFailures[0]).toMatchObject({ transport: 'http', reason: expect.stringMatching(/^fail in the run of .*: 200/) });

    const out = join(dir, 'known-run');
    const second = await runCli([
      ...faulty,
      '--expected-failures',
      known,
      '--json',
      join(out, 'r.json'),
      '--report',
      'junit,md',
      '--out',
      out,
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/known\s+SHTTP-POST-01/);
    const report = json(join(out, 'r.json'));
    expect(reportProblems(report)).toEqual([]);
    expect(report).toMatchObject({ exitCode: 0, counts: { fail: 0, expected: 3, pass: 3 }, staleExpectations: [] });
    expect(report.results.find((r) => r.verdict === 'expected')?.known).toMatchObject({ was: 'fail' });
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('expected failure (fail): fail in the run of');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('<details><summary>3 expected failures (listed as known)</summary>');
  });

  it('a new failure beside the known ones still fails the run', async () => {
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify([{ id: 'SHTTP-POST-01', revision: '2025-11-25', reason: 'only this one' }]));
    const ran = await runCli([...faulty, '--expected-failures', one]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/FAIL\s+SHTTP-POST-01/);
  });

  it('on the fixed server the list is stale: reported, and with --strict-expected a failure', async () => {
    const clean = ['test', '--reference', 'min-http', ...checks, '--expected-failures', known];
    const lenient = await runCli(clean);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/stale expected failure: SHTTP-POST-01 \[http 2025-03-26\] now passes/);
    const strict = await runCli([...clean, '--strict-expected']);
    expect(strict.code).toBe(1);
  });

  it.each<[string, string[], RegExp]>([
    ['a missing file', ['--expected-failures', join(dir, 'absent.json')], /cannot read expected-failures file .*ENOENT/],
    ['--strict-expected alone', ['--strict-expected'], /--strict-expected needs --expected-failures FILE/],
    ['--fail-on anything', ['--fail-on', 'may'], /--fail-on must be must or should, not "may"/],
  ])('%s is a usage error (2)', async (_what, args, message) => {
    const ran = await runCli(['test', '--url', 'http://127.0.0.1:1/mcp', ...args]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(message);
  });
});

describe('exit codes', () => {
  it('0 on SHOULD failures only, 1 with --fail-on should', async () => {
    const args = ['test', '--reference', 'min-http', '--fault', 'counter-offer-oldest', '--check', 'LC-VER-03'];
    const must = await runCli(args);
    expect(must.stdout).toMatch(/WARN\s+LC-VER-03/);
    expect(must.code).toBe(0);
    expect((await runCli([...args, '--fail-on', 'should'])).code).toBe(1);
  });

  it('3 when the target cannot be reached at all, and the JSON report agrees', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const file = join(dir, 'unreachable.json');
    const ran = await runCli(['test', '--url', `http://127.0.0.1:${port}/mcp`, '--json', file]);
    expect(ran.code).toBe(3);
    expect(reportProblems(json(file))).toEqual([]);
    expect(json(file)).toMatchObject({ exitCode: 3, counts: { pass: 0 } });
  });

  it('1, not 3, when the target answers but serves no MCP', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const file = join(dir, 'not-mcp.json');
      const ran = await runCli(['test', '--url', `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`, '--json', file]);
      expect(ran.code).toBe(1);
      expect(json(file).targets[0]?.supportedRevisions).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
