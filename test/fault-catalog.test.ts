/** The catalog side of the fault proofs: every check can be shown to fail by some fault, and names are checked. */
import { expect, test } from 'vitest';
import { FAULTS, type FaultSet, NO_FAULTS, parseFaults } from '../reference-servers/faults/index.js';
import { SERVER_KINDS } from '../reference-servers/kinds.js';
import { ALL_CHECKS } from '../suites/index.js';
import { checksWithoutFault } from './support/fault-proof.js';

test('every check is named by at least one fault', () => {
  expect(ALL_CHECKS.length).toBeGreaterThan(0);
  expect(checksWithoutFault()).toEqual([]);
});

test('fault names are unique, every fault is on some server and names checks that exist', () => {
  const ids = new Set(ALL_CHECKS.map((c) => c.id));
  expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
  for (const f of FAULTS) {
    expect(f.servers.length, f.name).toBeGreaterThan(0);
    expect(
      f.servers.every((k) => (SERVER_KINDS as readonly string[]).includes(k)),
      f.name,
    ).toBe(true);
    expect(
      [...f.catches, ...(f.alsoAffects ?? [])].filter((id) => !ids.has(id)),
      f.name,
    ).toEqual([]);
  }
});

test('a fault name outside the catalog does not compile, and is a usage error at run time with close names', () => {
  const faults: FaultSet = NO_FAULTS;
  // @ts-expect-error: not a fault of the catalog
  expect(faults.has('no-such-fault')).toBe(false);
  expect(() => parseFaults(['stdout-baner'], 'min-stdio')).toThrow(/unknown fault "stdout-baner"; faults of min-stdio: stdout-banner/);
  expect(() => parseFaults(['stdout-banner'], 'min-http')).toThrow(/fault "stdout-banner" is not available; faults of min-http: /);
  expect([...parseFaults(['stdout-banner,crlf-output'], 'min-stdio')]).toEqual(['stdout-banner', 'crlf-output']);
});
