/**
 * --profile: a spec tension (catalog section 12) fails under strict and only warns under lenient;
 * an outcome the catalog already grades as a warning stays one under both, and names its tension.
 */
import { describe, expect, test } from 'vitest';
import type { Revision } from '../drivers/protocol.js';
import type { ServerKind } from '../reference-servers/kinds.js';
import { referenceTarget } from '../reference-servers/start.js';
import type { CheckResult } from '../report/model.js';
import { findCheck } from '../suites/index.js';
import { REFERENCE_FIXTURES } from '../suites/fixtures.js';
import { runSuite } from '../suites/runner.js';
import type { Profile } from '../suites/check.js';

/** One check against a reference server with one fault, under both profiles (one server for both runs). */
async function verdicts(kind: ServerKind, fault: string, id: string, revision: Revision): Promise<Record<Profile, CheckResult>> {
  const ref = await referenceTarget(kind, [fault]);
  try {
    const run = async (profile: Profile) => {
      const { results } = await runSuite({
        target: ref.target,
        label: ref.label,
        checks: [findCheck(id)!],
        fixtures: REFERENCE_FIXTURES,
        revisions: [revision],
        profile,
      });
      return results[0]!;
    };
    return { strict: await run('strict'), lenient: await run('lenient') };
  } finally {
    await ref.close();
  }
}

describe.concurrent('profiles', () => {
  // Tension T1: the official SDK's 409 for a GET stream, and for a second concurrent one.
  test.for([
    ['SHTTP-GET-01', 'get-409'],
    ['SHTTP-MULTI-02', 'second-get-409'],
  ] as const)('%s: strict fails a 409 GET stream (%s); lenient warns, naming T1', async ([id, fault]) => {
    const { strict, lenient } = await verdicts('sdk-http-sse', fault, id, '2025-11-25');
    expect(strict.verdict).toBe('fail');
    expect(lenient.verdict).toBe('warn');
    expect(lenient.reason).toContain('T1');
  });

  // Outcomes the catalog grades as warnings in strict already: both profiles warn and say why.
  test.for([
    ['T4', 'SHTTP-POST-04', 'min-http', 'error-status-400', '2025-11-25'],
    ['T5', 'SHTTP-SESSION-06', 'min-http', 'unknown-session-400', '2025-11-25'],
    ['T9', 'STDIO-FRAME-01', 'min-stdio', 'crlf-output', '2025-11-25'],
  ] as const)('%s: %s warns under both profiles (%s, %s)', async ([tension, id, kind, fault, revision]) => {
    const { strict, lenient } = await verdicts(kind, fault, id, revision);
    for (const result of [strict, lenient]) {
      expect(result.verdict).toBe('warn');
      expect(result.reason).toContain(tension);
    }
  });
});
