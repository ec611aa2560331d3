#!/usr/bin/env node
/**
 * Builds dist/index.cjs: the engine and the harness's drivers (with undici, eventsource and
 * execa) in one CommonJS file, the form Artillery's `require('artillery-engine-mcp')` loads.
 * Bundling, not a dependency on the harness package: the engine then installs without the
 * harness's tree (the SDK, chart.js, canvas), and Artillery's tree stays out of the harness's.
 * esbuild is the harness's devDependency; this runs from the repository (root `npm run build`).
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(here, 'dist', 'index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Artillery constructs `require(...)` itself: the module is the class
  footer: { js: 'module.exports = module.exports.default;' },
});
