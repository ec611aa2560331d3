/**
 * The fault catalog: each fault turns on exactly one defect in a reference server and names the
 * checks that must catch it. The project's tests run every fault against every server that has
 * it and assert that exactly the named checks (those that apply to the server's transport)
 * change verdict. The share of faults caught is the harness's mutation score.
 *
 * One file per catalog area (sections of docs' spec-requirements), assembled here in section
 * order. Fault names are the literal union `FaultName` of the entries, so a misspelt name in a
 * server, a hook registry or a test is a compile error; the CLI checks its `--fault` strings with
 * `parseFaults` at run time.
 */
import type { ServerKind } from '../kinds.js';
import { AUTH_FAULTS } from './auth.js';
import { BATCHING_FAULTS } from './batching.js';
import type { FaultDef } from './def.js';
import { HTTP_SECURITY_FAULTS } from './http-security.js';
import { JSONRPC_FAULTS } from './jsonrpc.js';
import { LEGACY_SSE_FAULTS } from './legacy-sse.js';
import { LIFECYCLE_FAULTS } from './lifecycle.js';
import { MODERN_FAULTS } from './modern.js';
import { STATELESS_FAULTS } from './stateless.js';
import { STDIO_FAULTS } from './stdio.js';
import { STREAMABLE_HTTP_FAULTS } from './streamable-http.js';

export type { FaultDef } from './def.js';

const CATALOG = [
  ...JSONRPC_FAULTS,
  ...BATCHING_FAULTS,
  ...LIFECYCLE_FAULTS,
  ...MODERN_FAULTS,
  ...STDIO_FAULTS,
  ...STREAMABLE_HTTP_FAULTS,
  ...HTTP_SECURITY_FAULTS,
  ...STATELESS_FAULTS,
  ...LEGACY_SSE_FAULTS,
  ...AUTH_FAULTS,
] as const;

/** The name of a fault in the catalog. */
export type FaultName = (typeof CATALOG)[number]['name'];

export const FAULTS: readonly FaultDef<FaultName>[] = CATALOG;

/** The active faults of one server: what every server and seam takes. */
export type FaultSet = ReadonlySet<FaultName>;

export const NO_FAULTS: FaultSet = new Set();

const BY_NAME = new Map<string, FaultDef<FaultName>>(FAULTS.map((f) => [f.name, f]));

export function isFaultName(name: string): name is FaultName {
  return BY_NAME.has(name);
}

export function findFault(name: string): FaultDef<FaultName> | undefined {
  return BY_NAME.get(name);
}

export function faultsFor(kind: ServerKind): FaultDef<FaultName>[] {
  return FAULTS.filter((f) => f.servers.includes(kind));
}

/** Edit distance, for "did you mean" (names are short: the quadratic table is cheap). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Catalog names close to `name`: within a third of its length in edits, or sharing a word. */
export function closeFaultNames(name: string, among: readonly FaultDef[] = FAULTS, max = 5): string[] {
  const words = new Set(name.split('-').filter((w) => w.length > 3));
  return among
    .map((f) => ({ name: f.name, d: distance(name, f.name), shared: f.name.split('-').some((w) => words.has(w)) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(name.length / 3)) || c.shared)
    .sort((x, y) => x.d - y.d)
    .slice(0, max)
    .map((c) => c.name);
}

/**
 * The usage error for a name that is not among `among` (the catalog, or one kind's faults): the
 * close names when there are some, else all of them.
 */
export function unknownFaultMessage(name: string, among: readonly FaultDef[] = FAULTS, label = 'known'): string {
  const close = closeFaultNames(name, among);
  const listed =
    close.length > 0
      ? `${close.join(', ')} (the closest of ${among.length}; \`mcp-harness list faults\` lists every fault)`
      : among.map((f) => f.name).join(', ') || '(none)';
  return `${isFaultName(name) ? `fault "${name}" is not available` : `unknown fault "${name}"`}; ${label}: ${listed}`;
}

/** Parse `--fault a,b` / repeated flags into a checked set; a name `kind` does not have is a usage error. */
export function parseFaults(names: readonly string[], kind: ServerKind): FaultSet {
  const set = new Set<FaultName>();
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    const def = findFault(name);
    if (!def?.servers.includes(kind)) throw new Error(unknownFaultMessage(name, faultsFor(kind), `faults of ${kind}`));
    set.add(def.name);
  }
  return set;
}
