/**
 * `--report FORMAT,… --out DIR`: every format is a file name and a renderer of the one
 * RunReport, listed here once; the CLI and the GitHub Action only name formats. The Markdown
 * summary is also appended to $GITHUB_STEP_SUMMARY when that is set, which is how a workflow
 * step shows it on the run's page.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFormat } from './formats.js';
import { renderBadgeEndpoint, renderBadgeSvg } from './badge.js';
import { renderCtrf } from './ctrf.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './model.js';
import { DEFAULT_SARIF_LOCATION, renderSarif } from './sarif.js';

/** What a renderer may need beyond the report: things only the user knows. */
export interface RenderOptions {
  /** the file SARIF results point at (default package.json) */
  sarifLocation?: string;
}

interface Output {
  file: string;
  render(report: RunReport, opts: RenderOptions): string;
}

export const REPORT_FORMATS = {
  json: [{ file: 'report.json', render: renderJson }],
  junit: [{ file: 'junit.xml', render: renderJunit }],
  md: [{ file: 'summary.md', render: renderMarkdown }],
  badge: [
    { file: 'badge.svg', render: renderBadgeSvg },
    { file: 'badge.json', render: renderBadgeEndpoint },
  ],
  html: [{ file: 'report.html', render: renderHtml }],
  sarif: [{ file: 'report.sarif', render: (report, opts) => renderSarif(report, opts.sarifLocation ?? DEFAULT_SARIF_LOCATION) }],
  ctrf: [{ file: 'ctrf.json', render: renderCtrf }],
} satisfies Record<ReportFormat, readonly Output[]>;

export interface WriteOptions {
  formats: readonly ReportFormat[];
  dir: string;
  /** where the step summary goes; undefined outside GitHub Actions */
  stepSummary?: string;
  render?: RenderOptions;
}

/** Writes the files and returns their paths, in the order the formats were named. */
export async function writeReports(report: RunReport, opts: WriteOptions): Promise<string[]> {
  await mkdir(opts.dir, { recursive: true });
  const written: string[] = [];
  for (const format of opts.formats) {
    for (const output of REPORT_FORMATS[format] as readonly Output[]) {
      const path = join(opts.dir, output.file);
      const text = output.render(report, opts.render ?? {});
      await writeFile(path, text, 'utf8');
      written.push(path);
      if (format === 'md' && opts.stepSummary) await appendFile(opts.stepSummary, text, 'utf8');
    }
  }
  return written;
}
