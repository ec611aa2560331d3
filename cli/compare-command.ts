/**
 * `mcp-harness compare OLD.json NEW.json [--format console|md]`: what broke, and what got fixed,
 * between two JSON reports. Exit 1 when a MUST check newly fails (so CI can gate on it), 0
 * otherwise, 2 when a file is not a report.
 */
import { readFile } from 'node:fs/promises';
import { renderCompareConsole, renderCompareMarkdown } from '../report/compare.js';
import { diffRuns, hasNewMustFailure } from '../report/diff.js';
import type { RunReport } from '../report/model.js';
import { UsageError } from './usage-error.js';

async function readReport(file: string): Promise<RunReport> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read report ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const r = doc as Partial<RunReport> | null;
  if (typeof r?.schemaVersion !== 'number' || !Array.isArray(r.results) || !Array.isArray(r.targets) || typeof r.startedAt !== 'string') {
    throw new UsageError(`${file} is not an mcp-harness JSON report (--report json or --json writes one)`);
  }
  return r as RunReport;
}

export async function runCompare(
  oldFile: string,
  newFile: string,
  format: string,
  stdout: { write(text: string): unknown },
): Promise<number> {
  if (format !== 'console' && format !== 'md') throw new UsageError(`--format must be console or md, not "${format}"`);
  const diff = diffRuns(await readReport(oldFile), await readReport(newFile));
  stdout.write(format === 'md' ? renderCompareMarkdown(diff) : renderCompareConsole(diff));
  return hasNewMustFailure(diff) ? 1 : 0;
}
