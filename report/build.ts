/** Assemble the one RunReport every renderer reads. */
import type { Profile } from '../suites/check.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../cli/self.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { countVerdicts, exitCodeFor, REPORT_SCHEMA_VERSION } from './model.js';

let version: string | undefined;

/** The harness's version from package.json, read once; a report must say which harness judged. */
export function toolVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/**
 * A result names its target by place and label; a result pointing at no target, or at another
 * one's place, would be rendered under the wrong server. That is the harness's bug: say so.
 */
function assertTargetsMatch(targets: readonly TargetInfo[], results: readonly CheckResult[]): void {
  for (const r of results) {
    if (targets[r.target.index]?.label !== r.target.label) {
      throw new Error(`result ${r.id} names target ${r.target.index} "${r.target.label}", which the report does not have there`);
    }
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
