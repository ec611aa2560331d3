/**
 * One describe block per reference server: the clean server passes every check that runs at
 * every revision it serves, and every fault of the server changes the verdicts of the checks it
 * names, at the revisions where those checks apply.
 *
 * Two depths. By default (`npm test`) a fault runs only the checks it names: each must change,
 * which proves every check can fail. With MCP_PROOF=exhaustive (`npm run test:exhaustive`, also
 * run by CI) a fault runs the whole catalog and no other check may change either, which proves
 * the checks do not fail without their defect. The exhaustive depth spawns a stdio server per
 * check per fault, thousands in all, and takes several times as long.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ServerKind } from '../../reference-servers/kinds.js';
import { SERVER_KIND_INFO } from '../../reference-servers/kinds.js';
import type { CheckResult } from '../../report/model.js';
import { changedChecks, describeFailures, expectedCatches, faultsFor, revisionsForFault, runAgainst } from './fault-proof.js';

const EXHAUSTIVE = process.env.MCP_PROOF === 'exhaustive';

export function proveServer(kind: ServerKind): void {
  const served = SERVER_KIND_INFO[kind].revisions;
  // Fault runs are independent servers and mostly wait (quiet windows, deadlines): run them side by side.
  describe.concurrent(`${kind} (${served.join(', ')})`, () => {
    let clean: CheckResult[] = [];
    const caught: string[] = [];
    const faults = faultsFor(kind);

    beforeAll(async () => {
      clean = await runAgainst(kind, []);
    });

    afterAll(() => {
      console.log(`mutation score ${kind}: ${caught.length}/${faults.length} faults caught`);
    });

    test('clean: every check that runs passes, at every revision served', ({ expect }) => {
      expect(clean.filter((r) => r.verdict !== 'skip').length).toBeGreaterThan(0);
      expect(describeFailures(clean)).toBe('');
      // Skips on a reference server may only be for another transport or revision, never a missing fixture.
      // Authorization is an optional feature: only the *-auth kinds are given tokens.
      const authless = !SERVER_KIND_INFO[kind].auth;
      const fixtureSkips = clean.filter(
        (r) => r.verdict === 'skip' && /needs /.test(r.reason ?? '') && !(authless && /authorization switched on/.test(r.reason ?? '')),
      );
      expect(fixtureSkips.map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      const tested = new Set(clean.filter((r) => r.verdict !== 'skip').map((r) => r.revision));
      expect([...tested].sort()).toEqual([...served].sort());
    });

    for (const fault of faults) {
      const revisions = revisionsForFault(fault.name, kind);
      const allowed = new Set([...fault.catches, ...(fault.alsoAffects ?? [])]);
      const only = EXHAUSTIVE ? undefined : allowed;
      const scope = EXHAUSTIVE ? ' and nothing else' : '';
      test(`fault ${fault.name} at ${revisions.join(', ')}: caught by ${fault.catches.join(', ')}${scope}`, async ({ expect }) => {
        const faulty = await runAgainst(kind, [fault.name], revisions, only);
        const expected = expectedCatches(fault.name, clean);
        expect(expected.length, `no check that runs on ${kind} names ${fault.name}`).toBeGreaterThan(0);
        const changed = changedChecks(clean, faulty, only);
        expect(
          changed.filter((id) => !allowed.has(id)),
          `changed beyond what ${fault.name} names: ${describeFailures(faulty)}`,
        ).toEqual([]);
        expect(
          expected.filter((id) => !changed.includes(id)),
          `named but unchanged: ${describeFailures(faulty)}`,
        ).toEqual([]);
        for (const id of expected) {
          const verdicts = faulty.filter((r) => r.id === id).map((r) => r.verdict);
          expect(
            verdicts.some((v) => v === 'fail' || v === 'warn' || v === 'info'),
            `${id} did not fail`,
          ).toBe(true);
        }
        caught.push(fault.name);
      });
    }
  });
}
