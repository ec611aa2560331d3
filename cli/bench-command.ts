/**
 * `mcp-harness bench` and `mcp-harness merge`: registered on the program by
 * registerBenchCommands, so that this file and cli/merge-command.ts own their subcommands.
 * Exit codes: 0 the bench ran (figures are reported, not judged), 1 a scenario could not be
 * measured on any target, or a regression against --baseline, 2 usage.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { isRevision, type Revision } from '../drivers/protocol.js';
import { isServerKind, SERVER_KIND_INFO, SERVER_KINDS, type ServerKind, servesBothEras } from '../reference-servers/kinds.js';
import { PROJECT_ROOT } from './self.js';
import { UsageError } from './usage-error.js';

export interface BenchFlags {
  scenarios?: string;
  servers?: string;
  url?: string;
  sseUrl?: string;
  cmd?: string;
  revision?: string;
  workers?: string;
  duration?: string;
  warmup?: string;
  p99?: string;
  out?: string;
  run?: string;
  pin?: boolean;
  calibrate?: boolean;
  charts?: boolean;
  baseline?: string;
  maxDrop?: string;
  maxP99Rise?: string;
  history?: boolean;
}

function positiveInt(text: string | undefined, flag: string, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} wants a positive whole number, not "${text}"`);
  return n;
}

function serverKinds(spec: string | undefined): ServerKind[] {
  // The *-auth kinds measure the same servers behind a token check, the dual-era kind two of the
  // others behind a router: not part of "all".
  if (!spec || spec === 'all') return SERVER_KINDS.filter((k) => !SERVER_KIND_INFO[k].auth && !servesBothEras(k));
  return spec.split(',').map((k) => {
    const kind = k.trim();
    if (!isServerKind(kind)) throw new UsageError(`unknown server kind "${kind}"; known: ${SERVER_KINDS.join(', ')}`);
    return kind;
  });
}

export async function runBenchCommand(flags: BenchFlags): Promise<number> {
  const { selectScenarios, withOverrides } = await import('../scenarios/index.js');
  const { runBench } = await import('../load/bench.js');
  const { defaultPinPlan } = await import('../load/pin.js');
  const { referenceBenchTarget, userBenchTarget } = await import('../load/targets.js');

  let scenarios: ReturnType<typeof selectScenarios>;
  try {
    scenarios = selectScenarios(flags.scenarios);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const durationMs = positiveInt(flags.duration, '--duration', undefined);
  const warmupMs = flags.warmup === '0' ? 0 : positiveInt(flags.warmup, '--warmup', undefined);
  const p99 = positiveInt(flags.p99, '--p99', undefined);
  scenarios = scenarios.map((s) =>
    withOverrides(s, {
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(warmupMs !== undefined ? { warmupMs } : {}),
      ...(p99 !== undefined ? { p99BoundMs: p99 } : {}),
    }),
  );
  if (flags.revision !== undefined && !isRevision(flags.revision)) throw new UsageError(`unknown revision "${flags.revision}"`);
  const revision = flags.revision as Revision | undefined;

  const userGiven = flags.url ?? flags.sseUrl ?? flags.cmd;
  let targets: import('../load/targets.js').BenchTarget[];
  if (userGiven !== undefined) {
    const { targetFromFlags } = await import('./target-args.js');
    const spec = targetFromFlags({
      ...(flags.url !== undefined ? { url: flags.url } : {}),
      ...(flags.sseUrl !== undefined ? { sseUrl: flags.sseUrl } : {}),
      ...(flags.cmd !== undefined ? { cmd: flags.cmd } : {}),
    });
    targets = [userBenchTarget(spec.target, spec.label, revision)];
  } else {
    targets = serverKinds(flags.servers).map(referenceBenchTarget);
  }

  let baseline: import('../load/result.js').ScenarioResult[] | undefined;
  if (flags.baseline !== undefined) {
    const { readRunFolder } = await import('./run-folder.js');
    baseline = readRunFolder(flags.baseline);
  }
  const bounds = {
    maxThroughputDrop: (positiveInt(flags.maxDrop, '--max-drop', 10) ?? 10) / 100,
    maxP99Rise: (positiveInt(flags.maxP99Rise, '--max-p99-rise', 25) ?? 25) / 100,
  };
  const pin = flags.pin === false ? undefined : defaultPinPlan();
  const workers = positiveInt(flags.workers, '--workers', 1)!;
  const result = await runBench({
    scenarios,
    targets,
    workers,
    ...(pin ? { pin } : {}),
    resultsRoot: flags.out ?? join(PROJECT_ROOT, 'results'),
    ...(flags.run ? { runId: flags.run } : {}),
    calibrate: flags.calibrate !== false,
    charts: flags.charts !== false,
    progress: process.stderr,
    ...(baseline ? { baseline, bounds } : {}),
    ...(flags.history ? { historyFile: join(PROJECT_ROOT, 'results', 'history', 'bench.jsonl') } : {}),
  });
  const { printRunSummary } = await import('./run-folder.js');
  printRunSummary(result.dir, `results: ${result.dir}`);
  const allFailed = result.results.some((r) => r.targets.length > 0 && r.targets.every((t) => t.error));
  const regressed = result.regressions.some((r) => r.regressed);
  return allFailed || regressed ? 1 : 0;
}

export function registerBenchCommands(program: Command, setExit: (code: number) => void = (c) => (process.exitCode = c)): void {
  program
    .command('bench')
    .description('load-test the reference servers (or yours) over every transport, side by side; writes results/<run>/')
    .option('--scenarios <names>', 'comma list of scenarios, "default" or "all" (see scenarios/)', 'default')
    .option('--servers <kinds>', 'reference server kinds to bench (default all)')
    .option('--url <url>', 'bench your Streamable HTTP endpoint instead')
    .option('--sse-url <url>', 'bench your legacy HTTP+SSE endpoint instead')
    .option('--cmd <command line>', 'bench your stdio server instead (split into argv, never run by a shell)')
    .option('--revision <revision>', 'protocol revision to use with --url/--sse-url/--cmd (default: the newest that works)')
    .option('--workers <n>', 'generator processes; their histograms are merged exactly', '1')
    .option('--duration <ms>', 'measured time per phase (overrides the scenarios)')
    .option('--warmup <ms>', 'warm-up per phase, not measured (overrides the scenarios)')
    .option('--p99 <ms>', 'rate sweep: the p99 bound of the knee')
    .option('--out <dir>', 'results root (default results/)')
    .option('--run <id>', 'name of the run folder (default: the start time)')
    .option('--no-pin', 'do not pin server and generator to separate CPUs with taskset')
    .option('--no-calibrate', 'skip the in-run autocannon comparison')
    .option('--no-charts', 'skip the PNG charts')
    .option('--baseline <dir>', 'a previous results/<run>/ to compare with; exit 1 on a regression')
    .option('--max-drop <pct>', 'with --baseline: a closed-loop throughput drop beyond this is a regression', '10')
    .option('--max-p99-rise <pct>', 'with --baseline: a p99 rise beyond this is a regression', '25')
    .option('--history', 'append one line per phase to results/history/bench.jsonl')
    .action(async (flags: BenchFlags) => {
      setExit(await runBenchCommand(flags));
    });

  program
    .command('merge')
    .description('merge bench runs taken at the same time on several machines into one result (exact histogram merge)')
    .argument('<dirs...>', 'results/<run>/ folders to merge')
    .requiredOption('--out <dir>', 'folder for the merged run')
    .option('--no-charts', 'skip the PNG charts')
    .action(async (dirs: string[], flags: { out: string; charts?: boolean }) => {
      const { runMergeCommand } = await import('./merge-command.js');
      setExit(await runMergeCommand(dirs, flags));
    });
}
