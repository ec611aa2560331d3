/**
 * Where both loops put their samples: the run's latency histogram, the per-second series and
 * the error counts. Samples that started during warm-up are dropped here, in one place.
 * Every completion is recorded, failures included: a request that timed out took that long, and
 * leaving it out would flatter the tail exactly when the server is in trouble.
 */
import type { Outcome } from './errors.js';
import { countError, emptyErrors, type ErrorCounts } from './errors.js';
import type { Histogram } from './histogram.js';
import { encodeHistogram, newHistogram } from './histogram.js';
import type { SecondPoint } from './timeseries.js';
import { TimeSeries } from './timeseries.js';

export interface RecordedRun {
  /** encoded HDR histogram of every measured completion, µs */
  histogram: string;
  errors: ErrorCounts;
  series: SecondPoint[];
  /** completions measured (after warm-up) */
  count: number;
  /** length of the measured window, ms */
  windowMs: number;
  /** requests sent in all, warm-up included */
  sent: number;
  /** open loop only: requests due in the measured window (what the target was offered) */
  offered?: number;
  /** open loop only: encoded histogram of how late each send left after its due time, µs (the generator's own lateness) */
  lag?: string;
}

export class Recorder {
  readonly histogram: Histogram = newHistogram();
  readonly errors: ErrorCounts = emptyErrors();
  private readonly series: TimeSeries;
  private lag: Histogram | undefined;
  count = 0;
  sent = 0;

  /** `measureFromMs`: performance.now() at the end of warm-up. */
  constructor(readonly measureFromMs: number) {
    this.series = new TimeSeries(measureFromMs);
  }

  /** `startMs` is when the request was due (open loop) or sent (closed loop). */
  record(startMs: number, endMs: number, outcome: Outcome): void {
    if (startMs < this.measureFromMs) return;
    let us = Math.round((endMs - startMs) * 1000);
    if (us < 1) us = 1;
    this.histogram.recordValue(us);
    this.series.record(endMs, us, outcome.ok);
    this.count++;
    if (!outcome.ok) countError(this.errors, outcome);
  }

  /** Open loop: how late a send left after its due time. */
  recordLag(dueMs: number, sentMs: number): void {
    if (dueMs < this.measureFromMs) return;
    this.lag ??= newHistogram();
    const us = Math.round((sentMs - dueMs) * 1000);
    this.lag.recordValue(Math.max(us, 1));
  }

  finish(windowEndMs: number): RecordedRun {
    return {
      ...(this.lag ? { lag: encodeHistogram(this.lag) } : {}),
      histogram: encodeHistogram(this.histogram),
      errors: this.errors,
      series: this.series.points(),
      count: this.count,
      windowMs: Math.max(0, windowEndMs - this.measureFromMs),
      sent: this.sent,
    };
  }
}
