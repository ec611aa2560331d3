/** The catalog side of the fault proofs: every check can be shown to fail by some fault. */
import { expect, test } from 'vitest';
import { ALL_CHECKS } from '../suites/index.js';
import { checksWithoutFault } from './support/fault-proof.js';

test('every check is named by at least one fault', () => {
  expect(ALL_CHECKS.length).toBeGreaterThan(0);
  expect(checksWithoutFault()).toEqual([]);
});
