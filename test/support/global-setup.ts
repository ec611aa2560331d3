/**
 * Once per `vitest run`: bring the stdio reference servers' bundles up to date with dist/
 * (scripts/bundle-stdio.mjs). A stdio proof spawns a server per session, thousands in all; the
 * bundles start in a fraction of the time. Without dist/ or esbuild nothing happens here, and
 * reference-servers/start.ts spawns the unbundled entry instead (correct, only slower).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../cli/self.js';

export default function setup(): void {
  if (process.env.MCP_TARGET || !existsSync(join(PROJECT_ROOT, 'dist', 'reference-servers', 'stdio-main.js'))) return;
  const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle-stdio.mjs'), '--if-stale'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
  if (run.status !== 0) console.warn(`bundle-stdio failed (${run.error?.message ?? `exit ${run.status}`}); stdio servers run unbundled`);
}
