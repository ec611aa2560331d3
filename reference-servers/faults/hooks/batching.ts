/** Hooks of the batching faults (faults/batching.ts): the batch seam. */
import type { HookRegistry } from './registry.js';

export const BATCHING_HOOKS = {
  'batch-rejected': () => ({ batch: { accepts: () => false } }),
  // the SDK default
  'batch-any-version': () => ({ batch: { accepts: () => true } }),
  'batch-notifications-answered': () => ({ batch: { answerNotificationsOnly: true } }),
  'empty-batch-array': () => ({ batch: { emptyAsArray: true } }),
  'batch-drops-invalid': () => ({ batch: { dropInvalid: true } }),
} satisfies HookRegistry;
