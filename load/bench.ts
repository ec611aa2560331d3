/**
 * `mcp-harness bench`: the chosen scenarios against each target, one target at a time (so that
 * servers do not compete), through worker processes; then results/<run>/ with a JSON file per
 * scenario, summary.md and charts. In the same run, autocannon loads each Streamable HTTP target
 * with the ping scenario's connections, for the side-by-side calibration.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { escapeJsonText } from '../report/escape.js';
import { toolVersion } from '../report/tool.js';
import { ping as pingScenario } from '../scenarios/ping.js';
import type { LoadShape, Scenario } from '../scenarios/types.js';
import { type AutocannonComparison, autocannonOnTarget, compare } from './autocannon-compare.js';
import { decodeHistogram, summarize } from './histogram.js';
import { appendHistory } from './history.js';
import { findKnee } from './knee.js';
import type { PhaseSpec } from './phase.js';
import type { PinPlan } from './pin.js';
import { ProgressBar, type ProgressOut } from './progress-bar.js';
import { compareWithBaseline, type RegressionBounds, type RegressionRow } from './regression.js';
import { ProcessSampler } from './resources.js';
import type { PhaseEntry, RunInfo, ScenarioResult, TargetEntry } from './result.js';
import { RESULT_SCHEMA_VERSION, toPhaseEntry } from './result.js';
import { throughput } from './stats.js';
import type { BenchTarget, Probe, StartedTarget } from './targets.js';
import { probeTarget } from './targets.js';
import { WorkerPool } from './workers.js';

export interface BenchOptions {
  scenarios: Scenario[];
  targets: BenchTarget[];
  workers: number;
  pin?: PinPlan;
  /** results/<runId>/ is written under this */
  resultsRoot: string;
  runId?: string;
  /** run autocannon on Streamable HTTP targets (default true) */
  calibrate?: boolean;
  charts?: boolean;
  progress?: ProgressOut;
  /** a previous run to compare with (its scenario results) */
  baseline?: readonly ScenarioResult[];
  bounds?: RegressionBounds;
  /** append one line per phase to this JSONL file (results/history/bench.jsonl) */
  historyFile?: string;
}

export interface BenchRun {
  dir: string;
  run: RunInfo;
  results: ScenarioResult[];
  calibration: AutocannonComparison[];
  regressions: RegressionRow[];
  files: string[];
}

/** Per-phase overhead beyond warm-up + duration (sessions, worker round trips), for the ETA. */
const PHASE_OVERHEAD_MS = 700;
const KNEE_STEPS_GUESS = 6;
/** unmeasured load on each target before its first scenario */
const TARGET_WARMUP_MS = 500;

export function runIdNow(): string {
  return new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d+Z$/, 'Z');
}

function applies(s: Scenario, t: BenchTarget, probe: Probe): string | undefined {
  if (s.transports && !s.transports.includes(t.transport)) return `not run over ${t.transport}`;
  if (s.needsSessions && !probe.hasSessions) return 'the target keeps no sessions';
  return undefined;
}

function phasesOf(s: Scenario): LoadShape[] {
  switch (s.plan.kind) {
    case 'single':
      return [s.plan.load];
    case 'concurrency-sweep':
      return s.plan.levels.map((concurrency) => ({ mode: 'closed' as const, concurrency }));
    case 'rate-sweep':
      return [];
  }
}

function estimateMs(s: Scenario): number {
  const one = s.warmupMs + s.durationMs + PHASE_OVERHEAD_MS;
  return s.plan.kind === 'rate-sweep' ? one * KNEE_STEPS_GUESS : one * phasesOf(s).length;
}

