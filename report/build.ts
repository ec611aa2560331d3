/** Assemble the one RunReport every renderer reads. */
import type { Profile } from '../suites/check.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { countVerdicts, exitCodeFor, REPORT_SCHEMA_VERSION, targetProblem } from './model.js';
import { toolVersion } from './tool.js';

/** A result placed under the wrong target is the harness's bug: say so rather than render it. */
function assertTargetsMatch(targets: readonly TargetInfo[], results: readonly CheckResult[]): void {
  for (const r of results) {
    const problem = targetProblem(targets, r);
    if (problem) throw new Error(`result ${r.id} [${r.revision}]: ${problem}`);
  }
}

export function buildReport(
  targets: readonly TargetInfo[],
  results: readonly CheckResult[],
  startedAt: Date,
  profile: Profile = 'strict',
): RunReport {
  assertTargetsMatch(targets, results);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    profile,
    tool: { name: 'mcp-harness', version: toolVersion() },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    targets: [...targets],
    results: [...results],
    counts: countVerdicts(results),
    exitCode: exitCodeFor(results),
  };
}
