/**
 * The console renderer: per target, per catalog section, one line per row of report/layout.ts, and
 * under every fail, warn and error the detail of report/detail.ts. It only paints: what goes
 * where is layout's, the detail text is detail's. Everything the server controls goes through
 * escapeText; colour is decided by the caller (TTY, NO_COLOR, --no-color), never here.
 */
import type { Verdict } from '../suites/check.js';
import { resultDetail } from './detail.js';
import { escapeText } from './escape.js';
import { groupBySectionAndCheck } from './group.js';
import { checkRows, isOtherTransportSkip, type Row, resultsByTarget } from './layout.js';
import type { CheckResult, RunReport, TargetInfo } from './model.js';
import { describeRevisions } from './revisions.js';
import { countsText } from './text.js';

export interface ConsoleOptions {
  color: boolean;
}

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

function targetHeading(target: TargetInfo, p: Palette): string[] {
  const server = target.serverInfo
    ? ` · server ${escapeText([target.serverInfo.name, target.serverInfo.version].filter(Boolean).join(' '))}`
    : '';
  return [
    p.bold(`■ ${escapeText(target.label)}`),
    `  ${target.transport} · serves ${describeRevisions(target.supportedRevisions)} · tested ${describeRevisions(target.testedRevisions)}${server}`,
  ];
}

function rowLines(check: CheckResult, row: Row, p: Palette): string[] {
  const revisions = row.detailed ? row.detailed.revision : describeRevisions(row.revisions);
  const note = row.note === undefined ? '' : ` ${p.dim(`— ${escapeText(row.note)}`)}`;
  const line = `    ${p.verdict[row.verdict](VERDICT_LABEL[row.verdict])} ${check.id.padEnd(18)} ${check.level.padEnd(6)} ${check.title}  ${p.dim(`[${revisions}]`)}${note}`;
  return row.detailed ? [line, ...resultDetail(row.detailed).map((l) => `          ${l}`)] : [line];
}

export function summaryLine(report: RunReport): string {
  const verdict = report.exitCode === 0 ? 'no MUST check failed' : 'a MUST check failed or a check could not complete';
  return `${countsText(report.counts)}; ${verdict} (exit ${report.exitCode})`;
}

export function renderConsole(report: RunReport, opts: ConsoleOptions): string {
  const p = palette(opts.color);
  const out: string[] = [p.bold(`mcp-harness ${report.tool.version}: transport conformance, profile ${report.profile}`), ''];
  const byTarget = resultsByTarget(report);
  report.targets.forEach((target, index) => {
    out.push(...targetHeading(target, p));
    const all = byTarget[index] ?? [];
    const results = all.filter((r) => !isOtherTransportSkip(r));
    if (results.length === 0) out.push('  (no check applied)');
    for (const group of groupBySectionAndCheck(results)) {
      out.push(`  ${p.bold(group.heading)}`);
      for (const list of group.checks.values()) {
        const first = list[0] as CheckResult;
        for (const row of checkRows(list)) out.push(...rowLines(first, row, p));
      }
    }
    const folded = all.length - results.length;
    if (folded > 0) out.push(p.dim(`  ${folded} checks for other transports skipped (listed in the JSON report)`));
    out.push('');
  });
  out.push(p.bold(summaryLine(report)));
  return `${out.join('\n')}\n`;
}
