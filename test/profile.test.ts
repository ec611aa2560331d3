/** --profile: a spec tension (catalog section 12) fails under strict and only warns under lenient. */
import { describe, expect, test } from 'vitest';
import { referenceTarget } from '../reference-servers/start.js';
import { findCheck } from '../suites/index.js';
import { REFERENCE_FIXTURES } from '../suites/fixtures.js';
import { runSuite } from '../suites/runner.js';
import type { Profile } from '../suites/check.js';

async function getStreamVerdict(profile: Profile) {
  // The official SDK's defect: a GET stream answered 409 (tension T1).
  const ref = await referenceTarget('sdk-http-sse', ['get-409']);
  try {
    const { results } = await runSuite({
      target: ref.target,
      label: ref.label,
      checks: [findCheck('SHTTP-GET-01')!],
      fixtures: REFERENCE_FIXTURES,
      revisions: ['2025-11-25'],
      profile,
    });
    return results[0]!;
  } finally {
    await ref.close();
  }
}

describe('profiles', () => {
  test('strict fails a 409 GET stream; lenient warns, naming the tension', async () => {
    const strict = await getStreamVerdict('strict');
    expect(strict.verdict).toBe('fail');
    const lenient = await getStreamVerdict('lenient');
    expect(lenient.verdict).toBe('warn');
    expect(lenient.reason).toContain('T1');
  });
});
