/**
 * `mcp-harness list checks` says where each check lives: its catalog section and the file:line
 * of its definition. The built CLI (dist/) has no .ts sources and reads the locations the build
 * wrote; from source they are scanned. Either way the line printed must hold that check's ID.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderList } from '../cli/list-command.js';
import { PROJECT_ROOT } from '../cli/self.js';
import { ALL_CHECKS } from '../suites/index.js';
import { scanCheckLocations } from '../suites/locations.js';
import { sectionOf } from '../suites/sections.js';

interface Row {
  id: string;
  section: string;
  location: string;
}

/** The rows of the checks table: columns are split on runs of two or more spaces. */
function rows(table: string): Row[] {
  const [header, ...lines] = table.trimEnd().split('\n');
  const columns = (header ?? '').split(/\s{2,}/);
  const at = (name: string) => columns.indexOf(name);
  expect(at('SECTION')).toBeGreaterThan(0);
  expect(at('LOCATION')).toBeGreaterThan(0);
  return lines.map((line) => {
    const cells = line.split(/\s{2,}/);
    return { id: cells[0] ?? '', section: cells[at('SECTION')] ?? '', location: cells[at('LOCATION')] ?? '' };
  });
}

const sourceLines = new Map<string, string[]>();
function lineAt(file: string, line: number): string {
  let lines = sourceLines.get(file);
  if (!lines) {
    lines = readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n');
    sourceLines.set(file, lines);
  }
  return lines[line - 1] ?? '';
}

/** Every check listed once, in catalog order, with its section and a file:line whose line holds its ID. */
function expectLocated(table: string): void {
  const listed = rows(table);
  expect(listed.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id));
  for (const row of listed) {
    const section = sectionOf(row.id);
    expect(row.section, row.id).toBe(String(section?.number));
    const m = /^(suites\/[^:]+):(\d+)$/.exec(row.location);
    expect(m, `${row.id}: ${row.location}`).not.toBeNull();
    const [, file, line] = m as RegExpExecArray;
    expect(file, row.id).toBe(`suites/${section?.file}`);
    expect(lineAt(file as string, Number(line)), `${row.id} at ${row.location}`).toMatch(new RegExp(`'${row.id}',`));
  }
}

describe('list checks', () => {
  it('from the built CLI, prints each check with its section and the file:line of its definition', () => {
    const main = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
    if (!existsSync(main)) throw new Error('dist/ is not built: run npm run build (npm test does)');
    const out = execFileSync(process.execPath, [main, 'list', 'checks'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000 });
    expectLocated(out);
  });

  it('from the sources, the same', () => {
    expectLocated(renderList('checks'));
  });

  it('locates a check made by a factory (the passive rows) and one written out, and nothing else', () => {
    const found = scanCheckLocations(join(PROJECT_ROOT, 'suites'));
    expect(Object.keys(found).sort()).toEqual(ALL_CHECKS.map((c) => c.id).sort());
    expect(lineAt(found['RPC-RES-01']!.file, found['RPC-RES-01']!.line).trim()).toBe("'RPC-RES-01',");
    expect(lineAt(found['RPC-MSG-01']!.file, found['RPC-MSG-01']!.line).trim()).toBe("id: 'RPC-MSG-01',");
  });
});
