/**
 * The runner against real processes through the real stdio driver: a target that never
 * answers, a command that does not exist, a check that hangs, and a target that disappears.
 * Each must end in `error` verdicts within bounded time, with every process reaped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import type { Target } from '../drivers/session.js';
import { type Check, ok, violated } from '../suites/check.js';
import { runSuite } from '../suites/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A word only our children carry on their command line, so the test can look for leftovers. */
const marker = `mcp-harness-runner-test-${process.pid}-${Date.now()}`;

function processesWithMarker(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

async function expectReaped(): Promise<void> {
  // Exits are asynchronous; give the kernel a moment, never more.
  await waitFor(() => processesWithMarker().length === 0, 3000, 50);
  expect(processesWithMarker()).toEqual([]);
}

/** A stdio server that serves 2025-11-25, answers ping, and never answers "hang". */
const tinyServer = `// ${marker}
const rl = require('node:readline').createInterface({ input: process.stdin });
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
rl.on('line', (line) => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.id === undefined || m.method === 'hang') return;
  if (m.method === 'initialize') {
    out({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'tiny', version: '1' } } });
  } else if (m.method === 'ping') {
    out({ jsonrpc: '2.0', id: m.id, result: {} });
  } else {
    out({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
  }
});
rl.on('close', () => process.exit(0));
`;

function scriptTarget(name: string, source: string): { target: Target; file: string } {
  const file = join(dir, name);
  writeFileSync(file, source);
  return { target: { transport: 'stdio', command: process.execPath, args: [file, marker] }, file };
}

function check(id: string, run: Check['run']): Check {
  return {
    id,
    title: id,
    requirement: 'r',
    level: 'MUST',
    spec: 'https://example.invalid/',
    transports: ['stdio'],
    revisions: ['2025-11-25'],
    run,
  };
}

const ping = check('T-PING', async (ctx) => {
  const reply = await (await ctx.session()).request('ping', {}, { timeoutMs: 3000 });
  return reply.response ? ok() : violated('a ping response', 'none');
});

describe('runSuite with real processes', () => {
  it('a target that never answers: every check errors within the deadline, all reaped', async () => {
    const target: Target = {
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', `/* ${marker} */ setInterval(() => {}, 1000)`],
    };
    const started = Date.now();
    const { results } = await runSuite({
      target,
      label: 'silent',
      checks: [ping, check('T-2', async () => ok())],
      requestTimeoutMs: 1000,
      checkDeadlineMs: 2000,
    });
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.verdict)).toEqual(['error', 'error']);
    expect(results[0]?.reason).toMatch(/no answer to .* within 1000 ms/);
    expect(elapsed).toBeLessThan(15_000);
    await expectReaped();
  });

  it('a command that does not exist: errors at once, naming the command', async () => {
    const started = Date.now();
    const { results } = await runSuite({
      target: { transport: 'stdio', command: join(dir, 'no-such-server'), args: [] },
      label: 'missing',
      checks: [ping],
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ verdict: 'error' });
    expect(results[0]?.reason).toMatch(/ENOENT|no-such-server/);
  });

  it('a hanging check errors at its deadline, the target lives on, the next check passes', async () => {
    const { target } = scriptTarget('tiny.cjs', tinyServer);
    const hang = check('T-HANG', async (ctx) => {
      await (await ctx.session()).request('hang', {}, { timeoutMs: 60_000 });
      return ok();
    });
    const started = Date.now();
    const { results, target: info } = await runSuite({ target, label: 'tiny', checks: [hang, ping], checkDeadlineMs: 1500 });
    expect(info.supportedRevisions).toEqual(['2025-11-25']);
    expect(info.serverInfo).toEqual({ name: 'tiny', version: '1' });
    expect(results.map((r) => [r.id, r.verdict])).toEqual([
      ['T-HANG', 'error'],
      ['T-PING', 'pass'],
    ]);
    expect(results[0]?.reason).toBe('the check did not finish within 1500 ms');
    expect(results[1]?.evidence.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectReaped();
  });

  it('a target that disappears: the remaining checks are errors without waiting out their deadlines', async () => {
    const { target, file } = scriptTarget('vanishing.cjs', tinyServer);
    const vanish = check('T-VANISH', async () => {
      rmSync(file);
      throw new Error('the server went away');
    });
    const slowIfRun = check('T-LATER', async (ctx) => {
      await (await ctx.session()).request('hang', {}, { timeoutMs: 60_000 });
      return ok();
    });
    const started = Date.now();
    const { results } = await runSuite({ target, label: 'vanishing', checks: [vanish, slowIfRun, ping], checkDeadlineMs: 30_000 });
    expect(results.map((r) => r.verdict)).toEqual(['error', 'error', 'error']);
    expect(results[0]?.reason).toMatch(/the server went away/);
    expect(results[1]?.reason).toMatch(/^target is gone/);
    // The failed liveness probe is the evidence: the spawn of the vanished script and its exit.
    expect(results[1]?.evidence.some((e) => e.channel === 'process')).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectReaped();
  });
});
