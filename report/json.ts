/** The RunReport as JSON, for machines: the whole model, evidence included. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { escapeJsonText } from './escape.js';
import type { RunReport } from './model.js';

export function renderJson(report: RunReport): string {
  return `${escapeJsonText(JSON.stringify(report, null, 2))}\n`;
}

export async function writeJsonReport(report: RunReport, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderJson(report), 'utf8');
}
