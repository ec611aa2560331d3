/**
 * `mcp-harness test`: run the checks against one target, or against bundled reference servers,
 * print the console report, write the JSON report, and turn the verdicts into the exit code.
 */
import { setMaxListeners } from 'node:events';
import { DEADLINES, withDeadline } from '../drivers/deadline.js';
import type { Revision } from '../drivers/protocol.js';
import { buildReport } from '../report/build.js';
import { RunClock } from '../report/clock.js';
import { renderConsole } from '../report/console.js';
import { writeJsonReport } from '../report/json.js';
import type { CheckResult, TargetInfo } from '../report/model.js';
import { referenceTarget } from '../reference-servers/start.js';
import type { Check, Fixtures } from '../suites/check.js';
import { FIXTURE_TOOLS, REFERENCE_FIXTURES } from '../suites/fixtures.js';
import { ALL_CHECKS } from '../suites/index.js';
import { runSuite } from '../suites/runner.js';
import {
  type AuthFlags,
  DEFAULT_CONCURRENCY,
  parseInteger,
  parseProfile,
  parseRevisions,
  selectChecks,
  type ToolFlags,
  toolFixtures,
  withAuth,
} from './options.js';
import { createProgress, type ProgressStream } from './progress.js';
import { faultNames, referenceKinds } from './reference.js';
import { type TargetFlags, type TargetSpec, targetFromFlags } from './target-args.js';
import { checkReportFlags, emitReports, type ReportFlags } from './report-options.js';
import { judge, loadPolicy, type PolicyFlags } from './run-policy.js';
import { UsageError } from './usage-error.js';
import { urlTarget } from './url-target.js';

export interface TestFlags extends TargetFlags, AuthFlags, ToolFlags, ReportFlags, PolicyFlags {
  reference?: string;
  spec?: string[];
  json?: string;
  fault?: string[];
  check?: string[];
  timeout?: string;
  profile?: string;
  concurrency?: string;
  /** false with --no-color */
  color: boolean;
}

export interface TestIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

/** One target to test: opened (a reference server started) only when its turn comes, always closed. */
interface Job {
  open(): Promise<TargetSpec & { fixtures: Fixtures; close(): Promise<void> }>;
}

function jobsFor(flags: TestFlags): Job[] {
  // --sse-url beside --url names the same server's legacy HTTP+SSE endpoints (COMPAT-SRV-01); --url is the target.
  const legacySseUrl = flags.url !== undefined ? flags.sseUrl : undefined;
  const given = [flags.url, legacySseUrl === undefined ? flags.sseUrl : undefined, flags.cmd, flags.config, flags.reference].filter(
    (v) => v !== undefined,
  );
  if (given.length > 1)
    throw new UsageError('give one target: --url (optionally with --sse-url), --sse-url, --cmd, --config or --reference');
  if (flags.server !== undefined && flags.config === undefined) throw new UsageError('--server needs --config FILE');
  const faultFlags = flags.fault ?? [];
  if (faultFlags.length > 0 && flags.reference === undefined) {
    throw new UsageError('--fault switches a defect on in a bundled server: use it with --reference');
  }
  if (flags.reference !== undefined) {
    if (flags.authToken !== undefined)
      throw new UsageError('--auth-token is for your own server; the *-auth reference servers mint their own tokens');
    const tool = Object.values(FIXTURE_TOOLS).find((t) => flags[t.key] !== undefined);
    if (tool) throw new UsageError(`${tool.flag} is for your own server; the reference servers' fixture tools are known`);
    const faults = faultNames(faultFlags);
    return referenceKinds(flags.reference, faults).map((kind) => ({
      async open() {
        const ref = await referenceTarget(kind, faults);
        return {
          target: ref.target,
          label: `${kind}: ${ref.label}`,
          fixtures: { ...REFERENCE_FIXTURES, ...ref.fixtures },
          close: ref.close,
        };
      },
    }));
  }
  const spec = targetFromFlags(flags);
  const { target, fixtures: authFixtures } = withAuth(spec.target, flags);
  const fixtures: Fixtures = { ...authFixtures, ...toolFixtures(flags) };
  if (legacySseUrl !== undefined) {
    const legacy = urlTarget(legacySseUrl, 'sse', undefined, '--sse-url');
    if (legacy.transport === 'sse') fixtures.legacySseUrl = legacy.url;
  }
  return [{ open: async () => ({ ...spec, target, fixtures, close: async () => {} }) }];
}

