#!/usr/bin/env node
/**
 * One-off check, not a test (the catalog lies outside the repository, and CI must not depend on
 * it): compares the sections table (suites/sections.ts, as built in dist/) with the catalog,
 * ../shared/spec-requirements.md by default. For each numbered section it compares the heading
 * anchor and the server-row IDs (every table row whose ID does not start with C-), in order.
 * Prints each difference and exits 1 when there is one.
 *
 * Usage: npm run build && node scripts/compare-sections.mjs [CATALOG.md]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const catalogPath = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'spec-requirements.md'));
const { SECTIONS } = await import(pathToFileURL(join(ROOT, 'dist', 'suites', 'sections.js')).href);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const catalog = new Map();
let current;
for (const line of readFileSync(catalogPath, 'utf8').split('\n')) {
  const heading = /^## (\d+)\. (.*)$/.exec(line);
  if (heading) {
    current = { anchor: slug(`${heading[1]}. ${heading[2]}`), ids: [] };
    catalog.set(Number(heading[1]), current);
    continue;
  }
  const row = /^\| ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) \|/.exec(line);
  if (row && current && !row[1].startsWith('C-')) current.ids.push(row[1]);
}

const problems = [];
for (const section of SECTIONS) {
  if (section.anchor === undefined) {
    console.log(`section ${section.number} (${section.file}): the harness's own, not in the catalog; skipped`);
    continue;
  }
  const found = catalog.get(section.number);
  if (!found) {
    problems.push(`section ${section.number}: not in the catalog`);
    continue;
  }
  if (found.anchor !== section.anchor) problems.push(`section ${section.number}: anchor ${section.anchor}, catalog #${found.anchor}`);
  const want = found.ids.join(' ');
  const have = section.ids.join(' ');
  if (want !== have) problems.push(`section ${section.number}: ids differ\n  table:   ${have}\n  catalog: ${want}`);
  else console.log(`section ${section.number} (${section.file}): ${section.ids.length} server rows, same order as the catalog`);
}
for (const [number, found] of catalog) {
  if (found.ids.length > 0 && !SECTIONS.some((s) => s.number === number && s.anchor !== undefined)) {
    problems.push(`catalog section ${number} has server rows but no entry in the table`);
  }
}
for (const p of problems) console.log(`DIFFERENT ${p}`);
console.log(problems.length === 0 ? `the sections table matches ${catalogPath}` : `${problems.length} differences`);
process.exitCode = problems.length === 0 ? 0 : 1;
