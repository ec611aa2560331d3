/** A mistake in how the harness was invoked (flags, config file, names): exit code 2, never 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