export async function runBench(opts: BenchOptions): Promise<BenchRun> {
  const runId = opts.runId ?? runIdNow();
  const dir = join(opts.resultsRoot, runId);
  const run: RunInfo = {
    id: runId,
    startedAt: new Date().toISOString(),
    host: { cpus: availableParallelism(), node: process.version, platform: process.platform, hostname: hostname() },
    workers: opts.workers,
    ...(opts.pin ? { pinned: opts.pin } : {}),
  };
  const calibrateOn = opts.calibrate !== false;
  const perTarget = opts.scenarios.reduce((a, s) => a + estimateMs(s), 0);
  const calibMs = (t: BenchTarget): number =>
    calibrateOn && t.transport === 'http' ? 2 * (pingScenario.warmupMs + pingScenario.durationMs) + 1000 : 0;
  const bar = new ProgressBar(
    opts.progress ?? { write: () => true },
    opts.targets.reduce((a, t) => a + perTarget + calibMs(t) + TARGET_WARMUP_MS + PHASE_OVERHEAD_MS, 0),
  );
  const byScenario = new Map<string, TargetEntry[]>(opts.scenarios.map((s) => [s.name, []]));
  const calibration: AutocannonComparison[] = [];
  const pool = new WorkerPool(opts.workers, opts.pin?.generator);
  pool.start();
  try {
    for (const t of opts.targets) {
      let started: StartedTarget | undefined;
      let probe: Probe | undefined;
      let failure: string | undefined;
      try {
        started = await t.start(opts.pin?.server);
        probe = await probeTarget(started.target, t.revisions);
      } catch (err) {
        failure = (err as Error).message;
        bar.message(`${t.label}: ${failure}`);
      }
      try {
        if (started && probe) await warmTarget(pool, t, started, probe, bar);
        for (const s of opts.scenarios) {
          const entry: TargetEntry = {
            id: t.id,
            label: t.label,
            description: t.description,
            transport: t.transport,
            revision: probe?.revision ?? t.revisions[0]!,
            hasSessions: probe?.hasSessions ?? false,
            phases: [],
          };
          byScenario.get(s.name)!.push(entry);
          if (!started || !probe) {
            entry.error = failure ?? 'not started';
            bar.replan(-estimateMs(s));
            continue;
          }
          const skip = applies(s, t, probe);
          if (skip) {
            entry.skipped = skip;
            bar.replan(-estimateMs(s));
            continue;
          }
          try {
            await runScenario(pool, s, t, started, probe, opts, entry, bar);
          } catch (err) {
            entry.error = (err as Error).message;
            bar.message(`${s.name} on ${t.label}: ${entry.error}`);
          }
        }
        if (started && probe && calibMs(t) > 0 && started.target.transport === 'http') {
          const c = await calibrateTarget(pool, t, started, probe, opts, bar);
          if (c) calibration.push(c);
        }
      } finally {
        // The target's server goes whatever happened to its scenarios.
        await started?.close();
      }
    }
  } finally {
    await pool.close();
  }

  const tool = { name: 'mcp-harness' as const, version: toolVersion() };
  const results: ScenarioResult[] = opts.scenarios.map((scenario) => ({
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool,
    run,
    scenario,
    targets: byScenario.get(scenario.name)!,
  }));
  const regressions = opts.baseline ? compareWithBaseline(results, opts.baseline, opts.bounds) : [];
  const files = await writeRun(dir, results, calibration, opts.charts !== false, regressions);
  if (opts.historyFile) appendHistory(opts.historyFile, results);
  bar.finish();
  return { dir, run, results, calibration, regressions, files };
}

/**
 * A fresh server process is cold (its JIT, its pools): a short unmeasured ping load first, so
 * that the first scenario on a target is not the one that pays for it.
 */
async function warmTarget(pool: WorkerPool, t: BenchTarget, started: StartedTarget, probe: Probe, bar: ProgressBar): Promise<void> {
  bar.begin(`warming ${t.label}`, TARGET_WARMUP_MS + PHASE_OVERHEAD_MS);
  try {
    await pool.run({
      target: started.target,
      revision: probe.revision,
      workload: { kind: 'ping' },
      strategy: 'shared',
      load: { mode: 'closed', concurrency: 8 },
      durationMs: TARGET_WARMUP_MS,
      warmupMs: 0,
      timeoutMs: 10_000,
    });
  } catch {
    // a target that cannot take the warm-up will say so in its scenarios
  } finally {
    bar.end();
  }
}

/**
 * The engine's ping phase and autocannon back to back on the same, already warm, server: the
 * same connections, the same request, the same durations.
 */
async function calibrateTarget(
  pool: WorkerPool,
  t: BenchTarget,
  started: StartedTarget,
  probe: Probe,
  opts: BenchOptions,
  bar: ProgressBar,
): Promise<AutocannonComparison | undefined> {
  if (started.target.transport !== 'http') return undefined;
  const s = opts.scenarios.find((x) => x.name === 'ping') ?? pingScenario;
  if (s.plan.kind !== 'single' || s.plan.load.mode !== 'closed') return undefined;
  const connections = s.plan.load.concurrency;
  bar.begin(`calibration on ${t.label}: engine, then autocannon, ${connections} connections`, 2 * (s.warmupMs + s.durationMs) + 1000);
  try {
    const ours = await pool.run({
      target: started.target,
      revision: probe.revision,
      workload: s.workload,
      strategy: 'shared',
      load: s.plan.load,
      durationMs: s.durationMs,
      warmupMs: s.warmupMs,
      timeoutMs: s.timeoutMs,
    });
    const a = await autocannonOnTarget(started.target, probe.revision, {
      connections,
      durationMs: s.durationMs,
      warmupMs: s.warmupMs,
      ...(opts.pin ? { pin: opts.pin.generator } : {}),
    });
    return compare(t.label, connections, s.durationMs, throughput(ours.run.count, ours.run.windowMs), ours.generator.cpuPercent, a);
  } catch (err) {
    bar.message(`calibration on ${t.label}: ${(err as Error).message}`);
    return undefined;
  } finally {
    bar.end();
  }
}

