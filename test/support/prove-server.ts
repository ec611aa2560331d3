/**
 * One describe block per reference server: the clean server passes every check that runs, and
 * every fault of the server changes the verdicts of exactly the checks it names.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Revision } from '../../drivers/protocol.js';
import type { ServerKind } from '../../reference-servers/kinds.js';
import type { CheckResult } from '../../report/model.js';
import { changedChecks, describeFailures, expectedCatches, faultsFor, runAgainst } from './fault-proof.js';

export function proveServer(kind: ServerKind, revision: Revision): void {
  // Fault runs are independent servers and mostly wait (quiet windows, deadlines): run them side by side.
  describe.concurrent(`${kind} at ${revision}`, () => {
    let clean: CheckResult[] = [];
    const caught: string[] = [];
    const faults = faultsFor(kind);

    beforeAll(async () => {
      clean = await runAgainst(kind, [], [revision]);
    });

    afterAll(() => {
      console.log(`mutation score ${kind}: ${caught.length}/${faults.length} faults caught`);
    });

    test('clean: every check that runs passes', ({ expect }) => {
      expect(clean.filter((r) => r.verdict !== 'skip').length).toBeGreaterThan(0);
      expect(describeFailures(clean)).toBe('');
    });

    for (const fault of faults) {
      test(`fault ${fault.name}: caught by ${fault.catches.join(', ')} and nothing else`, async ({ expect }) => {
        const faulty = await runAgainst(kind, [fault.name], [revision]);
        const expected = expectedCatches(fault.name, clean);
        expect(expected.length, `no check that runs on ${kind} names ${fault.name}`).toBeGreaterThan(0);
        const changed = changedChecks(clean, faulty);
        expect(changed, describeFailures(faulty)).toEqual(expected);
        for (const id of expected) {
          const verdicts = faulty.filter((r) => r.id === id).map((r) => r.verdict);
          expect(verdicts.some((v) => v === 'fail' || v === 'warn' || v === 'info'), `${id} did not fail`).toBe(true);
        }
        caught.push(fault.name);
      });
    }
  });
}
