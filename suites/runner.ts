/**
 * Runs checks against one target: find the revisions it serves, plan what each check becomes
 * (suites/plan.ts), then run each check at each revision it applies to, each under a deadline,
 * closing whatever it opened.
 * Every check gets a result, in check order then revision order, even when the target never
 * answers or dies half way: a verdict, never a hang.
 */
import { DEADLINES, DeadlineError, withDeadline } from '../drivers/deadline.js';
import { createDriver } from '../drivers/index.js';
import type { Revision } from '../drivers/protocol.js';
import type { Driver, Target } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import { RunClock } from '../report/clock.js';
import type { CheckResult, TargetInfo } from '../report/model.js';
import { type Check, type Fixtures, type Profile, type SkipCause, verdictFor } from './check.js';
import { createCheckContext } from './context.js';
import { type Discovery, discover, probeRevision } from './discovery.js';
import { type Decided, plan, type Unit } from './plan.js';

export interface RunOptions {
  target: Target;
  /** what the user gave (a URL or a command line), for the report */
  label: string;
  /** this target's place in the report's `targets` (default 0: a run of one target) */
  targetIndex?: number;
  /** the run's start (epoch ms), which result and phase offsets count from (default: when runSuite is called) */
  origin?: number;
  checks: readonly Check[];
  /** `--spec`: test only these revisions */
  revisions?: readonly Revision[];
  fixtures?: Fixtures;
  /** per check and revision; overrun is an `error` (default 30 s) */
  checkDeadlineMs?: number;
  /** `--timeout`: discovery requests, and check requests that set no deadline of their own */
  requestTimeoutMs?: number;
  /** once the plan is known: the target as discovered, and how many results will follow */
  onStart?: (target: TargetInfo, planned: number) => void;
  onResult?: (result: CheckResult) => void;
  onProgress?: (message: string) => void;
  /** Ctrl-C: the running check and the rest become `error`, and everything opened is closed */
  signal?: AbortSignal;
  /** strict (default) or lenient: see Profile in suites/check.ts */
  profile?: Profile;
  /**
   * How many checks run side by side (default 1). Each has its own driver and wire log, so
   * evidence stays per check; a target with shared state or rate limits is best run with 1.
   */
  concurrency?: number;
  /** tests substitute a scripted driver; everything else uses the real one */
  driverFactory?: (target: Target, log: WireLog) => Driver;
}

export interface SuiteRun {
  results: CheckResult[];
  target: TargetInfo;
}

export const DEFAULT_CHECK_DEADLINE_MS = 30_000;
/** The liveness probe after an error: short, since a live target answers a handshake at once. */
const ALIVE_PROBE_MS = 5_000;
const DISCOVERY_EVIDENCE_ENTRIES = 20;

/** What every result of a unit says whatever its verdict: the check, where and when it ran. */
type BaseResult = Pick<
  CheckResult,
  'id' | 'title' | 'requirement' | 'level' | 'spec' | 'transport' | 'revision' | 'target' | 'startOffsetMs'
>;

function baseResult(
  check: Check,
  unit: Unit,
  transport: Target['transport'],
  target: CheckResult['target'],
  startOffsetMs: number,
): BaseResult {
  return {
    id: check.id,
    title: check.title,
    requirement: check.requirement,
    level: check.level,
    spec: check.spec,
    transport,
    revision: unit.revision,
    target,
    startOffsetMs,
  };
}

