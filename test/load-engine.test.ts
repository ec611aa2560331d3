/**
 * The engine's parts on their own, with a transport-agnostic `send` (timers, no sockets):
 * histograms and their exact merge, error classification, the per-second series, both loops'
 * bounds and warm-up, the open loop's due-time latency, the knee search and load splitting.
 */
import { describe, expect, it } from 'vitest';
import { DeadlineError } from '../drivers/deadline.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { classifyError, classifyReply, countError, emptyErrors, failure, mergeErrors, OK, type Outcome } from '../load/errors.js';
import { decodeHistogram, encodeHistogram, mergeEncoded, newHistogram, shareAtOrAbove, summarize } from '../load/histogram.js';
import { findKnee, type RateMeasurement } from '../load/knee.js';
import { sendFromAsync } from '../load/loop-types.js';
import { runOpenLoop } from '../load/open-loop.js';
import { readProcStat } from '../load/resources.js';
import { mergeSeries, TimeSeries } from '../load/timeseries.js';
import { splitLoad } from '../load/workers.js';
import type { KneeSearch } from '../scenarios/types.js';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('histograms', () => {
  it('merge exactly: the merge of encoded parts equals the histogram of all values', () => {
    const a = newHistogram();
    const b = newHistogram();
    const all = newHistogram();
    for (let i = 1; i <= 5000; i++) {
      const v = ((i * 7919) % 100_000) + 1;
      (i % 3 === 0 ? a : b).recordValue(v);
      all.recordValue(v);
    }
    const merged = mergeEncoded([encodeHistogram(a), encodeHistogram(b)]);
    expect(summarize(merged)).toEqual(summarize(all));
    expect(merged.totalCount).toBe(5000);
  });

  it('round-trips through the compressed encoding', () => {
    const h = newHistogram();
    for (const v of [1, 10, 100, 1000, 10_000, 1_000_000]) h.recordValue(v);
    expect(summarize(decodeHistogram(encodeHistogram(h)))).toEqual(summarize(h));
  });

  it('counts the share of values at or above a bound', () => {
    const h = newHistogram();
    for (let i = 0; i < 90; i++) h.recordValue(100);
    for (let i = 0; i < 10; i++) h.recordValue(50_000);
    expect(shareAtOrAbove(h, 20_000)).toBeCloseTo(0.1, 5);
    expect(shareAtOrAbove(h, 1)).toBe(1);
  });
});

