/** `--reference all|KIND,…` and `--fault`: which bundled servers to test, and what they offer. */
import { findFault, isFaultName, unknownFaultMessage } from '../reference-servers/faults/index.js';
import { isServerKind, SERVER_KINDS, type ServerKind } from '../reference-servers/kinds.js';
import { UsageError } from './usage-error.js';

export function faultNames(values: readonly string[]): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!isFaultName(name)) throw new UsageError(unknownFaultMessage(name));
  }
  return [...new Set(names)];
}

/**
 * The kinds to run. `all` with faults means every kind that has all of them (a fault for stdio
 * says nothing about an HTTP server); a kind named explicitly must have them.
 */
export function referenceKinds(value: string, faults: readonly string[]): ServerKind[] {
  const hasAll = (kind: ServerKind) => faults.every((f) => findFault(f)?.servers.includes(kind));
  if (value.trim() === 'all') {
    const kinds = SERVER_KINDS.filter(hasAll);
    if (kinds.length === 0) throw new UsageError(`no reference server has all of these faults: ${faults.join(', ')}`);
    return kinds;
  }
  const kinds: ServerKind[] = [];
  for (const raw of value.split(',')) {
    const kind = raw.trim();
    if (!kind) continue;
    if (!isServerKind(kind)) throw new UsageError(`unknown reference server "${kind}"; known: all, ${SERVER_KINDS.join(', ')}`);
    const missing = faults.filter((f) => !findFault(f)?.servers.includes(kind));
    if (missing.length > 0) throw new UsageError(`${kind} has no fault ${missing.join(', ')} (see \`mcp-harness list faults\`)`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0) throw new UsageError('--reference needs "all" or server kinds');
  return kinds;
}
