/**
 * A bench run's folder, results/<run>/, as the commands use it: its scenario results read back
 * (the baseline of `bench --baseline`, the inputs of `merge`), and its summary.md printed, the
 * one place `bench` and `merge` show what they wrote.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isScenarioResult, type ScenarioResult } from '../load/result.js';
import { UsageError } from './usage-error.js';

/** The scenario results of a results/<run>/ folder. */
export function readRunFolder(dir: string): ScenarioResult[] {
  if (!existsSync(dir)) throw new UsageError(`no such folder: ${dir}`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'calibration.json');
  if (files.length === 0) throw new UsageError(`${dir} holds no bench results`);
  return files.map((f) => {
    const value: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (!isScenarioResult(value)) throw new UsageError(`${join(dir, f)} is not a bench result of this version`);
    return value as ScenarioResult;
  });
}

/** The folder's Markdown summary on stdout, then one line saying what else is there. */
export function printRunSummary(dir: string, trailer: string): void {
  process.stdout.write(readFileSync(join(dir, 'summary.md'), 'utf8'));
  process.stdout.write(`\n${trailer}\n`);
}
