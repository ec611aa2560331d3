/**
 * The CLI as users run it, as a child process: exit 0 when no MUST fails, 1 when one does or a
 * check cannot complete, 2 for usage and harness errors; stdout carries only the report (or,
 * for `serve`, only the URL or the protocol).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, selfCommand } from '../cli/self.js';
import { findFault } from '../reference-servers/faults/index.js';
import { reportProblems } from '../report/validate.js';
import { ALL_CHECKS } from '../suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI (dist when built, else the sources through tsx) with a hard deadline. */
function cli(args: string[], opts: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<Ran> {
  const self = selfCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(self.command, [...self.args, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-harness ${args.join(' ')} did not finish\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const hasCheck = (id: string) => ALL_CHECKS.some((c) => c.id === id);

describe('exit code 2: usage and harness errors', () => {
  const config = join(dir, 'mcp.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { alpha: { command: 'node' }, beta: { url: 'http://127.0.0.1:1/mcp' } } }));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"mcpServers": {');

  it.each<[string, string[], RegExp]>([
    ['no target', ['test'], /no target/],
    ['two targets', ['test', '--url', 'http://127.0.0.1:1/mcp', '--cmd', 'node x'], /give one target/],
    ['unknown option', ['test', '--bogus'], /unknown option/],
    ['unknown revision', ['test', '--url', 'http://127.0.0.1:1/mcp', '--spec', '2023-01-01'], /unknown spec revision/],
    ['unknown check', ['test', '--url', 'http://127.0.0.1:1/mcp', '--check', 'NOPE-99'], /unknown check ID NOPE-99/],
    ['bad timeout', ['test', '--url', 'http://127.0.0.1:1/mcp', '--timeout', '-5'], /--timeout must be/],
    ['unknown fault', ['test', '--reference', 'all', '--fault', 'no-such-fault'], /unknown fault "no-such-fault"; known: /],
    ['fault without reference', ['test', '--url', 'http://127.0.0.1:1/mcp', '--fault', 'get-409'], /use it with --reference/],
    ['unknown reference kind', ['test', '--reference', 'nginx'], /unknown reference server "nginx"/],
    ['missing config file', ['test', '--config', join(dir, 'absent.json'), '--server', 'x'], /cannot read config file/],
    ['malformed config', ['test', '--config', broken, '--server', 'x'], /is not valid JSON/],
    ['unknown server name', ['test', '--config', config, '--server', 'gamma'], /no server "gamma" .*available: alpha, beta/],
    ['config without --server', ['test', '--config', config], /needs --server NAME; .*alpha, beta/],
    ['bad --cmd quoting', ['test', '--cmd', `node 'oops`], /unterminated single quote/],
    ['serve unknown kind', ['serve', '--server', 'nginx'], /unknown server "nginx"; known: sdk-stdio/],
    ['serve unknown fault', ['serve', '--server', 'min-http', '--fault', 'nope'], /unknown fault "nope"; faults of min-http: /],
    ['list something else', ['list', 'cats'], /cannot list "cats"/],
  ])('%s', async (_what, args, message) => {
    const ran = await cli(args);
    expect(ran.stderr).toMatch(message);
    expect(ran.code).toBe(2);
  });
});

describe('exit codes 0 and 1 from verdicts', () => {
  it('3 when the target cannot be reached: every check is an error, quickly', async () => {
    const port = await closedPort();
    const json = join(dir, 'unreachable.json');
    const started = Date.now();
    const ran = await cli(['test', '--url', `http://127.0.0.1:${port}/mcp`, '--json', json]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(ran.code).toBe(3);
    expect(ran.stdout).toMatch(/ERROR/);
    expect(ran.stdout).toMatch(/ECONNREFUSED/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(reportProblems(report)).toEqual([]);
    expect(report.exitCode).toBe(3);
    expect(report.counts.error).toBeGreaterThan(0);
    expect(report.counts.pass).toBe(0);
  });

  it.skipIf(!hasCheck('RPC-ID-01'))('0 for a clean reference server; the JSON report agrees', async () => {
    const json = join(dir, 'clean.json');
    const ran = await cli(['test', '--reference', 'min-http', '--check', 'RPC-ID-01', '--json', json]);
    expect(ran.stdout).toMatch(/pass\s+RPC-ID-01/);
    expect(ran.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(reportProblems(report)).toEqual([]);
    expect(report).toMatchObject({ schemaVersion: 2, exitCode: 0, tool: { name: 'mcp-harness' } });
    expect(report.targets[0].supportedRevisions.length).toBeGreaterThan(0);
    expect(report.results.every((r: { verdict: string }) => r.verdict === 'pass')).toBe(true);
  });

  it.skipIf(!hasCheck('RPC-ID-01') || !findFault('id-type-coerce'))('1 when a MUST check fails on a faulty server', async () => {
    const ran = await cli(['test', '--reference', 'min-http', '--fault', 'id-type-coerce', '--check', 'RPC-ID-01']);
    expect(ran.stdout).toMatch(/FAIL\s+RPC-ID-01/);
    expect(ran.stdout).toMatch(/expected: /);
    expect(ran.code).toBe(1);
  });

  it('the report on a pipe has no colour codes, and progress goes to stderr', async () => {
    const port = await closedPort();
    const ran = await cli(['test', '--url', `http://127.0.0.1:${port}/mcp`]);
    expect(ran.stdout).not.toContain('\x1b');
    expect(ran.stderr).toMatch(/mcp-harness: http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(ran.stdout).not.toMatch(/finding the revisions/);
  });
});

describe('interruption', () => {
  it('Ctrl-C stops a run against a silent server, prints the report and leaves no process behind', async () => {
    const marker = `mcp-harness-cli-sigint-${process.pid}-${Date.now()}`;
    const self = selfCommand();
    const args = ['test', '--cmd', `node -e "/* ${marker} */ setInterval(() => {}, 1000)"`];
    const child = spawn(self.command, [...self.args, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('finding the revisions') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Give discovery time to spawn its probes, which must then be reaped.
    await new Promise((r) => setTimeout(r, 500));
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(Date.now() - interruptedAt).toBeLessThan(9000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/interrupted/);
    expect(stdout).toMatch(/ERROR/);
    const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(marker));
    expect(left).toEqual([]);
  });
});

describe('serve and list', () => {
  it('an HTTP kind prints one line, its URL, and exits 0 on SIGTERM', async () => {
    const self = selfCommand();
    const child = spawn(self.command, [...self.args, 'serve', '--server', 'min-http'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp\n$/);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a stdio kind writes nothing but protocol on stdout and exits when stdin closes', async () => {
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
    });
    const ran = await cli(['serve', '--server', 'min-stdio'], { stdin: `${init}\n`, timeoutMs: 20_000 });
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ jsonrpc: '2.0', id: 1 });
  });

  it.each(['checks', 'faults', 'servers'])('list %s exits 0 with a table', async (what) => {
    const ran = await cli(['list', what]);
    expect(ran.code).toBe(0);
    expect(ran.stdout.split('\n').length).toBeGreaterThan(2);
  });
});