/** A result decided without running the check. */
function decided(base: BaseResult, d: Decided, evidence: CheckResult['evidence']): CheckResult {
  return d.verdict === 'skip'
    ? { ...base, verdict: 'skip', reason: d.reason, skip: d.cause, evidence: [], durationMs: 0 }
    : { ...base, verdict: 'error', reason: d.reason, evidence, durationMs: 0 };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const INTERRUPTED = 'interrupted before the check finished';

class Interrupted extends Error {}

/** Settle with `promise`, or reject with Interrupted as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new Interrupted(INTERRUPTED));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted(INTERRUPTED));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function runSuite(opts: RunOptions): Promise<SuiteRun> {
  const transport = opts.target.transport;
  const fixtures = opts.fixtures ?? {};
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEADLINES.request;
  const checkDeadlineMs = opts.checkDeadlineMs ?? DEFAULT_CHECK_DEADLINE_MS;
  const clock = new RunClock(opts.origin);
  const targetRef = { index: opts.targetIndex ?? 0, label: opts.label };
  const log = new WireLog();
  const discoveryStart = clock.offset();

  let driver: Driver | undefined;
  let discovery: Discovery;
  try {
    const made: Driver = (opts.driverFactory ?? createDriver)(opts.target, log);
    driver = made;
    opts.onProgress?.(`${opts.label}: finding the revisions it serves`);
    discovery = await unlessAborted(discover(made, requestTimeoutMs), opts.signal);
  } catch (err) {
    discovery = { supported: [], testable: [], probes: {}, problem: `target unusable: ${messageOf(err)}` };
  }
  const phases = [clock.phase('discovery', discoveryStart)];
  const checksStart = clock.offset();

  // Why the target could not be tested is best shown by the discovery exchanges themselves.
  const discoveryEvidence = discovery.problem ? log.since(0).slice(-DISCOVERY_EVIDENCE_ENTRIES) : [];
  const tested = discovery.testable.filter((r) => !opts.revisions || opts.revisions.includes(r));
  const info: TargetInfo = {
    label: opts.label,
    transport,
    supportedRevisions: discovery.supported,
    testedRevisions: tested,
    phases,
  };
  if (discovery.serverInfo) info.serverInfo = discovery.serverInfo;

  const units = plan(opts.checks, { transport, revisions: opts.revisions, discovery, fixtures });
  opts.onStart?.(info, units.length);
  if (discovery.problem) opts.onProgress?.(`${opts.label}: ${discovery.problem}`);

  const results: CheckResult[] = new Array(units.length);
  /** set once the target stops answering: the remaining checks error at once instead of each waiting out its deadline */
  let gone: string | undefined;
  /** the failed liveness probe, as evidence for every check that could not run because of it */
  let goneEvidence: CheckResult['evidence'] = [];
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const makeDriver = opts.driverFactory ?? createDriver;

  async function runOne(unit: Unit): Promise<CheckResult> {
    const base = baseResult(unit.check, unit, transport, targetRef, clock.offset());
    if (unit.kind === 'fixed') return decided(base, unit, discoveryEvidence);
    if (opts.signal?.aborted) return { ...base, verdict: 'error', reason: INTERRUPTED, evidence: [], durationMs: 0 };
    if (gone !== undefined || !driver) {
      return { ...base, verdict: 'error', reason: `target is gone: ${gone ?? 'no driver'}`, evidence: goneEvidence, durationMs: 0 };
    }
    // Each check gets its own wire log and driver, so that its evidence is its own even when
    // checks run side by side.
    const unitLog = new WireLog();
    const unitDriver = makeDriver(opts.target, unitLog);
    let result: CheckResult;
    try {
      result = await runUnit(unitDriver, unit, base, { ...opts, fixtures, checkDeadlineMs, log: unitLog, supported: discovery.supported });
    } finally {
      await withDeadline(unitDriver.close(), DEADLINES.processExit * 2, 'close driver').catch(() => {});
    }
    if (result.verdict === 'error' && !opts.signal?.aborted && gone === undefined) {
      const mark = log.mark;
      const probe = await probeRevision(driver, tested[0] as Revision, Math.min(requestTimeoutMs, ALIVE_PROBE_MS));
      if (probe.kind === 'unreachable' && gone === undefined) {
        gone = probe.reason;
        goneEvidence = log.since(mark);
        opts.onProgress?.(`${opts.label}: the target is gone (${gone}); the remaining checks are errors`);
      }
    }
    return result;
  }

  // A fixed pool of workers takes units in order; results keep the plan's order.
  let next = 0;
  async function worker(): Promise<void> {
    while (next < units.length) {
      const index = next++;
      const result = await runOne(units[index] as Unit);
      results[index] = result;
      opts.onResult?.(result);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(units.length, 1)) }, worker));
  phases.push(clock.phase('checks', checksStart));

  if (driver) {
    await withDeadline(driver.close(), DEADLINES.processExit * 2, 'close driver').catch((err) =>
      opts.onProgress?.(`${opts.label}: closing the driver: ${messageOf(err)}`),
    );
  }
  return { results, target: info };
}

async function runUnit(
  driver: Driver,
  unit: Extract<Unit, { kind: 'run' }>,
  base: BaseResult,
  opts: RunOptions & { fixtures: Fixtures; checkDeadlineMs: number; log: WireLog; supported: readonly Revision[] },
): Promise<CheckResult> {
  const { check, revision } = unit;
  const mark = opts.log.mark;
  const started = performance.now();
  const tracked = createCheckContext({
    driver,
    target: opts.target,
    revision,
    supported: opts.supported,
    fixtures: opts.fixtures,
    ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
  });
  type Fields =
    | { verdict: Exclude<CheckResult['verdict'], 'skip'>; reason?: string; expected?: string; actual?: string }
    | { verdict: 'skip'; reason: string; skip: SkipCause };
  let fields: Fields;
  try {
    // then() turns a synchronous throw inside run() into a rejection like any other.
    const running = Promise.resolve().then(() => check.run(tracked.ctx));
    const outcome = await withDeadline(unlessAborted(running, opts.signal), opts.checkDeadlineMs, check.id);
    if (outcome.kind === 'skip') fields = { verdict: 'skip', reason: outcome.reason, skip: outcome.cause };
    else {
      const verdict = verdictFor(check.level, outcome, opts.profile);
      if (outcome.kind === 'violated') {
        fields = { verdict, expected: outcome.expected, actual: outcome.actual };
        if (outcome.tension) fields.reason = `spec tension ${outcome.tension} (catalog section 12)`;
      } else fields = outcome.note === undefined ? { verdict } : { verdict, reason: outcome.note };
    }
  } catch (err) {
    const reason =
      err instanceof DeadlineError
        ? `the check did not finish within ${opts.checkDeadlineMs} ms`
        : err instanceof Interrupted
          ? INTERRUPTED
          : `the check could not complete: ${messageOf(err)}`;
    fields = { verdict: 'error', reason };
  } finally {
    await tracked.closeAll();
  }
  return {
    ...base,
    ...fields,
    evidence: opts.log.since(mark),
    durationMs: Math.round(performance.now() - started),
  };
}
