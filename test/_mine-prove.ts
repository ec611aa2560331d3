// temporary helper script (removed before report): prove given faults on given kinds
import { changedChecks, describeFailures, expectedCatches, revisionsForFault, runAgainst } from './support/fault-proof.js';
import type { ServerKind } from '../reference-servers/kinds.js';
import { faultsFor } from '../reference-servers/faults.js';

const kinds = (process.env.KINDS ?? 'sdk-http-json,sdk-http-sse,min-http').split(',') as ServerKind[];
const only = process.env.FAULTS?.split(',');
const prefix = process.env.PREFIX ?? 'SHTTP-';
await Promise.all(kinds.map(async (kind) => {
  const t0 = Date.now();
  const clean = await runAgainst(kind, []);
  const mine = clean.filter((r) => r.id.startsWith(prefix));
  const out: string[] = [`== ${kind} clean ${Date.now() - t0}ms`];
  out.push(describeFailures(mine));
  for (const r of mine.filter((r) => r.verdict === 'skip' && r.reason && !/transport|revision/.test(r.reason))) out.push(`  skip ${r.id} ${r.revision}: ${r.reason}`);
  for (const r of mine) out.push(`  ${r.id} ${r.revision} ${r.verdict} ${r.durationMs ?? ''}`);
  for (const f of faultsFor(kind)) {
    if (only && !only.includes(f.name)) continue;
    const revs = revisionsForFault(f.name, kind);
    const faulty = await runAgainst(kind, [f.name], revs);
    const changed = changedChecks(clean, faulty).filter((id) => id.startsWith(prefix) || f.catches.includes(id));
    const exp = expectedCatches(f.name, clean);
    const okay = JSON.stringify(changed) === JSON.stringify(exp);
    out.push(`${okay ? 'OK ' : 'BAD'} ${kind} ${f.name} @${revs}: changed ${changed} expected ${exp}`);
    out.push(`    all changed: ${changedChecks(clean, faulty)}`);
    if (!okay) out.push(describeFailures(faulty.filter((r) => changed.includes(r.id))));
  }
  console.log(out.join('\n'));
}));
