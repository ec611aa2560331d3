/**
 * `--echo-tool`, `--slow-tool`, `--progress-tool`, …: a user's server names its fixture tools,
 * and the checks that need one run instead of skipping. Against a real server (min-http, in this
 * process), through the same code path as `mcp-harness test --url`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolFixtures, toolFixturesFromEnv } from '../cli/options.js';
import { runTestCommand, type TestFlags } from '../cli/test-command.js';
import { UsageError } from '../cli/usage-error.js';
import { type RunningServer, startServer } from '../reference-servers/start.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-fixtures-'));
let server: RunningServer;

beforeAll(async () => {
  server = await startServer('min-http', { faults: new Set() });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run `test --url` with these flags; the verdicts of the JSON report by check id. */
async function verdicts(flags: Partial<TestFlags>, name: string): Promise<Map<string, { verdict: string; reason?: string }>> {
  const json = join(dir, `${name}.json`);
  const sink = { write: () => true };
  await runTestCommand({ url: server.url!, json, color: false, ...flags }, { stdout: sink, stderr: sink, env: {} });
  const report = JSON.parse(readFileSync(json, 'utf8')) as { results: { id: string; verdict: string; reason?: string }[] };
  return new Map(report.results.map((r) => [r.id, r]));
}

describe('fixture tools of a user server', () => {
  const checks = ['LC-PROG-01', 'LC-CANC-02'];

  it('without the flags, the checks that need a tool skip and say which option names it', async () => {
    const found = await verdicts({ check: checks, spec: ['2025-11-25'] }, 'none');
    expect(found.get('LC-PROG-01')).toMatchObject({ verdict: 'skip', reason: expect.stringContaining('--progress-tool NAME') });
    expect(found.get('LC-CANC-02')).toMatchObject({ verdict: 'skip', reason: expect.stringContaining('--slow-tool NAME') });
  });

  it('with --progress-tool and --slow-tool, they run and pass', async () => {
    const found = await verdicts({ check: checks, spec: ['2025-11-25'], progressTool: 'progress', slowTool: 'slow' }, 'named');
    expect(found.get('LC-PROG-01')?.verdict).toBe('pass');
    expect(found.get('LC-CANC-02')?.verdict).toBe('pass');
  });

  it('a flag without a name, or one beside --reference, is a usage error', async () => {
    expect(() => toolFixtures({ echoTool: ' ' })).toThrow(UsageError);
    const sink = { write: () => true };
    await expect(
      runTestCommand({ reference: 'min-http', echoTool: 'echo', color: false }, { stdout: sink, stderr: sink, env: {} }),
    ).rejects.toThrow(/--echo-tool is for your own server/);
  });

  it('MCP_TARGET mode reads the same names from the environment', () => {
    expect(toolFixturesFromEnv({ MCP_ECHO_TOOL: 'say', MCP_CHANGE_TOOL: 'bump', OTHER: 'x' })).toEqual({
      echoTool: 'say',
      changeTool: 'bump',
    });
  });
});
