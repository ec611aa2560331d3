/**
 * The one result model. Every renderer (console, JSON, JUnit, Markdown, badge) reads this and
 * nothing else; evidence is the driver's wire log, quoted, never rebuilt by a renderer.
 */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type { WireEntry } from '../drivers/wire-log.js';
import type { Level, Profile, Verdict } from '../suites/check.js';

export interface CheckResult {
  id: string;
  title: string;
  requirement: string;
  level: Level;
  spec: string;
  transport: TransportKind;
  revision: Revision;
  verdict: Verdict;
  /** why it skipped or errored, or a note on a pass */
  reason?: string;
  expected?: string;
  actual?: string;
  /** the wire-log entries recorded while the check ran */
  evidence: WireEntry[];
  durationMs: number;
  /** with verdict `expected`: the verdict the check gave and why the user lists it as known (cli/expected-failures.ts) */
  known?: { was: 'fail' | 'warn' | 'error'; reason: string };
}

export interface TargetInfo {
  /** what the user gave: a URL or a command line */
  label: string;
  transport: TransportKind;
  /** revisions the target was found to support */
  supportedRevisions: Revision[];
  /** revisions the run tested */
  testedRevisions: Revision[];
  serverInfo?: { name?: string; version?: string };
}

export type VerdictCounts = Record<Verdict, number>;

export interface RunReport {
  /** bumped when the JSON shape changes */
  schemaVersion: 1;
  tool: { name: 'mcp-harness'; version: string };
  startedAt: string;
  durationMs: number;
  /** strict, or lenient (spec tensions of catalog section 12 lowered to warnings) */
  profile: Profile;
  targets: TargetInfo[];
  results: CheckResult[];
  counts: VerdictCounts;
  /** 0 when no MUST check failed, 1 when one did; 3 when a target could not be reached (cli/exit-code.ts) */
  exitCode: 0 | 1 | 3;
  /** listed expected failures whose check now passes (cli/expected-failures.ts) */
  staleExpectations?: { id: string; transport?: TransportKind; revision?: Revision; reason: string }[];
}

export function countVerdicts(results: readonly CheckResult[]): VerdictCounts {
  const counts: VerdictCounts = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0, expected: 0 };
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/**
 * A run fails when a MUST check fails. An `error` (harness could not get a verdict, target died)
 * also fails the run: a server that crashes must not get a green exit code.
 */
export function exitCodeFor(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.verdict === 'fail' || r.verdict === 'error') ? 1 : 0;
}
