/** Revision lists as people read them: contiguous runs as ranges ("2025-03-26..2025-11-25"). */
import { REVISIONS, type Revision } from '../drivers/protocol.js';

export function describeRevisions(revisions: readonly Revision[]): string {
  const indexes = [...new Set(revisions.map((r) => REVISIONS.indexOf(r)))].filter((i) => i >= 0).sort((a, b) => a - b);
  if (indexes.length === 0) return 'no revision';
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= indexes.length; i++) {
    const runEnds = i === indexes.length || indexes[i] !== (indexes[i - 1] as number) + 1;
    if (!runEnds) continue;
    const from = REVISIONS[indexes[start] as number];
    const to = REVISIONS[indexes[i - 1] as number];
    parts.push(from === to ? `${from}` : `${from}..${to}`);
    start = i;
  }
  return parts.join(', ');
}
