/**
 * What a finished `mcp-harness test` writes besides the console report: `--report FORMAT,…
 * --out DIR` (checked before the run) and `--write-expected-failures`. The options are
 * registered in ci-options.ts; test-command makes one call here, so the CI outputs grow without
 * touching the run itself.
 */
import { escapeText } from '../report/escape.js';
import type { RunReport } from '../report/model.js';
import { isReportFormat, REPORT_FORMAT_NAMES, type ReportFormat } from '../report/formats.js';
import { writeReports } from '../report/write-reports.js';
import { DEFAULT_OUT_DIR } from './ci-options.js';
import { writeExpectedFailures } from './expected-failures.js';
import type { ProgressStream } from './progress.js';
import { UsageError } from './usage-error.js';

export interface ReportFlags {
  report?: string[];
  out?: string;
  sarifLocation?: string;
}

export function parseReportFormats(values: readonly string[]): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    if (!isReportFormat(name)) throw new UsageError(`unknown report format "${name}"; known: ${REPORT_FORMAT_NAMES.join(', ')}`);
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
    io.stderr.write(
      `mcp-harness: stale expected failure: ${stale.id}${where ? ` [${where}]` : ''} now passes (${escapeText(stale.reason)})\n`,
    );
  }
  if (flags.writeExpectedFailures !== undefined) {
    const n = await writeExpectedFailures(report, flags.writeExpectedFailures);
    io.stderr.write(`mcp-harness: ${n} expected failures written to ${flags.writeExpectedFailures}\n`);
  }
  const formats = checkReportFlags(flags);
  if (formats.length === 0) return;
  const written = await writeReports(report, {
    formats,
    dir: flags.out ?? DEFAULT_OUT_DIR,
    stepSummary: io.env.GITHUB_STEP_SUMMARY,
    render: flags.sarifLocation === undefined ? {} : { sarifLocation: flags.sarifLocation },
  });
  io.stderr.write(`mcp-harness: reports written: ${written.join(', ')}\n`);
  if (formats.includes('md') && io.env.GITHUB_STEP_SUMMARY)
    io.stderr.write('mcp-harness: Markdown summary appended to $GITHUB_STEP_SUMMARY\n');
}
