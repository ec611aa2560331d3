/**
 * `--report FORMAT,… --out DIR` of `mcp-harness test`: the options, their checking, and the
 * one call test-command makes once the report is built. Kept out of test-command so that the
 * CI outputs grow here without touching the run itself.
 */
import type { Command } from 'commander';
import { escapeText } from '../report/escape.js';
import type { RunReport } from '../report/model.js';
import { isReportFormat, REPORT_FORMATS, type ReportFormat, writeReports } from '../report/write-reports.js';
import { writeExpectedFailures } from './expected-failures.js';
import { collect } from './options.js';
import type { ProgressStream } from './progress.js';
import { UsageError } from './usage-error.js';

export interface ReportFlags {
  report?: string[];
  out?: string;
}

export const DEFAULT_OUT_DIR = 'results';

export function registerReportOptions(command: Command): Command {
  return command
    .option('--report <formats>', `write reports: ${Object.keys(REPORT_FORMATS).join(', ')} (repeatable, or a comma list)`, collect)
    .option('--out <dir>', `the folder --report writes into (default ${DEFAULT_OUT_DIR})`);
}

export function parseReportFormats(values: readonly string[]): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    if (!isReportFormat(name)) throw new UsageError(`unknown report format "${name}"; known: ${Object.keys(REPORT_FORMATS).join(', ')}`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Checked before the run starts, so a typo costs nothing. */
export function checkReportFlags(flags: ReportFlags): ReportFormat[] {
  const formats = parseReportFormats(flags.report ?? []);
  if (flags.out !== undefined && formats.length === 0) throw new UsageError('--out names the folder for --report: give --report FORMAT');
  return formats;
}

/** Everything a finished run writes besides the console report; stderr says what went where. */
export async function emitReports(
  report: RunReport,
  flags: ReportFlags & { writeExpectedFailures?: string },
  io: { stderr: ProgressStream; env: NodeJS.ProcessEnv },
): Promise<void> {
  for (const stale of report.staleExpectations ?? []) {
    const where = [stale.transport, stale.revision].filter(Boolean).join(' ');
    io.stderr.write(`mcp-harness: stale expected failure: ${stale.id}${where ? ` [${where}]` : ''} now passes (${escapeText(stale.reason)})\n`);
  }
  if (flags.writeExpectedFailures !== undefined) {
    const n = await writeExpectedFailures(report, flags.writeExpectedFailures);
    io.stderr.write(`mcp-harness: ${n} expected failures written to ${flags.writeExpectedFailures}\n`);
  }
  const formats = checkReportFlags(flags);
  if (formats.length === 0) return;
  const written = await writeReports(report, { formats, dir: flags.out ?? DEFAULT_OUT_DIR, stepSummary: io.env.GITHUB_STEP_SUMMARY });
  io.stderr.write(`mcp-harness: reports written: ${written.join(', ')}\n`);
  if (formats.includes('md') && io.env.GITHUB_STEP_SUMMARY) io.stderr.write('mcp-harness: Markdown summary appended to $GITHUB_STEP_SUMMARY\n');
}
