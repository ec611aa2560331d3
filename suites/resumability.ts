/** Placeholder: filled by the issue-3 work on this area. */
import type { Check } from './check.js';

export const resumabilityChecks: readonly Check[] = [];
