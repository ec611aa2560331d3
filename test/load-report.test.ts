/**
 * The bench's reports from synthetic results: the regression verdict against a baseline, the
 * history lines, the Markdown tables (escaping, skipped and failed targets, knees) and the CLI
 * registration of bench and merge.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerBenchCommands } from '../cli/bench-command.js';
import { emptyErrors } from '../load/errors.js';
import { encodeHistogram, newHistogram } from '../load/histogram.js';
import { historyLines } from '../load/history.js';
import type { PhaseResult } from '../load/phase.js';
import { compareWithBaseline } from '../load/regression.js';
import { type ScenarioResult, toPhaseEntry } from '../load/result.js';
import { renderSummary } from '../report/bench-md.js';
import { SCENARIOS, selectScenarios, withOverrides } from '../scenarios/index.js';
import { ping } from '../scenarios/ping.js';
import { rateSweep } from '../scenarios/sweeps.js';

function phase(count: number, latencyUs: number): PhaseResult {
  const h = newHistogram();
  for (let i = 0; i < count; i++) h.recordValue(latencyUs);
  return {
    run: { histogram: encodeHistogram(h), errors: emptyErrors(), series: [], count, windowMs: 1000, sent: count },
    generator: { cpuMs: 10, cpuPercent: 1, maxRssBytes: 1, pids: [1] },
    hasSessions: false,
    startedAtEpochMs: 0,
  };
}

function result(count: number, latencyUs: number, label = 'min-http'): ScenarioResult {
  const load = { mode: 'closed' as const, concurrency: 16 };
  return {
    schemaVersion: 1,
    tool: { name: 'mcp-harness', version: 'test' },
    run: { id: 'r', startedAt: 'now', host: { cpus: 2, node: 'v20', platform: 'linux' }, workers: 1 },
    scenario: ping,
    targets: [
      {
        id: 'min-http',
        label,
        description: 'x',
        transport: 'http',
        revision: '2025-11-25',
        hasSessions: true,
        phases: [toPhaseEntry(phase(count, latencyUs), { load, strategy: 'shared', workers: 1 })],
      },
      {
        id: 'min-stdio',
        label: 'min-stdio',
        description: 'y',
        transport: 'stdio',
        revision: '2025-11-25',
        hasSessions: false,
        phases: [],
        error: 'it died',
      },
    ],
  };
}

describe('regressions against a baseline', () => {
  it('flags a throughput drop or a p99 rise beyond the bounds, and nothing within them', () => {
    const base = [result(1000, 1000)];
    expect(compareWithBaseline([result(950, 1100)], base).map((r) => r.regressed)).toEqual([false]);
    expect(compareWithBaseline([result(800, 1000)], base)[0]).toMatchObject({ regressed: true, throughputChange: -0.2 });
    expect(compareWithBaseline([result(1000, 2000)], base)[0]!.regressed).toBe(true);
    // a target the baseline does not have is not compared
    expect(compareWithBaseline([result(1, 1, 'other')], base)).toEqual([]);
  });

  it('writes one history line per measured phase', () => {
    const lines = historyLines([result(1000, 1000)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ scenario: 'ping', target: 'min-http', throughput: 1000, p99Us: 1000 });
  });
});

describe('the Markdown summary', () => {
  it('shows targets side by side, failures with their reason, and regressions', () => {
    const now = [result(800, 1000)];
    const md = renderSummary(now, [], ['charts/ping-latency.png'], compareWithBaseline(now, [result(1000, 1000)]));
    expect(md).toMatch(/\| min-http <br><sub>http, 2025-11-25, sessions<\/sub> \| 800 \| 1\.00 \|/);
    expect(md).toContain('error: it died');
    expect(md).toContain('![ping](charts/ping-latency.png)');
    expect(md).toContain('1 regression');
  });

  it('renders the knee of a rate sweep', () => {
    const r = result(1000, 1000);
    r.scenario = rateSweep;
    r.targets[0]!.knee = {
      rate: 4000,
      p99BoundMs: 10,
      maxErrorRate: 0.001,
      steps: [
        { rate: 4000, p99Us: 2000, errorRate: 0, throughput: 4000, completed: 8000, offered: 8000, pass: true },
        { rate: 8000, p99Us: 40_000, errorRate: 0, throughput: 7000, completed: 14_000, offered: 16_000, pass: false, reason: 'p99' },
      ],
    };
    expect(renderSummary([r], [], [])).toMatch(/\| 4,000 \| 4,000: 2\.00, 0 % ✓; 8,000: 40\.0, 0 % ✗ \|/);
  });
});

describe('scenarios and the command line', () => {
  it('selects scenarios by name, default or all, and rejects unknown names', () => {
    expect(selectScenarios(undefined).map((s) => s.name)).toContain('churn');
    expect(selectScenarios('all')).toHaveLength(SCENARIOS.length);
    expect(selectScenarios('ping,rate-sweep').map((s) => s.name)).toEqual(['ping', 'rate-sweep']);
    expect(() => selectScenarios('nope')).toThrow(/unknown scenario/);
    const s = withOverrides(rateSweep, { durationMs: 100, p99BoundMs: 3 });
    expect(s.durationMs).toBe(100);
    expect(s.plan.kind === 'rate-sweep' && s.plan.knee.p99BoundMs).toBe(3);
  });

  it('registers bench and merge on a commander program', () => {
    const program = new Command('mcp-harness');
    registerBenchCommands(program, () => {});
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(['bench', 'merge']);
    const bench = program.commands[0]!;
    for (const flag of ['--scenarios', '--url', '--cmd', '--workers', '--baseline', '--no-pin']) {
      expect(bench.options.some((o) => o.long === flag)).toBe(true);
    }
  });
});
