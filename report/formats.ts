/**
 * The names of the --report formats, alone, so the CLI can list and check them without loading
 * the renderers (and their packages) at start-up; report/write-reports.ts maps each to files.
 */
export const REPORT_FORMAT_NAMES = ['json', 'junit', 'md', 'badge', 'html', 'sarif', 'ctrf'] as const;
export type ReportFormat = (typeof REPORT_FORMAT_NAMES)[number];

export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMAT_NAMES as readonly string[]).includes(name);
}
