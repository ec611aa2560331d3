/** Every wait in the harness has a deadline; these are the only primitives for it. */

export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Resolve with the promise's value, or reject with DeadlineError after `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Not unref'd: a deadline is bounded, and an unref'd timer lets the event loop empty mid-wait.
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Poll `predicate` every `stepMs` until it is true or `ms` passes. Returns whether it became true.
 * For conditions with no event to wait on (a process that should have exited, a quiet window).
 */
export async function waitFor(predicate: () => boolean, ms: number, stepMs = 10): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await sleep(stepMs);
  }
  return predicate();
}

/** Default deadlines, in ms. Generous: a verdict must never depend on machine speed. */
export const DEADLINES = {
  request: 10_000,
  connect: 10_000,
  /** How long to listen for a reply that must NOT come (a response to a notification). */
  quietWindow: 1_000,
  processExit: 5_000,
} as const;
