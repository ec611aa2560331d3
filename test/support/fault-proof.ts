/**
 * Proving the harness: run the suites against a reference server, clean and with each fault, and
 * compare verdicts. A fault must change exactly the checks it names (those that run on that
 * server); a clean server must pass every check that applies.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../cli/self.js';
import type { Revision } from '../../drivers/protocol.js';
import { FAULTS, faultsFor, findFault } from '../../reference-servers/faults/index.js';
import type { ServerKind } from '../../reference-servers/kinds.js';
import { SERVER_KIND_INFO } from '../../reference-servers/kinds.js';
import { referenceTarget, stdioBundleIsFresh } from '../../reference-servers/start.js';
import type { CheckResult } from '../../report/model.js';
import type { Check } from '../../suites/check.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { runSuite } from '../../suites/runner.js';
import { REFERENCE_FIXTURES } from '../../suites/fixtures.js';

/**
 * The auth kinds share every other behaviour with the kinds they extend, which prove it: on
 * them only the checks that need auth run, so that each auth fault costs a short run.
 */
export function checksFor(kind: ServerKind): readonly Check[] {
  return SERVER_KIND_INFO[kind].auth ? ALL_CHECKS.filter((c) => c.needs?.includes('auth')) : ALL_CHECKS;
}

let bundling: Promise<void> | undefined;
/** when bundling last ran: a build that leaves the bundle stale (sources mid-edit) is not retried for every run */
let bundledAt = Number.NEGATIVE_INFINITY;
const REBUNDLE_AFTER_MS = 30_000;

/**
 * A `tsc` rebuild during a run (other work in the same tree) leaves the stdio bundles stale, and
 * the servers would start from the unbundled entry at several times the cost: bundle again, one
 * build at a time, before the run that needs it.
 */
async function freshStdioBundle(kind: ServerKind): Promise<void> {
  if (SERVER_KIND_INFO[kind].transport !== 'stdio' || stdioBundleIsFresh(kind)) return;
  if (!bundling && performance.now() - bundledAt < REBUNDLE_AFTER_MS) return;
  bundling ??= new Promise<void>((resolve) => {
    bundledAt = performance.now();
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle-stdio.mjs'), '--if-stale'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', () => {});
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  }).finally(() => {
    bundling = undefined;
  });
  await bundling;
}

/** Checks side by side per run, unless a fault's defect reaches across sessions (FaultDef.serial). */
const CONCURRENCY = 4;

/** `only`: run just these checks (a fault's named ones), not the whole catalog. */
export async function runAgainst(
  kind: ServerKind,
  faults: readonly string[],
  revisions?: readonly Revision[],
  only?: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const serial = faults.some((name) => findFault(name)?.serial);
  await freshStdioBundle(kind);
  const ref = await referenceTarget(kind, faults);
  try {
    const { results } = await runSuite({
      target: ref.target,
      label: ref.label,
      checks: only ? checksFor(kind).filter((c) => only.has(c.id)) : checksFor(kind),
      fixtures: { ...REFERENCE_FIXTURES, ...ref.fixtures },
      concurrency: serial ? 1 : CONCURRENCY,
      ...(revisions ? { revisions } : {}),
    });
    return results;
  } finally {
    await ref.close();
  }
}

/** check id + revision → verdict, for the checks that actually ran (not skipped for transport). */
export function verdictMap(results: readonly CheckResult[]): Map<string, CheckResult> {
  return new Map(results.map((r) => [`${r.id} ${r.revision}`, r]));
}

/**
 * The check ids whose verdict differs between the two runs, at the revisions the faulty run
 * tested and among the checks it ran (`only`, when it ran a few).
 */
export function changedChecks(clean: readonly CheckResult[], faulty: readonly CheckResult[], only?: ReadonlySet<string>): string[] {
  const revisions = new Set(faulty.map((r) => r.revision));
  const before = verdictMap(clean.filter((r) => revisions.has(r.revision) && (!only || only.has(r.id))));
  const after = verdictMap(faulty);
  const changed = new Set<string>();
  // A result missing from one run is a skip there: a check skipped for another transport is
  // recorded at the first revision of the run, which differs when a fault runs at fewer.
  for (const [key, r] of after) if ((before.get(key)?.verdict ?? 'skip') !== r.verdict) changed.add(r.id);
  for (const [key, r] of before) if ((after.get(key)?.verdict ?? 'skip') !== r.verdict) changed.add(r.id);
  return [...changed].sort();
}

/**
 * The revisions a fault must be run at: for each check it names, the latest revision this server
 * serves that the check applies to (batching exists only at 2025-03-26, Origin's 403 from 2025-11-25 on).
 */
export function revisionsForFault(fault: string, kind: ServerKind): Revision[] {
  const served = SERVER_KIND_INFO[kind].revisions;
  const def = findFault(fault)!;
  const chosen = new Set<Revision>();
  for (const id of def.catches) {
    const check = ALL_CHECKS.find((c) => c.id === id);
    if (!check?.transports.includes(SERVER_KIND_INFO[kind].transport)) continue;
    const latest = served.filter((r) => check.revisions.includes(r)).at(-1);
    if (latest) chosen.add(latest);
  }
  if (chosen.size === 0) chosen.add(served.at(-1)!);
  return [...chosen].sort();
}

/** The checks a fault names that can run on this server (its transport, and revisions it serves). */
export function expectedCatches(fault: string, clean: readonly CheckResult[]): string[] {
  const def = findFault(fault)!;
  const ran = new Set(clean.filter((r) => r.verdict !== 'skip').map((r) => r.id));
  return def.catches.filter((id) => ran.has(id)).sort();
}

export function describeFailures(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.verdict !== 'pass' && r.verdict !== 'skip')
    .map((r) => `${r.id} [${r.revision}] ${r.verdict}: expected ${r.expected ?? '-'}, got ${r.actual ?? r.reason ?? '-'}`)
    .join('\n');
}

export { faultsFor };

/** Checks no fault names: each is a check nothing proves can fail. */
export function checksWithoutFault(): string[] {
  const named = new Set(FAULTS.flatMap((f) => f.catches));
  return ALL_CHECKS.map((c) => c.id).filter((id) => !named.has(id));
}
