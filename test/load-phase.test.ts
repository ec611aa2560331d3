/**
 * The engine through the real drivers and real processes: stdio with many requests on one pipe,
 * session churn and a progress stream on the hand-written Streamable HTTP server, two worker
 * processes merged, and the result files (JSON model, Markdown, PNG charts, merge).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRun } from '../load/bench.js';
import { decodeHistogram } from '../load/histogram.js';
import { type HostedServer, startHosted } from '../load/hosted.js';
import { mergeResults } from '../load/merge-results.js';
import { nodeArgs } from '../load/module-path.js';
import { type PhaseSpec, runPhase } from '../load/phase.js';
import { type ScenarioResult, toPhaseEntry } from '../load/result.js';
import { renderSummary } from '../report/bench-md.js';
import { WorkerPool } from '../load/workers.js';
import { ping } from '../scenarios/ping.js';
import { type RunningServer, startServer } from '../reference-servers/start.js';

let minHttp: RunningServer;
let fixed: HostedServer;
const dirs: string[] = [];

beforeAll(async () => {
  minHttp = await startServer('min-http', { faults: new Set() });
  fixed = await startHosted('baselines/fixed-http-server', []);
});

afterAll(async () => {
  await minHttp?.close();
  await fixed?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const base = { revision: '2025-11-25', durationMs: 500, warmupMs: 100, timeoutMs: 5000 } as const;

describe('a phase through the real drivers', () => {
  it('stdio: many requests in flight on one pipe, the spawned server sampled', async () => {
    const r = await runPhase({
      ...base,
      target: { transport: 'stdio', command: process.execPath, args: nodeArgs('baselines/echo-child') },
      workload: { kind: 'echo', bytes: 1024 },
      strategy: 'shared',
      load: { mode: 'closed', concurrency: 8 },
    });
    expect(r.run.errors.total).toBe(0);
    expect(r.run.count).toBeGreaterThan(8);
    expect(r.hasSessions).toBe(false);
    if (process.platform === 'linux') expect(r.server?.pids).toHaveLength(1);
    expect(r.generator.cpuMs).toBeGreaterThan(0);
  });

  it('session churn: a session per request, initialize latency apart', async () => {
    const r = await runPhase({
      ...base,
      target: { transport: 'http', url: minHttp.url! },
      workload: { kind: 'ping' },
      strategy: 'per-request',
      load: { mode: 'closed', concurrency: 4 },
    });
    expect(r.run.errors.total).toBe(0);
    expect(r.hasSessions).toBe(true);
    expect(r.initialize).toBeDefined();
    // every measured request opened its own session
    expect(decodeHistogram(r.initialize!).totalCount).toBeGreaterThanOrEqual(r.run.count - 4);
  });

  it('progress stream: every notification timed, first event and gaps recorded', async () => {
    const r = await runPhase({
      ...base,
      target: { transport: 'http', url: minHttp.url! },
      workload: { kind: 'progress', steps: 3, intervalMs: 10 },
      strategy: 'shared',
      load: { mode: 'closed', concurrency: 2 },
    });
    expect(r.run.errors.total).toBe(0);
    expect(r.progress!.expected).toBeGreaterThan(0);
    expect(r.progress!.events).toBe(r.progress!.expected);
    const first = decodeHistogram(r.progress!.firstEvent);
    expect(first.totalCount).toBe(r.progress!.expected / 3);
    // the first event comes after the tool's first 10 ms wait
    expect(first.getValueAtPercentile(50)).toBeGreaterThanOrEqual(9000);
  });
});

describe('worker processes and the result files', () => {
  it('two workers split the load and their histograms merge; the run writes JSON, Markdown and PNGs', async () => {
    const pool = new WorkerPool(2);
    pool.start();
    const spec: PhaseSpec = {
      ...base,
      target: { transport: 'http', url: fixed.url },
      workload: { kind: 'ping' },
      strategy: 'shared',
      load: { mode: 'closed', concurrency: 4 },
    };
    let r: Awaited<ReturnType<WorkerPool['run']>>;
    try {
      r = await pool.run(spec);
    } finally {
      await pool.close();
    }
    expect(r.run.errors.total).toBe(0);
    expect(r.generator.pids).toHaveLength(2);
    expect(decodeHistogram(r.run.histogram).totalCount).toBe(r.run.count);

    const result: ScenarioResult = {
      schemaVersion: 1,
      tool: { name: 'mcp-harness', version: 'test' },
      run: {
        id: 'a',
        startedAt: new Date().toISOString(),
        host: { cpus: 2, node: process.version, platform: process.platform },
        workers: 2,
      },
      scenario: ping,
      targets: [
        {
          id: 'target',
          label: 'evil | <b>label</b>\u001b[31m',
          description: 'x',
          transport: 'http',
          revision: '2025-11-25',
          hasSessions: false,
          phases: [toPhaseEntry(r, { load: spec.load, strategy: 'shared', workers: 2 })],
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'load-phase-'));
    dirs.push(dir);
    const files = await writeRun(dir, [result], [], true);
    const json = JSON.parse(readFileSync(join(dir, 'ping.json'), 'utf8')) as ScenarioResult;
    expect(json.targets[0]!.phases[0]!.run.histogram).toBe(r.run.histogram);
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain('evil \\| &lt;b&gt;label&lt;/b&gt;\\x1b[31m');
    expect(md).not.toContain('\u001b');
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(pngs[0]!).subarray(1, 4).toString('ascii')).toBe('PNG');

    // Two machines' runs of the same scenario merge into one with exactly the summed counts.
    const merged = mergeResults([[json], [json]], 'merged');
    const phase = merged[0]!.targets[0]!.phases[0]!;
    expect(phase.run.count).toBe(2 * r.run.count);
    expect(decodeHistogram(phase.run.histogram).totalCount).toBe(2 * r.run.count);
    expect(phase.machines).toBe(2);
    expect(phase.load).toEqual({ mode: 'closed', concurrency: 8 });
    expect(renderSummary(merged, [], [])).toContain('ping, 16 in flight');
  });
});
