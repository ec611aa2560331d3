/**
 * The runner's decisions, against a scripted driver: which checks run at which revisions, what
 * becomes skip and why, deadlines, exceptions, a target that dies, and that every session a
 * check opens is closed.
 */
import { describe, expect, it } from 'vitest';
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type { WireLog } from '../drivers/wire-log.js';
import type { CheckResult, TargetPhase } from '../report/model.js';
import { type Check, ok, skip, violated } from '../suites/check.js';
import { runSuite } from '../suites/runner.js';
import { type FakeBehaviour, FakeDriver, fakeTarget } from './runner-fake-driver.js';

const LEGACY_3: Revision[] = ['2025-03-26', '2025-06-18', '2025-11-25'];

function check(id: string, run: Check['run'], extra: Partial<Check> = {}): Check {
  return {
    id,
    title: `title of ${id}`,
    requirement: 'a requirement',
    level: 'MUST',
    spec: 'https://example.invalid/spec',
    transports: ['stdio', 'http', 'sse'],
    revisions: LEGACY_3,
    run,
    ...extra,
  };
}

const ping: Check['run'] = async (ctx) => {
  const s = await ctx.session();
  const reply = await s.request('ping');
  return reply.response ? ok() : violated('a ping response', 'nothing');
};

async function run(checks: Check[], behaviour: FakeBehaviour, extra: Partial<Parameters<typeof runSuite>[0]> = {}) {
  let driver: FakeDriver | undefined;
  const transport: TransportKind = behaviour.transport ?? 'stdio';
  const out = await runSuite({
    target: fakeTarget(transport),
    label: 'fake',
    checks,
    driverFactory: (_t, log: WireLog) => {
      driver = new FakeDriver(log, behaviour);
      return driver;
    },
    ...extra,
  });
  return { ...out, driver: driver as FakeDriver };
}

const brief = (r: { id: string; revision: string; verdict: string }) => `${r.id} ${r.revision} ${r.verdict}`;

