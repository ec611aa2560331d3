/**
 * The one result model. Every renderer (console, JSON, JUnit, Markdown, badge) reads this and
 * nothing else; evidence is the driver's wire log, quoted, never rebuilt by a renderer.
 *
 * Everything a renderer needs is a declared field: the target a result belongs to, why a check
 * was skipped (as data, beside the sentence), and when it ran. report/schema/report.schema.json
 * is the same contract for machines; test/report-schema.test.ts keeps the two in step.
 */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type { WireEntry } from '../drivers/wire-log.js';
import type { Level, Profile, SkipCause, Verdict } from '../suites/check.js';

export type { SkipCause, SkipCauseKind } from '../suites/check.js';

/**
 * Bumped when the JSON shape changes incompatibly. 2: results carry `target` as
 * `{ index, label }` (was an undeclared label string), `skip` (the structured cause) on every
 * skip, and `startOffsetMs`; targets carry `phases`.
 */
export const REPORT_SCHEMA_VERSION = 2;

/** Which target of the run a result belongs to: its place in `RunReport.targets`, and its label. */
export interface TargetRef {
  index: number;
  label: string;
}

interface CheckResultBase {
  id: string;
  title: string;
  requirement: string;
  level: Level;
  spec: string;
  transport: TransportKind;
  revision: Revision;
  target: TargetRef;
  /** why it skipped or errored, or a note on a pass: the sentence a person reads */
  reason?: string;
  expected?: string;
  actual?: string;
  /** the wire-log entries recorded while the check ran */
  evidence: WireEntry[];
  /** when the check started, in ms after the run's `startedAt` */
  startOffsetMs: number;
  /** 0 for a result decided without running the check (a skip, an error of discovery) */
  durationMs: number;
  /** with verdict `expected`: the verdict the check gave and why the user lists it as known (cli/expected-failures.ts) */
  known?: { was: 'fail' | 'warn' | 'error'; reason: string };
}

/** A skip always says why, in words (`reason`) and as data (`skip`); no other verdict has `skip`. */
export type CheckResult =
  | (CheckResultBase & { verdict: Exclude<Verdict, 'skip'>; skip?: never })
  | (CheckResultBase & { verdict: 'skip'; reason: string; skip: SkipCause });

/** What happened to one target, in order; offsets are ms after the run's `startedAt`. */
export interface TargetPhase {
  /** open: start the reference server (or nothing, for the user's own); discovery: find the revisions it serves; checks; close */
  name: 'open' | 'discovery' | 'checks' | 'close';
  startOffsetMs: number;
  durationMs: number;
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
  phases: TargetPhase[];
}

export type VerdictCounts = Record<Verdict, number>;

export interface RunReport {
  /** see REPORT_SCHEMA_VERSION */
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'mcp-harness'; version: string };
  startedAt: string;
  durationMs: number;
  /** strict, or lenient (spec tensions of catalog section 12 lowered to warnings) */
  profile: Profile;
  targets: TargetInfo[];
  /** in target order, then check order, then revision order */
  results: CheckResult[];
  counts: VerdictCounts;
  /** 0 when no MUST check failed, 1 when one did; 3 when a target could not be reached (cli/exit-code.ts) */
  exitCode: 0 | 1 | 3;
  /** listed expected failures whose check now passes (cli/expected-failures.ts) */
  staleExpectations?: { id: string; transport?: TransportKind; revision?: Revision; reason: string }[];
}

export function countVerdicts(results: readonly Pick<CheckResult, 'verdict'>[]): VerdictCounts {
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

/**
 * What is wrong with the target a result names, if anything: a place the report lacks, another
 * target's label, or another transport. A result so placed would be rendered under the wrong server.
 */
export function targetProblem(targets: readonly TargetInfo[], result: CheckResult): string | undefined {
  const { index, label } = result.target;
  const target = targets[index];
  if (target === undefined) return `index ${index} is not a target of the report`;
  if (target.label !== label) return `label "${label}" is not target ${index}'s ("${target.label}")`;
  if (target.transport !== result.transport) return `transport ${result.transport}, but target ${index} is ${target.transport}`;
  return undefined;
}
