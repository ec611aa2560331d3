/**
 * A result's detail as plain lines: the reason, what was expected, what came back, and the
 * wire-log entries that show it, escaped and bounded. The console indents and prints these under
 * a fail, warn or error; the vitest target mode puts them in the assertion message. No colour,
 * no layout: that is the caller's.
 */
import type { WireEntry } from '../drivers/wire-log.js';
import { escapeText } from './escape.js';
import type { CheckResult } from './model.js';
import { clip as clipTo } from './text.js';

/** Bounds that keep one noisy failure from burying the rest of the report; --json has it all. */
const LIMITS = { entries: 12, payloadLines: 6, lineChars: 200 } as const;

const clip = (line: string): string => clipTo(line, LIMITS.lineChars);

/** A payload as escaped, bounded lines. CRs stay visible (as \r): framing checks are about them. */
function payloadLines(marker: string, text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const shown = lines.slice(0, LIMITS.payloadLines).map((l) => `${marker} ${clip(escapeText(l))}`);
  if (lines.length > LIMITS.payloadLines) shown.push(`${marker} … ${lines.length - LIMITS.payloadLines} more lines`);
  return shown;
}

/** Hop-by-hop and framing headers say nothing about MCP; leaving them out keeps header lines short. */
const NOISE_HEADERS = new Set(['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding']);

function headerLine(marker: string, headers: Record<string, string> | undefined): string[] {
  const shown = Object.entries(headers ?? {}).filter(([k]) => !NOISE_HEADERS.has(k.toLowerCase()));
  if (shown.length === 0) return [];
  return [`${marker} ${clip(escapeText(shown.map(([k, v]) => `${k}: ${v}`).join(' | ')))}`];
}

/** The entry's summary is often just the start of its one-line payload: then show the payload once. */
function summaryIsPayload(entry: WireEntry): boolean {
  const data = entry.data?.endsWith('\n') ? entry.data.slice(0, -1) : entry.data;
  return data !== undefined && !data.includes('\n') && data.startsWith(entry.summary);
}

function entryLines(entry: WireEntry): string[] {
  const arrow = entry.direction === 'out' ? '>' : entry.direction === 'in' ? '<' : '·';
  const inline = !entry.http && summaryIsPayload(entry);
  const text = inline ? (entry.data as string).replace(/\n$/, '') : entry.summary;
  const head = `#${entry.seq} +${entry.at}ms ${entry.channel} ${arrow} ${clip(escapeText(text))}`;
  const body: string[] = [];
  const http = entry.http;
  if (http) {
    body.push(...headerLine('>', http.requestHeaders));
    body.push(...payloadLines('>', http.requestBody));
    if (http.error) body.push(`! ${clip(escapeText(http.error))}`);
    body.push(...headerLine('<', http.responseHeaders));
    body.push(...payloadLines('<', http.responseBody));
    for (const ev of http.events ?? []) body.push(...payloadLines('<', ev.event ? `event: ${ev.event} ${ev.data}` : ev.data));
  } else if (!inline) {
    body.push(...payloadLines(arrow, entry.data));
  }
  return [head, ...body.slice(0, LIMITS.payloadLines * 3).map((l) => `    ${l}`)];
}

/** Expected, actual and evidence of one result, unindented and uncoloured: also the vitest assertion text. */
export function resultDetail(result: CheckResult): string[] {
  const lines: string[] = [];
  if (result.reason !== undefined) lines.push(`reason:   ${escapeText(result.reason)}`);
  if (result.expected !== undefined) lines.push(`expected: ${escapeText(result.expected)}`);
  if (result.actual !== undefined) lines.push(`actual:   ${escapeText(result.actual)}`);
  if (result.evidence.length > 0) {
    lines.push('evidence:');
    for (const entry of result.evidence.slice(0, LIMITS.entries)) lines.push(...entryLines(entry).map((l) => `  ${l}`));
    const more = result.evidence.length - LIMITS.entries;
    if (more > 0) lines.push(`  … ${more} more entries (the JSON report has them all)`);
  }
  lines.push(`spec:     ${result.spec}`);
  return lines;
}
