#!/usr/bin/env node
/**
 * Build step: writes dist/suites/check-locations.json, the file:line of every check, so that
 * `mcp-harness list checks` can say where a check lives when it runs from dist/, where the .ts
 * sources are absent (a published package has only dist/). The scan itself is suites/locations.ts,
 * compiled by the tsc step that runs before this script; this script only writes its result.
 *
 * Usage: node scripts/check-locations.mjs (npm run build runs it).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(ROOT, 'dist', 'suites');
const { LOCATIONS_FILE, scanCheckLocations } = await import(pathToFileURL(join(compiled, 'locations.js')).href);

const locations = scanCheckLocations(join(ROOT, 'suites'));
writeFileSync(join(compiled, LOCATIONS_FILE), `${JSON.stringify(locations, null, 1)}\n`);
console.error(`check-locations: ${Object.keys(locations).length} checks located`);
