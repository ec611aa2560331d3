/**
 * The comparison of two runs (report/diff.ts) for people: in the console, and in Markdown for a
 * pull request's step summary or comment. Both list the same groups in the same order with the
 * same words (`lines` below); only the markup differs.
 */
import { caseName, targetLabelOf } from './digest.js';
import type { Change, RunDiff } from './diff.js';
import { escapeText } from './escape.js';
import { mdInline } from './markdown-text.js';

interface Group {
  title: string;
  changes: Change[];
}

function groups(diff: RunDiff): Group[] {
  return [
    { title: 'newly failing', changes: diff.newlyFailing },
    { title: 'newly passing', changes: diff.newlyPassing },
    { title: 'changed (failing in both, differently)', changes: diff.changed },
  ];
}

/** Where a change happened and how, as plain (unescaped) text fragments: the renderers escape. */
function describe(c: Change): { name: string; title: string; target?: string; was: string; now: string } {
  const r = (c.new ?? c.old) as NonNullable<Change['new']>;
  const show = (x: Change['new']) =>
    x ? `${x.verdict}${x.actual !== undefined ? `: ${x.actual}` : x.reason !== undefined ? `: ${x.reason}` : ''}` : 'not run';
  const target = targetLabelOf(r);
  return { name: `${r.level} ${caseName(r)}`, title: r.title, ...(target ? { target } : {}), was: show(c.old), now: show(c.new) };
}

function headline(diff: RunDiff): string {
  return `${diff.newlyFailing.length} newly failing, ${diff.newlyPassing.length} newly passing, ${diff.changed.length} changed, ${diff.stillFailing} still failing as before`;
}

export function renderCompareConsole(diff: RunDiff): string {
  const out = [`mcp-harness compare: ${diff.oldStartedAt} → ${diff.newStartedAt}`, ''];
  for (const g of groups(diff)) {
    if (g.changes.length === 0) continue;
    out.push(`${g.title} (${g.changes.length}):`);
    for (const c of g.changes) {
      const d = describe(c);
      out.push(`  ${d.name} ${d.title}${d.target ? ` — ${escapeText(d.target)}` : ''}`);
      out.push(`      was: ${escapeText(d.was)}`, `      now: ${escapeText(d.now)}`);
    }
    out.push('');
  }
  out.push(headline(diff));
  return `${out.join('\n')}\n`;
}

export function renderCompareMarkdown(diff: RunDiff): string {
  const mark = diff.newlyFailing.length > 0 ? '🔴' : '🟢';
  const out = [
    `## ${mark} MCP transports since the last run: ${headline(diff)}`,
    '',
    `${mdInline(diff.oldStartedAt)} → ${mdInline(diff.newStartedAt)}`,
    '',
  ];
  for (const g of groups(diff)) {
    if (g.changes.length === 0) continue;
    out.push(`### ${g.title} (${g.changes.length})`, '', '| check | target | was | now |', '|---|---|---|---|');
    for (const c of g.changes) {
      const d = describe(c);
      out.push(`| ${mdInline(d.name)} ${mdInline(d.title)} | ${mdInline(d.target ?? '')} | ${mdInline(d.was)} | ${mdInline(d.now)} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
