/**
 * What makes a run fail in CI, decided in one place: the known failures applied, then the exit
 * code. 0 no new MUST failure; 1 a new MUST failure or a check that could not complete (with
 * `--fail-on should`, a SHOULD not met too; with `--strict-expected`, a stale known failure);
 * 3 a target could not be reached at all, which says "fix the setup" rather than "fix the
 * server" and so wins over 1. Usage errors (2) never get this far.
 */
import { isMustFailure, isShouldFailure, resultsOf } from '../report/digest.js';
import type { RunReport, TargetInfo } from '../report/model.js';
import { countVerdicts } from '../report/model.js';
import type { Check } from '../suites/check.js';
import { applyExpectedFailures, type ExpectedFailure, readExpectedFailures } from './expected-failures.js';
import { UsageError } from './usage-error.js';

export interface PolicyFlags {
  expectedFailures?: string;
  writeExpectedFailures?: string;
  strictExpected?: boolean;
  failOn?: string;
}

export interface Policy {
  expected: ExpectedFailure[];
  failOn: 'must' | 'should';
  strictExpected: boolean;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export async function loadPolicy(flags: PolicyFlags, catalog: readonly Check[]): Promise<Policy> {
  const failOn = flags.failOn ?? 'must';
  if (failOn !== 'must' && failOn !== 'should') throw new UsageError(`--fail-on must be must or should, not "${failOn}"`);
  if (flags.strictExpected && flags.expectedFailures === undefined)
    throw new UsageError('--strict-expected needs --expected-failures FILE');
  const ids = new Set(catalog.map((c) => c.id));
  const expected = flags.expectedFailures === undefined ? [] : await readExpectedFailures(flags.expectedFailures, ids);
  return { expected, failOn, strictExpected: flags.strictExpected === true };
}

/**
 * The discovery of such a target found nothing to talk to: every result is an error whose
 * reason is discovery's "target unreachable" (suites/discovery.ts: every probe failed to
 * connect or got no answer), or a skip. An interrupted discovery ("target unusable") is not.
 */
export function wasUnreachable(report: RunReport, target: TargetInfo): boolean {
  const results = resultsOf(report, target);
  if (target.supportedRevisions.length > 0 || results.length === 0) return false;
  const errors = results.filter((r) => r.verdict !== 'skip');
  return errors.length > 0 && errors.every((r) => r.verdict === 'error' && /^target unreachable: /.test(r.reason ?? ''));
}

export function exitCodeOf(report: RunReport, policy: Policy): 0 | 1 | 3 {
  if (report.targets.some((t) => wasUnreachable(report, t))) return EXIT.unreachable;
  if (report.results.some(isMustFailure)) return EXIT.failed;
  if (policy.failOn === 'should' && report.results.some(isShouldFailure)) return EXIT.failed;
  if (policy.strictExpected && (report.staleExpectations?.length ?? 0) > 0) return EXIT.failed;
  return EXIT.ok;
}

/** The report as CI judges it: known failures marked, counts and exit code to match. */
export function judge(report: RunReport, policy: Policy): RunReport {
  const { results, stale } = applyExpectedFailures(report.results, policy.expected);
  const judged: RunReport = { ...report, results, counts: countVerdicts(results) };
  if (policy.expected.length > 0) judged.staleExpectations = stale;
  judged.exitCode = exitCodeOf(judged, policy);
  return judged;
}