describe('error classification', () => {
  it('names timeouts, HTTP statuses, JSON-RPC errors, tool errors and closed transports', () => {
    expect(classifyReply({ messages: [], timedOut: true })).toMatchObject({ ok: false, kind: 'timeout' });
    expect(classifyReply({ messages: [], timedOut: false, status: 503 })).toMatchObject({ kind: 'http-status', detail: '503' });
    expect(classifyReply({ messages: [], timedOut: false, status: 0 })).toMatchObject({ kind: 'transport-closed' });
    expect(classifyReply({ messages: [], timedOut: false, status: 200 })).toMatchObject({ kind: 'transport-closed' });
    const err = { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no' } };
    expect(classifyReply({ response: err, messages: [err], timedOut: false })).toMatchObject({ kind: 'jsonrpc-error', detail: '-32601' });
    const toolErr = { jsonrpc: '2.0', id: 1, result: { isError: true, content: [] } };
    expect(classifyReply({ response: toolErr, messages: [], timedOut: false })).toMatchObject({ kind: 'tool-error' });
    const good = { jsonrpc: '2.0', id: 1, result: {} };
    expect(classifyReply({ response: good, messages: [], timedOut: false, status: 200 })).toBe(OK);
    expect(classifyError(new DeadlineError('x', 5))).toMatchObject({ kind: 'timeout' });
    expect(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toMatchObject({ kind: 'transport-closed' });
    expect(classifyError(new Error('something else'))).toMatchObject({ kind: 'other' });
  });

  it('counts by kind and detail, and merges counts', () => {
    const a = emptyErrors();
    countError(a, failure('http-status', '503'));
    countError(a, failure('http-status', '503'));
    countError(a, OK);
    const b = emptyErrors();
    countError(b, failure('timeout'));
    const m = mergeErrors([a, b]);
    expect(m).toEqual({ total: 3, byKind: { 'http-status': 2, timeout: 1 }, byDetail: { 'http-status:503': 2, timeout: 1 } });
  });
});

describe('per-second series', () => {
  it('buckets by completion second, fills silent seconds, and merges with offsets', () => {
    const s = new TimeSeries(1000);
    s.record(1100, 500, true);
    s.record(3500, 700, false);
    const points = s.points();
    expect(points.map((p) => [p.t, p.count, p.errors])).toEqual([
      [0, 1, 0],
      [1, 0, 0],
      [2, 1, 1],
    ]);
    const merged = mergeSeries([points, points], [0, 1]);
    expect(merged.map((p) => [p.t, p.count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });
});

describe('closed loop', () => {
  it('keeps exactly N in flight, stops by itself and drops warm-up samples', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const send = async (): Promise<Outcome> => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(5);
      inFlight--;
      return OK;
    };
    const run = await runClosedLoop({ concurrency: 4, durationMs: 300, warmupMs: 100, send: sendFromAsync(send) });
    expect(maxInFlight).toBe(4);
    expect(run.sent).toBe(calls);
    expect(run.count).toBeGreaterThan(0);
    // the warm-up's requests were sent but not measured
    expect(run.count).toBeLessThan(run.sent);
    expect(run.errors.total).toBe(0);
    expect(summarize(decodeHistogram(run.histogram)).p50).toBeGreaterThanOrEqual(4000);
  });

  it('is bounded by a request count as well as by time', async () => {
    const run = await runClosedLoop({
      concurrency: 2,
      durationMs: 60_000,
      warmupMs: 0,
      maxRequests: 10,
      send: sendFromAsync(async () => OK),
    });
    expect(run.sent).toBe(10);
    expect(run.count).toBe(10);
  });

  it('classifies a send that throws and counts a send that never settles as a timeout', async () => {
    let n = 0;
    const run = await runClosedLoop({
      concurrency: 1,
      durationMs: 200,
      warmupMs: 0,
      drainMs: 100,
      send: sendFromAsync(async () => {
        n++;
        if (n === 1) throw new DeadlineError('x', 1);
        if (n === 2) return failure('jsonrpc-error', '-32603');
        return new Promise<Outcome>(() => {});
      }),
    });
    expect(run.errors.byKind).toEqual({ timeout: 2, 'jsonrpc-error': 1 });
  });
});

describe('closed loop with a send that answers at once', () => {
  it('does not recurse when done() is called inside send(), and records a send that throws', async () => {
    let n = 0;
    const run = await runClosedLoop({
      concurrency: 2,
      durationMs: 60_000,
      warmupMs: 0,
      maxRequests: 50_000,
      send: (_slot, done) => {
        if (++n === 3) throw new Error('socket hang up');
        done(OK);
        done(failure('other', 'a second answer is ignored'));
      },
    });
    expect(run.sent).toBe(50_000);
    expect(run.count).toBe(50_000);
    expect(run.errors.byKind).toEqual({ 'transport-closed': 1 });
  });
});

describe('open loop', () => {
  it('sends at the arrival rate whatever the server does', async () => {
    const run = await runOpenLoop({
      rate: 200,
      durationMs: 500,
      warmupMs: 0,
      maxInFlight: 100,
      timeoutMs: 5000,
      send: sendFromAsync(async () => {
        await delay(30);
        return OK;
      }),
    });
    // 200/s for 0.5 s: 100 requests, although each takes 30 ms (a closed loop with 1 slot would send ~16)
    expect(run.sent).toBe(100);
    expect(run.count).toBe(100);
    expect(run.offered).toBe(100);
    expect(run.lag).toBeDefined();
  });

  it('excludes the warm-up and says how many requests were due in the measured window', async () => {
    const run = await runOpenLoop({
      rate: 100,
      durationMs: 300,
      warmupMs: 100,
      maxInFlight: 10,
      timeoutMs: 5000,
      send: sendFromAsync(async () => OK),
    });
    // 40 due in all, one every 10 ms; the first 10 fall in the warm-up
    expect(run.sent).toBe(40);
    expect(run.offered).toBe(30);
    expect(run.count).toBe(30);
  });

  it('measures from the due time: a queue behind a busy slot shows as latency', async () => {
    // One slot, 20 ms per request, 100 requests/s due: the queue grows by 1 every 20 ms, and
    // the latency of the last requests includes all of their wait.
    const run = await runOpenLoop({
      rate: 100,
      durationMs: 400,
      warmupMs: 0,
      maxInFlight: 1,
      timeoutMs: 10_000,
      send: sendFromAsync(async () => {
        await delay(20);
        return OK;
      }),
    });
    const h = summarize(decodeHistogram(run.histogram));
    expect(run.count).toBe(40);
    // service time alone is ~20 ms; the queue pushes the tail far beyond it
    expect(h.max).toBeGreaterThan(200_000);
    expect(h.p50).toBeGreaterThan(60_000);
  });

  it('counts requests stuck in its own queue past the timeout as timeouts, without sending them', async () => {
    let sent = 0;
    const run = await runOpenLoop({
      rate: 100,
      durationMs: 300,
      warmupMs: 0,
      maxInFlight: 1,
      timeoutMs: 50,
      drainMs: 500,
      send: sendFromAsync(async () => {
        sent++;
        await delay(150);
        return OK;
      }),
    });
    expect(run.errors.byKind.timeout ?? 0).toBeGreaterThan(0);
    expect(sent).toBeLessThan(30);
    expect(run.count).toBe(30);
  });
});

describe('knee search', () => {
  const knee: KneeSearch = {
    startRate: 100,
    maxRate: 100_000,
    p99BoundMs: 10,
    maxErrorRate: 0.001,
    maxSteps: 12,
    resolution: 0.05,
    maxInFlight: 64,
    minRate: 10,
    cooldownMs: 0,
  };

  it('doubles, then bisects to the highest rate that keeps p99 and errors under their bounds', async () => {
    // a server whose p99 crosses 10 ms above 1500 req/s
    const measure = async (rate: number): Promise<RateMeasurement> => ({
      p99Us: rate <= 1500 ? 2000 : 50_000,
      errorRate: 0,
      throughput: rate,
      completed: rate,
      offered: rate,
    });
    const r = await findKnee(knee, measure);
    expect(r.knee).toBeGreaterThanOrEqual(1400);
    expect(r.knee).toBeLessThanOrEqual(1500);
    expect(r.steps.length).toBeLessThanOrEqual(knee.maxSteps);
  });

  it('fails a rate on errors or on a throughput it did not achieve', async () => {
    const r = await findKnee({ ...knee, maxSteps: 6 }, async (rate) => ({
      p99Us: 1000,
      errorRate: rate > 400 ? 0.01 : 0,
      throughput: Math.min(rate, 300),
      completed: Math.min(rate, 300),
      offered: rate,
    }));
    expect(r.knee).toBeLessThanOrEqual(400);
    expect(r.steps.find((s) => !s.pass)?.reason).toMatch(/errors|completed/);
  });

  it('measures a failed rate once more, so one noisy window does not set the knee', async () => {
    let calls = 0;
    const r = await findKnee({ ...knee, maxSteps: 3 }, async (rate) => {
      calls++;
      // the second measurement (the first of 200 req/s) is a noisy one
      const noisy = calls === 2;
      return { p99Us: noisy ? 50_000 : 1000, errorRate: 0, throughput: rate, completed: rate, offered: rate };
    });
    expect(r.steps.map((s) => [s.rate, s.pass, s.retry ?? false])).toEqual([
      [100, true, false],
      [200, false, false],
      [200, true, true],
    ]);
    expect(r.knee).toBe(200);
  });

  it('reports no knee when even the first rate fails, and stops by itself', async () => {
    const r = await findKnee({ ...knee, maxSteps: 20 }, async () => ({
      p99Us: 1e6,
      errorRate: 1,
      throughput: 0,
      completed: 0,
      offered: 10,
    }));
    expect(r.knee).toBeUndefined();
    // 100, 50, 25, 13, 10 (the floor), each measured twice
    expect(r.steps.map((s) => s.rate)).toEqual([100, 100, 50, 50, 25, 25, 13, 13, 10, 10]);
  });
});

describe('workers and resources', () => {
  it('splits concurrency and rate over workers without losing any', () => {
    const closed = splitLoad({ mode: 'closed', concurrency: 10 }, 3);
    expect(closed.map((l) => (l.mode === 'closed' ? l.concurrency : 0))).toEqual([4, 3, 3]);
    expect(splitLoad({ mode: 'closed', concurrency: 2 }, 4)).toHaveLength(2);
    const open = splitLoad({ mode: 'open', rate: 900, maxInFlight: 64 }, 3);
    expect(open.reduce((a, l) => a + (l.mode === 'open' ? l.rate : 0), 0)).toBe(900);
  });

  it('reads CPU time and memory of a process from /proc', () => {
    const s = readProcStat(process.pid);
    if (process.platform !== 'linux') return expect(s).toBeUndefined();
    expect(s!.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(s!.cpuMs).toBeGreaterThanOrEqual(0);
    expect(readProcStat(2 ** 30)).toBeUndefined();
  });
});
