/**
 * `mcp-harness merge <dir...> --out <dir>`: runs taken at the same time on several machines
 * become one result. Per scenario and target, phase by phase, histograms are added (HDR merges
 * exactly), errors and counts add, throughputs add, per-second series align on wall-clock time.
 */
import { basename } from 'node:path';
import { printRunSummary, readRunFolder } from './run-folder.js';
import { UsageError } from './usage-error.js';

export async function runMergeCommand(dirs: string[], flags: { out: string; charts?: boolean }): Promise<number> {
  const { mergeResults } = await import('../load/merge-results.js');
  const { writeRun } = await import('../load/bench.js');
  if (dirs.length < 2) throw new UsageError('merge wants at least two run folders');
  const runs = dirs.map((dir) => readRunFolder(dir));
  const merged = mergeResults(runs, basename(flags.out));
  const files = await writeRun(flags.out, merged, [], flags.charts !== false);
  printRunSummary(flags.out, `merged ${dirs.length} runs into ${flags.out} (${files.length} files)`);
  return 0;
}
