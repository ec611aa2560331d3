/**
 * The one time base of a report: whole milliseconds after the run's `startedAt`. The runner
 * stamps results and phases with it, and the CLI the phases around a run (starting a reference
 * server, stopping it), so that every offset in a report counts from the same instant.
 */
import type { TargetPhase } from './model.js';

export class RunClock {
  /** the run's start, epoch ms */
  readonly origin: number;

  constructor(origin: number = Date.now()) {
    this.origin = origin;
  }

  offset(): number {
    return Math.max(0, Math.round(Date.now() - this.origin));
  }

  /** The phase that began at `startOffsetMs` and ends now. */
  phase(name: TargetPhase['name'], startOffsetMs: number): TargetPhase {
    return { name, startOffsetMs, durationMs: Math.max(0, this.offset() - startOffsetMs) };
  }
}
