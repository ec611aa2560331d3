/**
 * CTRF (Common Test Report Format) JSON, which several CI report viewers read: one test per
 * result, named as in JUnit. fail and error are `failed`, skip and known failures `skipped`
 * (the cause in `message`), warn and info `passed` with their detail, as in JUnit and vitest mode.
 */
import { resultDetail } from './detail.js';
import { caseName } from './digest.js';
import { escapeText } from './escape.js';
import type { CheckResult, RunReport } from './model.js';
import { sectionLabel } from '../suites/sections.js';

type Status = 'passed' | 'failed' | 'skipped';

const STATUS: Record<CheckResult['verdict'], Status> = {
  pass: 'passed',
  warn: 'passed',
  info: 'passed',
  fail: 'failed',
  error: 'failed',
  skip: 'skipped',
  expected: 'skipped',
};

export function renderCtrf(report: RunReport): string {
  const tests = report.results.map((r) => {
    const status = STATUS[r.verdict];
    const why = r.verdict === 'expected' ? `expected failure (${r.known?.was}): ${r.known?.reason ?? ''}` : (r.reason ?? r.actual);
    return {
      name: `${caseName(r)} ${r.title}`,
      status,
      duration: r.durationMs,
      suite: sectionLabel(r.id),
      ...(why !== undefined && r.verdict !== 'pass' ? { message: escapeText(why) } : {}),
      ...(status === 'failed' || r.verdict === 'warn' ? { trace: resultDetail(r).join('\n') } : {}),
    };
  });
  const count = (s: Status) => tests.filter((t) => t.status === s).length;
  const start = Date.parse(report.startedAt);
  return `${JSON.stringify(
    {
      results: {
        tool: { name: 'mcp-harness', version: report.tool.version },
        summary: {
          tests: tests.length,
          passed: count('passed'),
          failed: count('failed'),
          pending: 0,
          skipped: count('skipped'),
          other: 0,
          start,
          stop: start + report.durationMs,
        },
        tests,
      },
    },
    null,
    2,
  )}\n`;
}
