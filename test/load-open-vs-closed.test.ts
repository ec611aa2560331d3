/**
 * The open loop must show a server's stall and the closed loop must hide it (coordinated
 * omission). Against a real node:http server that holds its answers for 100 ms once a second,
 * driven through the engine and the Streamable HTTP driver; the assertions are on the recorded
 * distributions (share of slow samples, p99), never on how long the test took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, shareAtOrAbove, summarize } from '../load/histogram.js';
import { type PhaseSpec, runPhase } from '../load/phase.js';
import { type StallServer, startStallServer } from './fixtures/load-stall-server.js';

const STALL_MS = 100;
/**
 * Half the stall: every request due in the first half of a stall waits at least this long, while
 * a loopback round trip, even on a busy machine, stays well under it.
 */
const SLOW_US = 50_000;

let server: StallServer;

beforeAll(async () => {
  server = await startStallServer({ periodMs: 1000, stallMs: STALL_MS });
});

afterAll(async () => {
  await server?.close();
});

function spec(load: PhaseSpec['load']): PhaseSpec {
  return {
    target: { transport: 'http', url: server.url },
    revision: '2025-11-25',
    workload: { kind: 'ping' },
    strategy: 'shared',
    load,
    // 2.5 s windows each hold two or three stalls.
    durationMs: 2500,
    warmupMs: 200,
    timeoutMs: 5000,
  };
}

describe('open loop against a server that stalls 100 ms once a second', () => {
  it('shows the stall in the open-loop tail and hides it in the closed-loop tail', async () => {
    const open = await runPhase(spec({ mode: 'open', rate: 200, maxInFlight: 64 }));
    const closed = await runPhase(spec({ mode: 'closed', concurrency: 1 }));
    const openH = decodeHistogram(open.run.histogram);
    const closedH = decodeHistogram(closed.run.histogram);
    const seen = JSON.stringify({ open: summarize(openH), closed: summarize(closedH) });
    expect(open.run.errors.total, seen).toBe(0);
    expect(closed.run.errors.total, seen).toBe(0);

    // Open loop: every request due in the first 50 ms of a stall waited >= 50 ms, about 5 % of
    // all requests, so the p99 lands inside the stall.
    const openSlow = shareAtOrAbove(openH, SLOW_US);
    expect(openSlow, seen).toBeGreaterThan(0.02);
    expect(summarize(openH).p99, seen).toBeGreaterThanOrEqual(SLOW_US);

    // Closed loop, one in flight: a stall delays only the one request that was out, one sample
    // among hundreds or thousands, so the p99 is a normal round trip. The stall is in there (the
    // max), hidden from the percentiles.
    // Compared with the open loop's, not with a fixed bound, so a busy machine's slower round
    // trips cannot fail it.
    expect(summarize(closedH).max, seen).toBeGreaterThanOrEqual(SLOW_US);
    expect(summarize(closedH).p99, seen).toBeLessThan(summarize(openH).p99);
    expect(openSlow, seen).toBeGreaterThan(3 * shareAtOrAbove(closedH, SLOW_US));
  });
});
