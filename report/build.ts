/** Assemble the one RunReport every renderer reads. */
import type { Profile } from '../suites/check.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../cli/self.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { countVerdicts, exitCodeFor } from './model.js';

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

export function buildReport(
  targets: readonly TargetInfo[],
  results: readonly CheckResult[],
  startedAt: Date,
  profile: Profile = 'strict',
): RunReport {
  return {
    schemaVersion: 1,
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
