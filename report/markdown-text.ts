/**
 * Server-controlled text inside Markdown (a GitHub step summary or PR comment renders HTML and
 * Markdown): inline text has its control characters escaped, then HTML and Markdown
 * metacharacters neutralised; blocks go in a code fence longer than any backtick run they hold.
 * Every Markdown renderer (summary, compare) uses these two, and only these two.
 */
import { escapeText } from './escape.js';

/** One line of inline text that renders as exactly itself. */
export function mdInline(text: string): string {
  return escapeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}

/** Lines (already escaped for the terminal by their maker) as a fenced block nothing can close early. */
export function mdFence(lines: readonly string[]): string {
  const runs = lines.join('\n').match(/`+/g) ?? [];
  const longest = Math.max(0, ...runs.map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}
