/**
 * Per-second time series: for each second of the measured window, how many requests completed,
 * how many failed, and their latency histogram (so per-second percentiles stay exact after a
 * merge). Seconds are counted from the start of the measured window, by completion time.
 */
import type { Histogram } from './histogram.js';
import { decodeHistogram, encodeHistogram, newHistogram } from './histogram.js';

export interface SecondPoint {
  /** seconds since the measured window began */
  t: number;
  count: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** the second's encoded histogram, for exact merges */
  histogram: string;
}

/** A bound on memory: a run longer than this keeps its histogram but stops adding seconds. */
const MAX_SECONDS = 3600;

export class TimeSeries {
  private readonly hists: Histogram[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];

  constructor(private readonly originMs: number) {}

  record(endMs: number, latencyUs: number, ok: boolean): void {
    const i = Math.floor((endMs - this.originMs) / 1000);
    if (i < 0 || i >= MAX_SECONDS) return;
    let h = this.hists[i];
    if (h === undefined) {
      // Fill gaps so that a silent second shows as zero, not as a missing point.
      for (let j = this.hists.length; j <= i; j++) {
        this.hists[j] = newHistogram();
        this.counts[j] = 0;
        this.errors[j] = 0;
      }
      h = this.hists[i]!;
    }
    h.recordValue(latencyUs);
    this.counts[i]!++;
    if (!ok) this.errors[i]!++;
  }

  points(): SecondPoint[] {
    return this.hists.map((h, t) => pointOf(t, h, this.counts[t]!, this.errors[t]!));
  }
}

function pointOf(t: number, h: Histogram, count: number, errors: number): SecondPoint {
  // Percentiles only: the mean walks every bucket, and a series has one point per second.
  const at = (p: number): number => (h.totalCount === 0 ? 0 : h.getValueAtPercentile(p));
  return { t, count, errors, p50: at(50), p90: at(90), p99: at(99), max: at(100), histogram: encodeHistogram(h) };
}

/**
 * Merge series from workers or machines. `offsets[i]` shifts series i by whole seconds, for runs
 * that started at different wall-clock times.
 */
export function mergeSeries(series: readonly SecondPoint[][], offsets: readonly number[] = []): SecondPoint[] {
  const hists = new Map<number, { h: Histogram; count: number; errors: number }>();
  series.forEach((points, i) => {
    const off = offsets[i] ?? 0;
    for (const p of points) {
      const t = p.t + off;
      let slot = hists.get(t);
      if (!slot) {
        slot = { h: newHistogram(), count: 0, errors: 0 };
        hists.set(t, slot);
      }
      slot.h.add(decodeHistogram(p.histogram));
      slot.count += p.count;
      slot.errors += p.errors;
    }
  });
  return [...hists.entries()].sort((a, b) => a[0] - b[0]).map(([t, s]) => pointOf(t, s.h, s.count, s.errors));
}
