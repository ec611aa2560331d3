/**
 * Merging phase results taken at the same time by several generators (worker processes, or
 * machines): histograms add exactly, errors and counts add, throughput adds (same window),
 * per-second series align on wall-clock seconds.
 */
import { mergeErrors } from './errors.js';
import { encodeHistogram, mergeEncoded } from './histogram.js';
import type { PhaseResult } from './phase.js';
import type { RecordedRun } from './recorder.js';
import { sumUsage } from './resources.js';
import { mergeSeries } from './timeseries.js';

function mergeOptional(parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length === 0 ? undefined : encodeHistogram(mergeEncoded(present));
}

/** Whole-second offsets that line series up by their wall-clock start. */
export function secondOffsets(startsEpochMs: readonly number[]): number[] {
  const first = Math.min(...startsEpochMs);
  return startsEpochMs.map((s) => Math.round((s - first) / 1000));
}

export function mergeRuns(runs: readonly RecordedRun[], startsEpochMs?: readonly number[]): RecordedRun {
  const offsets = startsEpochMs ? secondOffsets(startsEpochMs) : [];
  const merged: RecordedRun = {
    histogram: encodeHistogram(mergeEncoded(runs.map((r) => r.histogram))),
    errors: mergeErrors(runs.map((r) => r.errors)),
    series: mergeSeries(
      runs.map((r) => r.series),
      offsets,
    ),
    count: runs.reduce((a, r) => a + r.count, 0),
    // Runs taken side by side share one window; the longest is the honest denominator.
    windowMs: Math.max(...runs.map((r) => r.windowMs)),
    sent: runs.reduce((a, r) => a + r.sent, 0),
  };
  const lag = mergeOptional(runs.map((r) => r.lag));
  if (lag) merged.lag = lag;
  return merged;
}

export function mergePhaseResults(results: readonly PhaseResult[]): PhaseResult {
  if (results.length === 1) return results[0]!;
  const starts = results.map((r) => r.startedAtEpochMs);
  const out: PhaseResult = {
    run: mergeRuns(
      results.map((r) => r.run),
      starts,
    ),
    generator: sumUsage(results.map((r) => r.generator))!,
    hasSessions: results.some((r) => r.hasSessions),
    startedAtEpochMs: Math.min(...starts),
  };
  const server = sumUsage(results.map((r) => r.server));
  if (server) out.server = server;
  const init = mergeOptional(results.map((r) => r.initialize));
  if (init) out.initialize = init;
  const progress = results.map((r) => r.progress).filter((p) => p !== undefined);
  if (progress.length > 0) {
    out.progress = {
      firstEvent: mergeOptional(progress.map((p) => p.firstEvent))!,
      gap: mergeOptional(progress.map((p) => p.gap))!,
      events: progress.reduce((a, p) => a + p.events, 0),
      expected: progress.reduce((a, p) => a + p.expected, 0),
    };
  }
  return out;
}
