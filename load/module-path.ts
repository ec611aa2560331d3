/**
 * Where a sibling module of the engine lives when it must run as its own process (a worker, a
 * server host, a baseline): the .ts source under tsx when the engine itself runs from sources,
 * the compiled .js otherwise, so a process never mixes old and new code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');

export interface NodeModuleCommand {
  /** node's own flags (the tsx loader when running from sources) */
  execArgv: string[];
  file: string;
}

/** `relative` is a path from load/, without extension: "worker-main", "baselines/echo-child". */
export function engineModule(relative: string): NodeModuleCommand {
  return {
    execArgv: fromSources ? ['--import', 'tsx'] : [],
    file: join(here, `${relative}${fromSources ? '.ts' : '.js'}`),
  };
}

/** The argv for spawning it with node: [...execArgv, file, ...args]. */
export function nodeArgs(relative: string, args: readonly string[] = []): string[] {
  const m = engineModule(relative);
  return [...m.execArgv, m.file, ...args];
}
