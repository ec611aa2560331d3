/**
 * `mcp-harness merge <dir...> --out <dir>`: runs taken at the same time on several machines
 * become one result. Per scenario and target, phase by phase, histograms are added (HDR merges
 * exactly), errors and counts add, throughputs add, per-second series align on wall-clock time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

export async function runMergeCommand(dirs: string[], flags: { out: string; charts?: boolean }): Promise<number> {
  const { mergeResults } = await import('../load/merge-results.js');
  const { writeRun } = await import('../load/bench.js');
  if (dirs.length < 2) throw new UsageError('merge wants at least two run folders');
  const runs = dirs.map((dir) => readRunFolder(dir));
  const merged = mergeResults(runs, basename(flags.out));
  const files = await writeRun(flags.out, merged, [], flags.charts !== false);
  process.stdout.write(readFileSync(join(flags.out, 'summary.md'), 'utf8'));
  process.stdout.write(`\nmerged ${dirs.length} runs into ${flags.out} (${files.length} files)\n`);
  return 0;
}
