/**
 * The console renderer: per target, per spec area, one line per check and verdict, and under
 * every fail, warn and error what was expected, what came back, and the wire-log entries that
 * show it. Everything the server controls goes through escapeText; colour is decided by the
 * caller (TTY, NO_COLOR, --no-color), never here.
 */
import type { Verdict } from '../suites/check.js';
import type { WireEntry } from '../drivers/wire-log.js';
import { escapeText } from './escape.js';
import { areaTitle, groupByAreaAndCheck, isOtherTransportSkip, resultsOf } from './group.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { describeRevisions } from './revisions.js';

export interface ConsoleOptions {
  color: boolean;
}

/** Bounds that keep one noisy failure from burying the rest of the report; --json has it all. */
const LIMITS = { entries: 12, payloadLines: 6, lineChars: 200 } as const;

type Paint = (text: string) => string;
interface Palette {
  verdict: Record<Verdict, Paint>;
  bold: Paint;
  dim: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Paint = (text) => text;

function palette(color: boolean): Palette {
  if (!color) {
    return {
      verdict: { pass: plain, fail: plain, warn: plain, info: plain, skip: plain, error: plain, expected: plain },
      bold: plain,
      dim: plain,
    };
  }
  const dim = sgr(2, 22);
  return {
    verdict: { pass: sgr(32, 39), fail: sgr(31, 39), warn: sgr(33, 39), info: sgr(36, 39), skip: dim, error: sgr(35, 39), expected: dim },
    bold: sgr(1, 22),
    dim,
  };
}

/** Upper case for the verdicts that need attention, so they stand out without colour too. */
const VERDICT_LABEL: Record<Verdict, string> = {
  pass: 'pass ',
  fail: 'FAIL ',
  warn: 'WARN ',
  info: 'info ',
  skip: 'skip ',
  error: 'ERROR',
  expected: 'known',
};

const NEEDS_DETAIL: ReadonlySet<Verdict> = new Set(['fail', 'warn', 'error']);

function clip(line: string): string {
  return line.length > LIMITS.lineChars ? `${line.slice(0, LIMITS.lineChars)}…` : line;
}

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

function targetHeading(target: TargetInfo, p: Palette): string[] {
  const server = target.serverInfo
    ? ` · server ${escapeText([target.serverInfo.name, target.serverInfo.version].filter(Boolean).join(' '))}`
    : '';
  return [
    p.bold(`■ ${escapeText(target.label)}`),
    `  ${target.transport} · serves ${describeRevisions(target.supportedRevisions)} · tested ${describeRevisions(target.testedRevisions)}${server}`,
  ];
}

/**
 * One check's results: a line per verdict that needs no detail (revisions merged), a line plus
 * detail per revision that does.
 */
function checkLines(results: readonly CheckResult[], p: Palette): string[] {
  const first = results[0] as CheckResult;
  const lines: string[] = [];
  const line = (verdict: Verdict, revisions: string, note?: string) =>
    `    ${p.verdict[verdict](VERDICT_LABEL[verdict])} ${first.id.padEnd(18)} ${first.level.padEnd(6)} ${first.title}  ${p.dim(`[${revisions}]`)}${note ? ` ${p.dim(`— ${escapeText(note)}`)}` : ''}`;
  const merged = new Map<string, CheckResult[]>();
  for (const r of results) {
    if (NEEDS_DETAIL.has(r.verdict)) continue;
    const key = `${r.verdict}\u0000${r.reason ?? ''}\u0000${r.actual ?? ''}`;
    const list = merged.get(key);
    if (list) list.push(r);
    else merged.set(key, [r]);
  }
  for (const group of merged.values()) {
    const r = group[0] as CheckResult;
    lines.push(line(r.verdict, describeRevisions(group.map((g) => g.revision)), r.reason ?? r.actual));
  }
  for (const r of results) {
    if (!NEEDS_DETAIL.has(r.verdict)) continue;
    lines.push(line(r.verdict, r.revision));
    lines.push(...resultDetail(r).map((l) => `          ${l}`));
  }
  return lines;
}

export function summaryLine(report: RunReport): string {
  const c = report.counts;
  const verdict = report.exitCode === 0 ? 'no MUST check failed' : 'a MUST check failed or a check could not complete';
  const known = c.expected > 0 ? `, ${c.expected} expected` : '';
  return `${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.info} info, ${c.skip} skip, ${c.error} error${known}; ${verdict} (exit ${report.exitCode})`;
}

export function renderConsole(report: RunReport, opts: ConsoleOptions): string {
  const p = palette(opts.color);
  const out: string[] = [p.bold(`mcp-harness ${report.tool.version}: transport conformance, profile ${report.profile}`), ''];
  for (const target of report.targets) {
    out.push(...targetHeading(target, p));
    const all = resultsOf(report, target);
    const results = all.filter((r) => !isOtherTransportSkip(r));
    if (results.length === 0) out.push('  (no check applied)');
    for (const [area, checks] of groupByAreaAndCheck(results)) {
      out.push(`  ${p.bold(areaTitle(area))}`);
      for (const list of checks.values()) out.push(...checkLines(list, p));
    }
    const folded = all.length - results.length;
    if (folded > 0) out.push(p.dim(`  ${folded} checks for other transports skipped (listed in the JSON report)`));
    out.push('');
  }
  out.push(p.bold(summaryLine(report)));
  return `${out.join('\n')}\n`;
}