describe('runSuite plan', () => {
  it('runs each check at every served revision, in check then revision order', async () => {
    const { results, target } = await run([check('A-1', ping), check('B-1', ping)], { serves: ['2025-06-18', '2025-03-26'] });
    expect(target.supportedRevisions).toEqual(['2025-03-26', '2025-06-18']);
    expect(results.map(brief)).toEqual(['A-1 2025-03-26 pass', 'A-1 2025-06-18 pass', 'B-1 2025-03-26 pass', 'B-1 2025-06-18 pass']);
    expect(target.serverInfo?.name).toBe('fake\x1b[31m');
  });

  it('skips a check written for other transports once, saying which', async () => {
    const { results } = await run([check('H-1', ping, { transports: ['http'] })], { serves: LEGACY_3 });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      verdict: 'skip',
      reason: 'applies to http only',
      skip: { cause: 'transport', transports: ['http'] },
    });
  });

  it('skips a check whose revisions the target does not serve, naming them', async () => {
    const { results } = await run(
      [check('M-1', ping, { revisions: ['2026-07-28'] }), check('L-1', ping, { revisions: LEGACY_3.slice(1) })],
      {
        serves: ['2024-11-05'],
      },
    );
    expect(results.map((r) => r.reason)).toEqual(['target does not serve 2026-07-28', 'target does not serve 2025-06-18..2025-11-25']);
    expect(results.every((r) => r.verdict === 'skip')).toBe(true);
    expect(results.map((r) => r.skip)).toEqual([
      { cause: 'revision', revisions: ['2026-07-28'] },
      { cause: 'revision', revisions: ['2025-06-18', '2025-11-25'] },
    ]);
  });

  it('skips per revision when a fixture is missing, and runs with it', async () => {
    const needsSlow = check('S-1', ping, { needs: ['slow-tool'] });
    const without = await run([needsSlow], { serves: ['2025-11-25'] });
    expect(without.results[0]).toMatchObject({
      verdict: 'skip',
      reason: expect.stringContaining('slow tool'),
      skip: { cause: 'fixture', feature: 'slow-tool', option: '--slow-tool' },
    });
    const needsAuth = await run([check('T-1', ping, { needs: ['auth'] })], { serves: ['2025-11-25'] });
    expect(needsAuth.results[0]).toMatchObject({ verdict: 'skip', skip: { cause: 'token', option: '--auth-token' } });
    const withIt = await run([needsSlow], { serves: ['2025-11-25'] }, { fixtures: { slowTool: 'slow' } });
    expect(withIt.results[0]?.verdict).toBe('pass');
  });

  it('--spec narrows the revisions, and leaves out checks it excludes entirely', async () => {
    const { results, target } = await run(
      [check('A-1', ping), check('OLD-1', ping, { revisions: ['2024-11-05'] })],
      { serves: LEGACY_3 },
      { revisions: ['2025-11-25'] },
    );
    expect(results.map(brief)).toEqual(['A-1 2025-11-25 pass']);
    expect(target.testedRevisions).toEqual(['2025-11-25']);
  });

  it('maps outcomes to verdicts by level and keeps expected, actual and the evidence', async () => {
    const bad: Check['run'] = async (ctx) => {
      await (await ctx.session()).request('tools/list');
      return violated('404', '400');
    };
    const { results } = await run(
      [
        check('M-1', bad),
        check('S-1', bad, { level: 'SHOULD' }),
        check('I-1', bad, { level: 'INF' }),
        check('D-1', async () => violated('x', 'y', 'warn')),
      ],
      { serves: ['2025-11-25'] },
    );
    expect(results.map((r) => r.verdict)).toEqual(['fail', 'warn', 'info', 'warn']);
    expect(results[0]).toMatchObject({ expected: '404', actual: '400' });
    // Only this check's own exchanges, not discovery's.
    expect(results[0]?.evidence.map((e) => e.summary)).toEqual(['tools/list', 'response 1']);
  });

  it('passes a note and a check-level skip through', async () => {
    const { results } = await run(
      [
        check('N-1', async () => ok('a note')),
        check('K-1', async () => skip('not today')),
        check('H-2', async () => skip('could not listen', { cause: 'harness' })),
      ],
      { serves: ['2025-11-25'] },
    );
    expect(results.map((r) => [r.verdict, r.reason, r.skip])).toEqual([
      ['pass', 'a note', undefined],
      // A check's own skip is a missing feature unless it says otherwise.
      ['skip', 'not today', { cause: 'feature' }],
      ['skip', 'could not listen', { cause: 'harness' }],
    ]);
  });

  it('stamps every result with its target and when it ran, and the target with its phases', async () => {
    const slow: Check['run'] = async () => {
      await new Promise((r) => setTimeout(r, 60));
      return ok();
    };
    const origin = Date.now() - 5_000;
    const { results, target } = await run(
      [check('A-1', slow), check('B-1', slow), check('H-1', ping, { transports: ['http'] })],
      { serves: ['2025-11-25'] },
      { targetIndex: 2, origin },
    );
    expect(results.map((r) => r.target)).toEqual([
      { index: 2, label: 'fake' },
      { index: 2, label: 'fake' },
      { index: 2, label: 'fake' },
    ]);
    const [a, b, h] = results as [CheckResult, CheckResult, CheckResult];
    // Offsets count from the run's origin, five seconds back; the checks ran one after another.
    expect(a.startOffsetMs).toBeGreaterThanOrEqual(5_000);
    expect(a.durationMs).toBeGreaterThanOrEqual(50);
    expect(b.startOffsetMs).toBeGreaterThanOrEqual(a.startOffsetMs + 50);
    expect(h.durationMs).toBe(0);
    expect(target.phases.map((p) => p.name)).toEqual(['discovery', 'checks']);
    const [discovery, checks] = target.phases as [TargetPhase, TargetPhase];
    expect(discovery.startOffsetMs).toBeGreaterThanOrEqual(5_000);
    expect(checks.startOffsetMs).toBeGreaterThanOrEqual(discovery.startOffsetMs + discovery.durationMs);
    expect(checks.durationMs).toBeGreaterThanOrEqual(100);
  });
});

