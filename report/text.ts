/**
 * The small pieces of wording every human-facing renderer shares (the console, the progress
 * lines, the bench's Markdown), so that a count or a clipped line reads the same everywhere.
 * Escaping is not here: report/escape.ts is the one definition of unsafe text.
 */
import type { VerdictCounts } from './model.js';

/** At most `max` characters, with an ellipsis when some were cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** "3 pass, 1 fail, 0 warn, 0 info, 2 skip, 0 error": every verdict, always in this order. */
export function countsText(c: VerdictCounts): string {
  return `${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.info} info, ${c.skip} skip, ${c.error} error`;
}