async function runScenario(
  pool: WorkerPool,
  s: Scenario,
  t: BenchTarget,
  started: StartedTarget,
  probe: Probe,
  opts: BenchOptions,
  entry: TargetEntry,
  bar: ProgressBar,
): Promise<void> {
  const phaseMs = s.warmupMs + s.durationMs + PHASE_OVERHEAD_MS;
  const runOne = async (load: LoadShape): Promise<PhaseEntry> => {
    const spec: PhaseSpec = {
      target: started.target,
      revision: probe.revision,
      workload: s.workload,
      strategy: s.sessions,
      load,
      durationMs: s.durationMs,
      warmupMs: s.warmupMs,
      timeoutMs: s.timeoutMs,
      ...(opts.pin ? { pinServer: opts.pin.server } : {}),
    };
    const sampler = new ProcessSampler();
    const result = await pool.run(spec, () => sampler.start(started.pid !== undefined ? [started.pid] : []));
    const server = sampler.stop();
    if (server && !result.server) result.server = server;
    const phase = toPhaseEntry(result, { load, strategy: s.sessions, workers: opts.workers });
    entry.hasSessions = entry.hasSessions || result.hasSessions;
    return phase;
  };

  if (s.plan.kind !== 'rate-sweep') {
    for (const load of phasesOf(s)) {
      bar.begin(`${s.name} · ${t.label} · ${load.mode === 'closed' ? `${load.concurrency} in flight` : `${load.rate} req/s`}`, phaseMs);
      try {
        entry.phases.push(await runOne(load));
      } finally {
        bar.end();
      }
    }
    return;
  }

  const knee = s.plan.knee;
  let steps = 0;
  const result = await findKnee(knee, async (rate) => {
    steps++;
    if (steps > KNEE_STEPS_GUESS) bar.replan(phaseMs);
    bar.begin(`${s.name} · ${t.label} · ${rate} req/s`, phaseMs);
    try {
      const phase = await runOne({ mode: 'open', rate, maxInFlight: knee.maxInFlight });
      entry.phases.push(phase);
      const h = summarize(decodeHistogram(phase.run.histogram));
      return {
        p99Us: h.p99,
        errorRate: phase.errorRate,
        throughput: throughput(phase.run.count, phase.run.windowMs),
        completed: phase.run.count,
        offered: phase.run.offered ?? phase.run.count,
      };
    } finally {
      bar.end();
    }
  });
  if (steps < KNEE_STEPS_GUESS) bar.replan(-(KNEE_STEPS_GUESS - steps) * phaseMs);
  entry.knee = { rate: result.knee, p99BoundMs: knee.p99BoundMs, maxErrorRate: knee.maxErrorRate, steps: result.steps };
}

/** Write the JSON files, the Markdown summary and the charts; returns the paths written. */
export async function writeRun(
  dir: string,
  results: readonly ScenarioResult[],
  calibration: readonly AutocannonComparison[],
  charts: boolean,
  regressions: readonly RegressionRow[] = [],
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const r of results) {
    const file = join(dir, `${r.scenario.name}.json`);
    writeFileSync(file, `${escapeJsonText(JSON.stringify(r, null, 2))}\n`);
    files.push(file);
  }
  if (calibration.length > 0) {
    const file = join(dir, 'calibration.json');
    writeFileSync(file, `${JSON.stringify(calibration, null, 2)}\n`);
    files.push(file);
  }
  let chartFiles: string[] = [];
  if (charts) {
    const { renderCharts } = await import('../report/bench-charts.js');
    chartFiles = await renderCharts(join(dir, 'charts'), results);
    files.push(...chartFiles);
  }
  const { renderSummary } = await import('../report/bench-md.js');
  const md = join(dir, 'summary.md');
  writeFileSync(
    md,
    renderSummary(
      results,
      calibration,
      chartFiles.map((f) => f.slice(dir.length + 1)),
      regressions,
    ),
  );
  files.push(md);
  return files;
}