describe('runSuite under trouble', () => {
  it('turns an exception into error with its message, and closes the sessions', async () => {
    const throws: Check['run'] = async (ctx) => {
      await ctx.session();
      await ctx.session();
      throw new Error('boom');
    };
    const { results, driver } = await run([check('T-1', throws), check('T-2', ping)], { serves: ['2025-11-25'] });
    expect(results[0]).toMatchObject({ verdict: 'error', reason: expect.stringContaining('boom') });
    expect(results[1]?.verdict).toBe('pass');
    expect(driver.openNow).toBe(0);
    expect(driver.driverClosed).toBe(true);
  });

  it('a synchronous throw is an error too', async () => {
    const sync = (() => {
      throw new Error('sync boom');
    }) as unknown as Check['run'];
    const { results } = await run([check('T-1', sync)], { serves: ['2025-11-25'] });
    expect(results[0]).toMatchObject({ verdict: 'error', reason: expect.stringContaining('sync boom') });
  });

  it('ends a check that overruns its deadline as error and closes what it opened', async () => {
    const hangs: Check['run'] = async (ctx) => {
      await ctx.session();
      return new Promise<never>(() => {});
    };
    const started = Date.now();
    const { results, driver } = await run([check('H-1', hangs), check('H-2', ping)], { serves: ['2025-11-25'] }, { checkDeadlineMs: 200 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(results[0]).toMatchObject({ verdict: 'error', reason: 'the check did not finish within 200 ms' });
    expect(results[1]?.verdict).toBe('pass');
    expect(driver.openNow).toBe(0);
  });

  it('closes a session that finishes opening after the check was abandoned', async () => {
    const late: Check['run'] = async (ctx) => {
      await new Promise((r) => setTimeout(r, 300));
      await ctx.session().catch(() => undefined);
      return ok();
    };
    const { driver } = await run([check('L-1', late)], { serves: ['2025-11-25'] }, { checkDeadlineMs: 100 });
    await new Promise((r) => setTimeout(r, 400));
    expect(driver.openNow).toBe(0);
  });

  it('makes the remaining checks errors at once when the target is gone', async () => {
    const behaviour: FakeBehaviour = { serves: ['2025-11-25'] };
    const kills: Check['run'] = async () => {
      behaviour.dead = true;
      throw new Error('connection reset');
    };
    const started = Date.now();
    const { results } = await run([check('K-1', kills), check('K-2', ping), check('K-3', ping)], behaviour, { checkDeadlineMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(results.map((r) => r.verdict)).toEqual(['error', 'error', 'error']);
    expect(results[1]?.reason).toMatch(/^target is gone: .*ECONNREFUSED/);
  });

  it('an abort (Ctrl-C) ends the running check and the rest as errors, closing what was opened', async () => {
    const controller = new AbortController();
    const hangs: Check['run'] = async (ctx) => {
      await ctx.session();
      setTimeout(() => controller.abort(), 50);
      return new Promise<never>(() => {});
    };
    const started = Date.now();
    const { results, driver } = await run(
      [check('H-1', hangs), check('H-2', ping)],
      { serves: ['2025-11-25'] },
      { signal: controller.signal },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results.map((r) => [r.verdict, r.reason])).toEqual([
      ['error', 'interrupted before the check finished'],
      ['error', 'interrupted before the check finished'],
    ]);
    expect(driver.openNow).toBe(0);
    expect(driver.driverClosed).toBe(true);
  });

  it('an unreachable target gives every check an error with the reason, quickly', async () => {
    const started = Date.now();
    const { results, target } = await run([check('A-1', ping), check('B-1', ping), check('H-1', ping, { transports: ['http'] })], {
      serves: LEGACY_3,
      dead: true,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results.map((r) => r.verdict)).toEqual(['error', 'error', 'skip']);
    expect(results[0]?.reason).toMatch(/target unreachable: .*ECONNREFUSED/);
    expect(target.supportedRevisions).toEqual([]);
  });

  it('a target that answers but serves no known revision is an error, not a silent all-skip', async () => {
    const { results } = await run([check('A-1', ping)], { serves: [] });
    expect(results[0]?.verdict).toBe('error');
    expect(results[0]?.reason).toMatch(/serves none of/);
  });

  it('runs only at revisions that define the transport, but reports every version the target negotiates', async () => {
    const sse = await run([check('A-1', ping, { revisions: ['2024-11-05', '2025-11-25'] })], {
      transport: 'sse',
      serves: ['2024-11-05', '2025-11-25'],
    });
    expect(sse.target).toMatchObject({ supportedRevisions: ['2024-11-05', '2025-11-25'], testedRevisions: ['2024-11-05'] });
    expect(sse.results.map(brief)).toEqual(['A-1 2024-11-05 pass']);

    const seen: (readonly string[])[] = [];
    const sees: Check['run'] = async (ctx) => {
      seen.push(ctx.supported);
      return ok();
    };
    const http = await run([check('B-1', sees, { revisions: ['2024-11-05', '2025-11-25'] })], {
      transport: 'http',
      serves: ['2024-11-05', '2025-11-25'],
    });
    expect(http.target.testedRevisions).toEqual(['2025-11-25']);
    expect(http.results.map(brief)).toEqual(['B-1 2025-11-25 pass']);
    // Version-negotiation checks compare against what the server negotiates, not what is tested.
    expect(seen).toEqual([['2024-11-05', '2025-11-25']]);
  });

  it('a target that serves only revisions its transport lacks is an error', async () => {
    const { results } = await run([check('A-1', ping)], { transport: 'sse', serves: ['2025-11-25'] });
    expect(results[0]).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/none of which defines the sse transport/) });
  });

  it("--timeout becomes the default request deadline, and the session stays the driver's own", async () => {
    const probe: Check['run'] = async (ctx) => {
      const s = await ctx.session();
      await s.request('a');
      await s.request('b', {}, { timeoutMs: 42 });
      return s.received.length === 2 && s.revision === '2025-11-25' ? ok() : violated('2 received', String(s.received.length));
    };
    const { results, driver } = await run([check('P-1', probe)], { serves: ['2025-11-25'] }, { requestTimeoutMs: 777 });
    expect(results[0]?.verdict).toBe('pass');
    expect(driver.requestOptions.slice(-2)).toEqual([{ timeoutMs: 777 }, { timeoutMs: 42 }]);
  });

  it('reports progress: the plan first, then every result', async () => {
    const seen: string[] = [];
    await run(
      [check('A-1', ping), check('H-1', ping, { transports: ['http'] })],
      { serves: ['2025-11-25'] },
      {
        onStart: (info, planned) => seen.push(`start ${info.label} ${planned}`),
        onResult: (r) => seen.push(`result ${r.id}`),
      },
    );
    expect(seen).toEqual(['start fake 2', 'result A-1', 'result H-1']);
  });
});
