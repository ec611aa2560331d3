/**
 * CPU pinning with taskset (util-linux), so that a benchmark's server and generator do not
 * compete for one core. Absent taskset, nothing is pinned and the report says so.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

let available: boolean | undefined;

export function tasksetAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('taskset', ['--version'], { stdio: 'ignore', timeout: 5000 });
    available = r.status === 0;
  }
  return available;
}

/** Pin every thread of `pid` to the CPU list (e.g. "0" or "1-3"). Returns whether it worked. */
export function pinProcess(pid: number, cpus: string): boolean {
  if (!tasksetAvailable()) return false;
  const r = spawnSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

export interface PinPlan {
  server: string;
  generator: string;
}

/**
 * Server on the first CPU, generator on the rest (at least one each); undefined when there is
 * one CPU or no taskset.
 */
export function defaultPinPlan(): PinPlan | undefined {
  const cpus = availableParallelism();
  if (cpus < 2 || !tasksetAvailable()) return undefined;
  return { server: '0', generator: cpus === 2 ? '1' : `1-${cpus - 1}` };
}
