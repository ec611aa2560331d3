/**
 * How to run this harness's own CLI as a child process (the stdio reference servers are the
 * harness itself, `mcp-harness serve --server sdk-stdio`). From the compiled package that is
 * `node dist/cli/main.js`; from the TypeScript sources (tests) it is `node --import tsx cli/main.ts`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');

/** The project root (the folder with package.json), whether running from sources or dist. */
export const PROJECT_ROOT = fromSources ? join(here, '..') : join(here, '..', '..');

export function selfCommand(): { command: string; args: string[] } {
  const compiled = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
  // Prefer the compiled CLI even from sources: it starts in a fraction of tsx's time, and
  // `npm test` builds first. Fall back to tsx when there is no build.
  if (existsSync(compiled)) return { command: process.execPath, args: [compiled] };
  return { command: process.execPath, args: ['--import', 'tsx', join(PROJECT_ROOT, 'cli', 'main.ts')] };
}