function useColor(flags: TestFlags, io: TestIo): boolean {
  return flags.color !== false && io.stdout.isTTY === true && !io.env.NO_COLOR;
}

/**
 * The first Ctrl-C (or SIGTERM) stops the run the orderly way: the running check ends as an
 * error, every session and process it opened is closed, and the partial report is printed. A
 * second one exits at once.
 */
function interruptOnSignals(stderr: ProgressStream, listeners: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every running check (and each target's discovery) listens to it: more than Node's default
  // of 10 is the plan, not a leak.
  setMaxListeners(Math.max(10, listeners), controller.signal);
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    stderr.write('\nmcp-harness: interrupted; closing what the checks opened (again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** How many targets a run tests side by side (each with its own `--concurrency` checks). */
const TARGETS_AT_ONCE = 3;

/** Returns the exit code: 0 no MUST failed, 1 one did (or a check errored). Usage errors throw. */
export async function runTestCommand(flags: TestFlags, io: TestIo, checks: readonly Check[] = ALL_CHECKS): Promise<number> {
  const revisions: Revision[] | undefined = parseRevisions(flags.spec ?? []);
  const requestTimeoutMs = parseInteger(flags.timeout, '--timeout', 1, 600_000);
  const profile = parseProfile(flags.profile);
  const concurrency = parseInteger(flags.concurrency, '--concurrency', 1, 32) ?? DEFAULT_CONCURRENCY;
  const selected = selectChecks(checks, flags.check ?? []);
  const jobs = jobsFor(flags);
  checkReportFlags(flags);
  const policy = await loadPolicy(flags, checks);

  const startedAt = new Date();
  const clock = new RunClock(startedAt.getTime());
  const progress = createProgress(io.stderr);
  // Indexed by job, so that the report keeps the jobs' order whichever finishes first.
  const targets: TargetInfo[][] = jobs.map(() => []);
  const results: CheckResult[][] = jobs.map(() => []);
  const interrupt = interruptOnSignals(io.stderr, Math.min(TARGETS_AT_ONCE, jobs.length) * (concurrency + 1));
  const runJob = async (job: Job, index: number): Promise<void> => {
    const openStart = clock.offset();
    const opened = await job.open();
    const open = clock.phase('open', openStart);
    let run: Awaited<ReturnType<typeof runSuite>> | undefined;
    try {
      run = await runSuite({
        target: opened.target,
        label: opened.label,
        targetIndex: index,
        origin: clock.origin,
        checks: selected,
        fixtures: opened.fixtures,
        ...(revisions ? { revisions } : {}),
        ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
        profile,
        concurrency,
        onStart: (info, planned) => progress.start(info, planned),
        onResult: (r) => progress.result(r),
        onProgress: (m) => progress.message(m),
        signal: interrupt.signal,
      });
      progress.finish(opened.label, run.results);
    } finally {
      const closeStart = clock.offset();
      await withDeadline(opened.close(), DEADLINES.processExit, `stop ${opened.label}`).catch((err: Error) =>
        progress.message(err.message),
      );
      if (run) {
        targets[index]!.push({ ...run.target, phases: [open, ...run.target.phases, clock.phase('close', closeStart)] });
        results[index]!.push(...run.results);
      }
    }
  };

  try {
    // Several targets at once: a run mostly waits (quiet windows, process start-up), so the
    // bundled servers' run over every transport took a minute one after another.
    let next = 0;
    let failure: { error: unknown } | undefined;
    const lane = async (): Promise<void> => {
      while (next < jobs.length && !interrupt.signal.aborted && !failure) {
        const index = next++;
        try {
          await runJob(jobs[index]!, index);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    // Every lane ends (and closes what it opened) before a failure is reported.
    await Promise.all(Array.from({ length: Math.min(TARGETS_AT_ONCE, jobs.length) }, lane));
    if (failure) throw failure.error;
  } finally {
    interrupt.dispose();
  }

  const report = judge(buildReport(targets.flat(), results.flat(), startedAt, profile), policy);
  io.stdout.write(renderConsole(report, { color: useColor(flags, io) }));
  if (flags.json !== undefined) {
    await writeJsonReport(report, flags.json);
    io.stderr.write(`mcp-harness: JSON report written to ${flags.json}\n`);
  }
  await emitReports(report, flags, io);
  return report.exitCode;
}
