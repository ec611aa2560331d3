/**
 * The open loop must show a server's stall and the closed loop hides it (coordinated omission).
 * Against a real node:http server that holds its answers for 100 ms once a second, the
 * assertions are on the recorded distributions (share of slow samples, p99), never on how long
 * the test took.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../load/closed-loop.js';
import { classifyError, failure, OK, type Outcome } from '../load/errors.js';
import { decodeHistogram, shareAtOrAbove, summarize } from '../load/histogram.js';
import { runOpenLoop } from '../load/open-loop.js';
import { startStallServer, type StallServer } from './fixtures/load-stall-server.js';

const STALL_MS = 100;
/** A request that met the stall waited for at least part of it; this is well above a loopback round trip. */
const SLOW_US = 20_000;

let server: StallServer;
let agent: Agent;
let send: () => Promise<Outcome>;

beforeAll(async () => {
  server = await startStallServer({ periodMs: 1000, stallMs: STALL_MS });
  agent = new Agent({ connections: 64, pipelining: 1 });
  let id = 0;
  send = async () => {
    try {
      const res = await request(server.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'ping' }),
      });
      await res.body.dump();
      return res.statusCode === 200 ? OK : failure('http-status', String(res.statusCode));
    } catch (err) {
      return classifyError(err);
    }
  };
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
});

describe('open loop against a server that stalls 100 ms once a second', () => {
  it('shows the stall in the open-loop tail and hides it in the closed-loop tail', async () => {
    // 2.5 s windows each contain two or three stalls.
    const open = await runOpenLoop({ rate: 200, durationMs: 2500, warmupMs: 200, maxInFlight: 64, timeoutMs: 5000, send });
    const closed = await runClosedLoop({ concurrency: 1, durationMs: 2500, warmupMs: 200, send });
    const openH = decodeHistogram(open.histogram);
    const closedH = decodeHistogram(closed.histogram);
    expect(open.errors.total).toBe(0);
    expect(closed.errors.total).toBe(0);

    // Open loop: every request due during the first 80 ms of a stall waited >= 20 ms, about 8%
    // of all requests, so the p99 lands in the stall.
    const openSlow = shareAtOrAbove(openH, SLOW_US);
    expect(openSlow).toBeGreaterThan(0.02);
    expect(summarize(openH).p99).toBeGreaterThanOrEqual(SLOW_US);

    // Closed loop with one request in flight: a stall delays only the one request that was out,
    // one sample among thousands, so the p99 sits at a normal round trip. The stall is still in
    // there (the max), just hidden from the percentiles.
    expect(summarize(closedH).max).toBeGreaterThanOrEqual(SLOW_US);
    expect(summarize(closedH).p99).toBeLessThan(SLOW_US);
    // And the same server, the same windows: the open loop's slow share dwarfs the closed loop's.
    expect(openSlow).toBeGreaterThan(5 * shareAtOrAbove(closedH, SLOW_US));
  });
});
