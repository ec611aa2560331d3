/**
 * Latency histograms: HDR, in integer microseconds, 3 significant digits. HDR histograms merge
 * exactly (bucket counts add), so workers and machines send their encoded histograms and the
 * merged percentiles are the true percentiles of the union, not an average of percentiles.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** The percentiles every report shows, in microseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** 1 µs to 1 hour; autoResize only as a safety net (a longer latency is a timeout anyway). */
const HIGHEST_US = 3_600_000_000;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
}

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: h.totalCount,
    min: h.minNonZeroValue,
    mean: Math.round(h.mean),
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    // from the buckets, like the percentiles, so a decoded or merged histogram reports the same max
    max: h.getValueAtPercentile(100),
  };
}

/** Compressed base64 (the HdrHistogram interchange format), so other HDR tools can read it too. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Exact merge: a new histogram holding every count of every input. */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const out = newHistogram();
  for (const p of parts) out.add(p);
  return out;
}

export function mergeEncoded(parts: readonly string[]): Histogram {
  return mergeHistograms(parts.map(decodeHistogram));
}

/** Share of recorded values at or above `us` (0..1): for assertions on distributions. */
export function shareAtOrAbove(h: Histogram, us: number): number {
  if (h.totalCount === 0) return 0;
  // build() always gives a JsHistogram (no WebAssembly), which exposes its bucket iterator.
  const it = (h as unknown as hdr.JsHistogram).recordedValuesIterator;
  it.reset();
  let above = 0;
  while (it.hasNext()) {
    const v = it.next();
    if (v.valueIteratedTo >= us) above += v.countAtValueIteratedTo;
  }
  return above / h.totalCount;
}
