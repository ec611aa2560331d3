/**
 * Where each check is defined, as `suites/FILE.ts:LINE`, for `mcp-harness list checks`. The
 * locations are read from the sources, not kept by hand: a check's line is the line of its ID
 * literal (`id: 'X',`, or for a check made by a factory `'X',` alone on a line or as the first argument opening a line) in the section file
 * the sections table names. The published CLI has no .ts sources, so the build
 * (scripts/check-locations.mjs) scans them once and writes check-locations.json beside the
 * compiled module; run from source, the module scans its own directory instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECTIONS } from './sections.js';

export interface CheckLocation {
  /** relative to the repository root, e.g. suites/06-streamable-http.ts */
  file: string;
  /** 1-based */
  line: number;
}

export type CheckLocations = Readonly<Record<string, CheckLocation>>;

/** The name of the file the build writes beside the compiled module. */
export const LOCATIONS_FILE = 'check-locations.json';

// `id: 'X',` of a check object; `'X',` alone on a line, or `factory('X', ...` opening a line, for a check a factory makes
const ID_LINE = /^\s*(?:id:\s*|[A-Za-z]\w*\(\s*)?'([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)',(?:\s*$|\s)/;

/** The first line of each check ID in the section files of `suitesDir` (a folder holding the .ts sources). */
export function scanCheckLocations(suitesDir: string): Record<string, CheckLocation> {
  const out: Record<string, CheckLocation> = {};
  for (const section of SECTIONS) {
    if (section.reserved) continue;
    const lines = readFileSync(join(suitesDir, section.file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const id = ID_LINE.exec(text)?.[1];
      if (id !== undefined && out[id] === undefined) out[id] = { file: `suites/${section.file}`, line: i + 1 };
    });
  }
  return out;
}

let cached: CheckLocations | undefined;

/** The locations: from the build's JSON beside this module, else (run from source) by scanning this module's folder. */
export function checkLocations(): CheckLocations {
  if (cached) return cached;
  const here = fileURLToPath(new URL('.', import.meta.url));
  try {
    cached = JSON.parse(readFileSync(join(here, LOCATIONS_FILE), 'utf8')) as CheckLocations;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    try {
      cached = scanCheckLocations(here);
    } catch {
      // a build that skipped scripts/check-locations.mjs: no sources to scan, so no locations
      cached = {};
    }
  }
  return cached;
}

/** "suites/06-streamable-http.ts:123", or "?" when the location is unknown. */
export function describeLocation(location: CheckLocation | undefined): string {
  return location ? `${location.file}:${location.line}` : '?';
}
