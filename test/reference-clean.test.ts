/** Every reference server, clean, at every revision it serves: every applicable check passes. */
import { describe, expect, test } from 'vitest';
import { SERVER_KINDS, SERVER_KIND_INFO } from '../reference-servers/kinds.js';
import { ALL_CHECKS } from '../suites/index.js';
import { checksWithoutFault, describeFailures, runAgainst } from './support/fault-proof.js';

describe('clean reference servers, every revision', () => {
  for (const kind of SERVER_KINDS) {
    test(`${kind} passes every check that applies at ${SERVER_KIND_INFO[kind].revisions.join(', ')}`, async () => {
      const results = await runAgainst(kind, []);
      const ran = results.filter((r) => r.verdict !== 'skip');
      expect(ran.length).toBeGreaterThan(0);
      expect(describeFailures(results)).toBe('');
      // Skips on a reference server may only be for another transport or revision, never a missing fixture.
      const fixtureSkips = results.filter((r) => r.verdict === 'skip' && /fixture|tool/i.test(r.reason ?? ''));
      expect(fixtureSkips.map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      const testedRevisions = new Set(ran.map((r) => r.revision));
      expect([...testedRevisions].sort()).toEqual([...SERVER_KIND_INFO[kind].revisions].sort());
    });
  }

  test('every check is named by at least one fault', () => {
    expect(checksWithoutFault()).toEqual([]);
    expect(ALL_CHECKS.length).toBeGreaterThan(0);
  });
});
