/**
 * Known failures (`--expected-failures FILE`): a server's author lists the failures they know of,
 * so CI fails on a new one and not on those. A listed fail, warn or error becomes the verdict
 * `expected` (the reason kept, the old verdict too); a listed check that now passes is stale,
 * reported, and with `--strict-expected` fails the run, so the list cannot rot.
 *
 * The file is plain JSON (no YAML, no comments): `{ "expectedFailures": [entry, …] }` or the bare
 * array, each entry `{ "id", "transport"?, "revision"?, "reason" }`. `--write-expected-failures`
 * writes one from a run, one entry per failing result, so the first run of a CI can seed it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { REVISIONS, type Revision, TRANSPORTS, type TransportKind } from '../drivers/protocol.js';
import { inCatalogOrder } from '../report/digest.js';
import { escapeText } from '../report/escape.js';
import type { CheckResult, RunReport } from '../report/model.js';
import { UsageError } from './usage-error.js';

export interface ExpectedFailure {
  id: string;
  transport?: TransportKind;
  revision?: Revision;
  reason: string;
}

const KNOWABLE = new Set<CheckResult['verdict']>(['fail', 'warn', 'error']);

function entryProblem(raw: unknown, knownIds: ReadonlySet<string>): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'is not an object';
  const e = raw as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !['id', 'transport', 'revision', 'reason'].includes(k));
  if (extra.length > 0) return `has unknown member ${extra.join(', ')} (id, transport, revision, reason)`;
  if (typeof e.id !== 'string' || !knownIds.has(e.id)) return `names no known check (${JSON.stringify(e.id)})`;
  if (e.transport !== undefined && !TRANSPORTS.includes(e.transport as TransportKind))
    return `has transport ${JSON.stringify(e.transport)}; known: ${TRANSPORTS.join(', ')}`;
  if (e.revision !== undefined && !REVISIONS.includes(e.revision as Revision))
    return `has revision ${JSON.stringify(e.revision)}; known: ${REVISIONS.join(', ')}`;
  if (typeof e.reason !== 'string' || e.reason.trim() === '') return 'has no reason (a known failure says why it is known)';
  return undefined;
}

/** Parse and check the file's text; every problem is a usage error naming the entry. */
export function parseExpectedFailures(text: string, file: string, knownIds: ReadonlySet<string>): ExpectedFailure[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { expectedFailures?: unknown } | null)?.expectedFailures;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a list of expected failures, or {"expectedFailures": [...]}`);
  return list.map((raw, i) => {
    const problem = entryProblem(raw, knownIds);
    if (problem) throw new UsageError(`${file}: entry ${i + 1} ${problem}`);
    const e = raw as ExpectedFailure;
    return {
      id: e.id,
      ...(e.transport ? { transport: e.transport } : {}),
      ...(e.revision ? { revision: e.revision } : {}),
      reason: e.reason,
    };
  });
}

export async function readExpectedFailures(file: string, knownIds: ReadonlySet<string>): Promise<ExpectedFailure[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read expected-failures file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseExpectedFailures(text, file, knownIds);
}

function matches(entry: ExpectedFailure, r: CheckResult): boolean {
  return (
    entry.id === r.id &&
    (entry.transport === undefined || entry.transport === r.transport) &&
    (entry.revision === undefined || entry.revision === r.revision)
  );
}

export interface Applied {
  results: CheckResult[];
  /** entries that matched a passing result and no failing one */
  stale: ExpectedFailure[];
}

export function applyExpectedFailures(results: readonly CheckResult[], list: readonly ExpectedFailure[]): Applied {
  const used = new Set<ExpectedFailure>();
  const out = results.map((r) => {
    if (!KNOWABLE.has(r.verdict)) return r;
    const entry = list.find((e) => matches(e, r));
    if (!entry) return r;
    used.add(entry);
    const known: CheckResult = {
      ...(r as Exclude<CheckResult, { verdict: 'skip' }>),
      verdict: 'expected',
      known: { was: r.verdict as 'fail' | 'warn' | 'error', reason: entry.reason },
    };
    return known;
  });
  const stale = list.filter((e) => !used.has(e) && results.some((r) => r.verdict === 'pass' && matches(e, r)));
  return { results: out, stale };
}

/** One entry per failing (or already known) result, in catalog order, without duplicates across targets. */
export function expectedFailuresOf(report: RunReport): ExpectedFailure[] {
  const seen = new Set<string>();
  const out: ExpectedFailure[] = [];
  for (const r of inCatalogOrder(report.results)) {
    if (!KNOWABLE.has(r.verdict) && r.verdict !== 'expected') continue;
    const key = `${r.id} ${r.transport} ${r.revision}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason =
      r.known?.reason ?? `${r.verdict} in the run of ${report.startedAt}: ${escapeText(r.actual ?? r.reason ?? 'see the report')}`;
    out.push({ id: r.id, transport: r.transport, revision: r.revision, reason });
  }
  return out;
}

export async function writeExpectedFailures(report: RunReport, file: string): Promise<number> {
  const list = expectedFailuresOf(report);
  await writeFile(file, `${JSON.stringify({ expectedFailures: list }, null, 2)}\n`, 'utf8');
  return list.length;
}
