/**
 * `npm run bench:artillery`: the engine's cost, side by side in one run on one reference server.
 * Not a test: it asserts nothing and reports figures.
 *
 * The same offered load both ways: an open loop of ping (server/discover on 2026-07-28) at a
 * fixed arrival rate on one shared session, first from the harness's own load engine
 * (load/phase.ts, latency from each request's due time), then from `artillery run` with this
 * engine (an arrival rate of virtual users, one ping each, on the worker's shared session).
 * For each: requests completed per second, p50 and p99, errors, and the generator's CPU during
 * the load (the harness's process; Artillery's process with its worker threads, read from /proc
 * between its "Phase started" and "Phase completed" lines, so its start-up is not counted).
 *
 *   npm run bench:artillery -- [--server min-http] [--rate 200] [--duration 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeHistogram, summarize } from '../../../load/histogram.js';
import { runPhase } from '../../../load/phase.js';
import { readProcStat } from '../../../load/resources.js';
import { referenceBenchTarget } from '../../../load/targets.js';
import { isServerKind, SERVER_KIND_INFO } from '../../../reference-servers/kinds.js';
import { referenceTarget } from '../../../reference-servers/start.js';

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..');
const ARTILLERY = join(PACKAGE, 'node_modules', 'artillery', 'bin', 'run');
const GUARD = join(PACKAGE, 'tools', 'loopback-guard.cjs');
const RUN_DEADLINE_MS = 300_000;

interface Row {
  generator: string;
  offeredPerS: number;
  completedPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  cpuPercent: number;
  cpuUsPerRequest: number;
}

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'min-http' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '10' },
  },
});
const kind = values.server;
const rate = Number(values.rate);
const durationS = Number(values.duration);
if (!isServerKind(kind) || !(rate > 0) || !(durationS > 0)) {
  process.stderr.write('usage: bench [--server KIND] [--rate PER_S] [--duration S]\n');
  process.exit(2);
}

const bench = referenceBenchTarget(kind);
const revision = bench.revisions[0]!;
// HTTP kinds in a process of their own; a stdio kind as the command both generators spawn (its
// bundle, which runs from any directory: Artillery's workers do not run where the harness does)
const started =
  SERVER_KIND_INFO[kind].transport === 'stdio'
    ? await referenceTarget(kind).then((ref) => ({ target: ref.target, close: () => ref.close() }))
    : await bench.start();
const rows: Row[] = [];
try {
  rows.push(await harness());
  rows.push(await artillery());
} finally {
  await started.close();
}

const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
console.log(`\n${kind} (${bench.transport}, ${revision}), ping at ${rate}/s for ${durationS} s, one shared session\n`);
console.log('| generator | offered/s | completed/s | p50 ms | p99 ms | errors | generator CPU % | CPU µs per request |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.generator} | ${r.offeredPerS} | ${round(r.completedPerS)} | ${round(r.p50Ms, 2)} | ${round(r.p99Ms, 2)} | ${r.errors} | ${round(r.cpuPercent)} | ${Math.round(r.cpuUsPerRequest)} |`,
  );
}

async function harness(): Promise<Row> {
  const result = await runPhase({
    target: started.target,
    revision,
    workload: { kind: 'ping' },
    strategy: 'shared',
    load: { mode: 'open', rate, maxInFlight: 64 },
    durationMs: durationS * 1000,
    warmupMs: 1000,
    timeoutMs: 10_000,
  });
  const latency = summarize(decodeHistogram(result.run.histogram));
  const errors = Object.values(result.run.errors.byKind).reduce((n, v) => n + (v ?? 0), 0);
  return {
    generator: 'mcp-harness load engine (open loop)',
    offeredPerS: rate,
    completedPerS: (result.run.count * 1000) / result.run.windowMs,
    p50Ms: latency.p50 / 1000,
    p99Ms: latency.p99 / 1000,
    errors,
    cpuPercent: result.generator.cpuPercent,
    // the CPU window spans warm-up too, so it is shared over every request sent
    cpuUsPerRequest: (result.generator.cpuMs * 1000) / Math.max(1, result.run.sent),
  };
}

async function artillery(): Promise<Row> {
  const work = mkdtempSync(join(tmpdir(), 'artillery-bench-'));
  try {
    const script = {
      config: {
        target: started.target.transport === 'stdio' ? 'stdio' : started.target.url,
        phases: [{ duration: durationS, arrivalRate: rate }],
        engines: { mcp: {} },
        mcp: {
          sessions: 'shared',
          revision,
          ...(started.target.transport === 'stdio' ? { command: started.target.command, args: started.target.args } : {}),
        },
      },
      scenarios: [{ engine: 'mcp', flow: [{ ping: {} }] }],
    };
    const file = join(work, 'bench.yml');
    const output = join(work, 'report.json');
    writeFileSync(file, JSON.stringify(script));
    const cpu = await runArtillery(file, output, work);
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      aggregate: { counters: Record<string, number>; summaries: Record<string, { p50: number; p99: number }> };
    };
    const c = report.aggregate.counters;
    const requests = c['mcp.responses'] ?? 0;
    const errors = Object.entries(c)
      .filter(([k]) => k.startsWith('errors.'))
      .reduce((n, [, v]) => n + v, 0);
    const latency = report.aggregate.summaries['mcp.response_time'];
    return {
      generator: 'artillery run + artillery-engine-mcp (1 worker)',
      offeredPerS: rate,
      completedPerS: requests / durationS,
      p50Ms: latency?.p50 ?? 0,
      p99Ms: latency?.p99 ?? 0,
      errors,
      cpuPercent: (cpu.cpuMs / cpu.wallMs) * 100,
      cpuUsPerRequest: (cpu.cpuMs * 1000) / Math.max(1, requests),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Run `artillery run`, reading its process's CPU (worker threads included) across the phase. */
function runArtillery(file: string, output: string, cwd: string): Promise<{ cpuMs: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARTILLERY, 'run', '--output', output, file], {
      cwd,
      env: {
        ...process.env,
        NODE_PATH: join(PACKAGE, '..'),
        NODE_OPTIONS: `--require ${GUARD}`,
        ARTILLERY_DISABLE_TELEMETRY: 'true',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let start: { cpuMs: number; at: number } | undefined;
    let end: { cpuMs: number; at: number } | undefined;
    const sample = (): { cpuMs: number; at: number } => ({ cpuMs: readProcStat(child.pid!)?.cpuMs ?? 0, at: performance.now() });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (!start && buffered.includes('Phase started')) start = sample();
      if (start && !end && buffered.includes('Phase completed')) end = sample();
      buffered = buffered.slice(-200);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0 || !start || !end) reject(new Error(`artillery run exited ${code} (phase seen: ${Boolean(start)}/${Boolean(end)})`));
      else resolve({ cpuMs: end.cpuMs - start.cpuMs, wallMs: end.at - start.at });
    });
  });
}
