/**
 * The knee search: the highest arrival rate a target sustains (p99 under a bound, errors under a
 * share, and the requests due actually completed). Doubling until a rate fails (twice in a row),
 * then bisecting between the last pass and the first fail; bounded by a step count and a maximum
 * rate.
 */
import type { KneeSearch } from '../scenarios/types.js';

export interface RateMeasurement {
  p99Us: number;
  errorRate: number;
  /** completions per second actually measured */
  throughput: number;
  /** requests completed in the window, and requests that were due in it */
  completed: number;
  offered: number;
}

export interface KneeStep extends RateMeasurement {
  rate: number;
  pass: boolean;
  /** why it failed */
  reason?: string;
  /** a second measurement of a rate whose first one failed */
  retry?: boolean;
}

export interface KneeResult {
  /** highest rate that passed, or undefined when even the lowest rate tried failed */
  knee: number | undefined;
  steps: KneeStep[];
}

/** A rate is sustained when this share of the requests due in the window completed in it. */
const ACHIEVED_SHARE = 0.9;

export function judge(rate: number, m: RateMeasurement, k: KneeSearch): KneeStep {
  const reasons: string[] = [];
  if (m.p99Us > k.p99BoundMs * 1000) reasons.push(`p99 ${(m.p99Us / 1000).toFixed(1)} ms > ${k.p99BoundMs} ms`);
  if (m.errorRate > k.maxErrorRate) reasons.push(`errors ${(m.errorRate * 100).toFixed(2)} % > ${(k.maxErrorRate * 100).toFixed(2)} %`);
  if (m.completed < m.offered * ACHIEVED_SHARE) reasons.push(`completed ${m.completed} of ${m.offered} requests due`);
  const step: KneeStep = { rate, ...m, pass: reasons.length === 0 };
  if (reasons.length > 0) step.reason = reasons.join('; ');
  return step;
}

export async function findKnee(
  k: KneeSearch,
  measure: (rate: number) => Promise<RateMeasurement>,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<KneeResult> {
  const steps: KneeStep[] = [];
  let pass: number | undefined;
  let fail: number | undefined;
  let rate = Math.min(k.startRate, k.maxRate);
  while (steps.length < k.maxSteps) {
    let step = judge(rate, await measure(rate), k);
    steps.push(step);
    // One noisy window (a neighbour's burst, a GC pause) must not set the knee: a failed rate
    // is measured once more, and fails only if it fails again.
    if (!step.pass && steps.length < k.maxSteps) {
      await pause(k.cooldownMs);
      step = { ...judge(rate, await measure(rate), k), retry: true };
      steps.push(step);
    }
    if (!step.pass) await pause(k.cooldownMs);
    if (step.pass) pass = rate;
    else fail = rate;
    let next: number;
    if (fail === undefined) {
      if (rate >= k.maxRate) break; // sustained the maximum: that is the answer
      next = Math.min(rate * 2, k.maxRate);
    } else if (pass === undefined) {
      if (rate <= k.minRate) break;
      next = Math.max(k.minRate, rate / 2);
    } else {
      if ((fail - pass) / pass <= k.resolution) break;
      next = (pass + fail) / 2;
    }
    rate = Math.round(next);
    if (steps.some((s) => s.rate === rate)) break;
  }
  return { knee: pass, steps };
}
