/**
 * The Markdown summary, made for $GITHUB_STEP_SUMMARY: the headline and totals, then MUST
 * failures with their evidence, then SHOULD failures, then the passes folded away. A step
 * summary is capped (1 MiB on GitHub), so the number of detailed failures is bounded and the
 * JSON report named for the rest.
 */
import { resultDetail } from './detail.js';
import {
  byCheck,
  caseName,
  coverage,
  headline,
  inCatalogOrder,
  isMustFailure,
  isShouldFailure,
  resultsOf,
  standingOf,
  tally,
  targetLabelOf,
} from './digest.js';
import { mdFence, mdInline } from './markdown-text.js';
import type { CheckResult, RunReport } from './model.js';
import { describeRevisions } from './revisions.js';
import { sectionLabel } from '../suites/sections.js';

/** Failures shown with their evidence; past this, one line each. */
const DETAILED = 40;

const STANDING_MARK = { red: '🔴', amber: '🟠', green: '🟢' } as const;

function failureBlock(r: CheckResult): string[] {
  const target = targetLabelOf(r);
  return [
    `#### ${r.verdict === 'error' ? 'ERROR' : r.verdict === 'warn' ? 'WARN' : 'FAIL'} \`${r.id}\` ${mdInline(r.title)} — ${r.transport} ${r.revision}${target ? ` — ${mdInline(target)}` : ''}`,
    '',
    `> **${r.level}**: ${mdInline(r.requirement)}`,
    '',
    '<details><summary>expected, actual and wire log</summary>',
    '',
    mdFence(resultDetail(r)),
    '',
    '</details>',
    '',
  ];
}

function failureSection(title: string, results: CheckResult[]): string[] {
  if (results.length === 0) return [];
  const out = [`### ${title} (${results.length})`, ''];
  for (const r of results.slice(0, DETAILED)) out.push(...failureBlock(r));
  const rest = results.slice(DETAILED);
  if (rest.length > 0) {
    out.push(`and ${rest.length} more (the JSON report has their evidence):`, '');
    for (const r of rest) out.push(`- \`${caseName(r)}\` ${mdInline(r.title)}`);
    out.push('');
  }
  return out;
}

function targetTable(report: RunReport): string[] {
  const rows = report.targets.map((t) => {
    const rs = resultsOf(report, t);
    const n = (v: CheckResult['verdict']) => rs.filter((r) => r.verdict === v).length;
    return `| ${mdInline(t.label)} | ${t.transport} | ${describeRevisions(t.testedRevisions)} | ${n('pass')} | ${n('fail')} | ${n('warn')} | ${n('info')} | ${n('skip')} | ${n('error')} | ${n('expected')} |`;
  });
  return [
    '| target | transport | tested | pass | fail | warn | info | skip | error | expected |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
    '',
  ];
}

/** Known failures in one folded list with their reasons; stale ones (now passing) in the open. */
function knownSection(report: RunReport, known: CheckResult[]): string[] {
  const out: string[] = [];
  const stale = report.staleExpectations ?? [];
  if (stale.length > 0) {
    out.push(`### Stale expected failures (${stale.length}): these pass now; take them off the list`, '');
    for (const s of stale)
      out.push(
        `- \`${s.id}\`${s.transport || s.revision ? ` ${[s.transport, s.revision].filter(Boolean).join(' ')}` : ''}: ${mdInline(s.reason)}`,
      );
    out.push('');
  }
  if (known.length > 0) {
    out.push(`<details><summary>${known.length} expected failures (listed as known)</summary>`, '');
    for (const r of known) out.push(`- \`${caseName(r)}\` ${r.known?.was ?? ''}: ${mdInline(r.known?.reason ?? '')}`);
    out.push('', '</details>', '');
  }
  return out;
}

/** Passes, one line per catalog section, each check with where it passed; folded by default. */
function passSection(results: CheckResult[]): string[] {
  const passes = results.filter((r) => r.verdict === 'pass');
  if (passes.length === 0) return [];
  const out = [`<details><summary>${passes.length} passed</summary>`, ''];
  let section = '';
  for (const group of byCheck(passes)) {
    const label = sectionLabel(group.id);
    if (label !== section) {
      section = label;
      out.push('', `**${mdInline(label)}**`, '');
    }
    out.push(`- \`${group.id}\` ${mdInline(group.title)} (${coverage(group.results)})`);
  }
  out.push('', '</details>', '');
  return out;
}

export function renderMarkdown(report: RunReport): string {
  const t = tally(report);
  const ordered = inCatalogOrder(report.results);
  const out = [
    `## ${STANDING_MARK[standingOf(t)]} MCP transports: ${mdInline(headline(t))}`,
    '',
    `**${t.mustFailed} MUST failed** · ${t.shouldFailed} SHOULD failed · ${report.counts.expected} expected · ${t.passed} of ${t.judged} judged results passed · ${t.skipped} skipped · profile ${report.profile} · mcp-harness ${mdInline(report.tool.version)}`,
    '',
    ...targetTable(report),
    ...failureSection('MUST failures', ordered.filter(isMustFailure)),
    ...failureSection('SHOULD failures', ordered.filter(isShouldFailure)),
    ...knownSection(
      report,
      ordered.filter((r) => r.verdict === 'expected'),
    ),
    ...passSection(ordered),
  ];
  return `${out.join('\n')}\n`;
}
