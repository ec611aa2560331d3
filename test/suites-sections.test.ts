/**
 * The suite files follow the catalog: one file per section of the sections table, every check in
 * the file of its section, in catalog order, and the report grouped by the same sections. The
 * catalog order is the table's committed `ids` (scripts/compare-sections.mjs compares those with
 * ../shared/spec-requirements.md; the catalog is not read here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../cli/self.js';
import { groupBySectionAndCheck } from '../report/group.js';
import type { CheckResult } from '../report/model.js';
import type { Check } from '../suites/check.js';
import { ALL_CHECKS, CHECKS_BY_FILE } from '../suites/index.js';
import { familiesOf, familyOf, SECTIONS, sectionHeading, sectionOf } from '../suites/sections.js';

const SUITES = join(PROJECT_ROOT, 'suites');
const built = SECTIONS.filter((s) => !s.reserved);

describe('the sections table', () => {
  it('numbers the sections in order, each file named by its zero-padded number', () => {
    expect(SECTIONS.map((s) => s.number)).toEqual(SECTIONS.map((_, i) => i + 1));
    for (const s of SECTIONS) expect(s.file).toMatch(new RegExp(`^${String(s.number).padStart(2, '0')}-[a-z0-9-]+\\.ts$`));
  });

  it('gives every catalog ID and every ID family to exactly one section', () => {
    const ids = SECTIONS.flatMap((s) => s.ids);
    expect(new Set(ids).size).toBe(ids.length);
    const families = SECTIONS.flatMap((s) => familiesOf(s));
    expect(new Set(families).size).toBe(families.length);
    for (const s of SECTIONS) for (const id of s.ids) expect(sectionOf(id)).toBe(s);
  });

  it('keeps the reserved security section free: it holds no IDs and its file does not exist yet', () => {
    const reserved = SECTIONS.filter((s) => s.reserved);
    expect(reserved.map((s) => s.file)).toEqual(['11-security.ts']);
    for (const s of reserved) {
      expect(s.ids).toEqual([]);
      expect(existsSync(join(SUITES, s.file))).toBe(false);
    }
  });

  it('names every suite file that defines checks, and no file it names is missing', () => {
    const defining = readdirSync(SUITES).filter(
      (f) => f.endsWith('.ts') && /readonly Check\[\] = \[/.test(readFileSync(join(SUITES, f), 'utf8')),
    );
    expect(defining.sort()).toEqual(built.map((s) => s.file).sort());
    expect(Object.keys(CHECKS_BY_FILE).sort()).toEqual(built.map((s) => s.file).sort());
  });
});

describe("the README's sections table", () => {
  it('is the sections table: heading, file and ID families of every section', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+\. [^|]+) \| `([^`]+)`[^|]* \|\s*([^|]*?)\s*\|$/gm)].map((m) => [m[1], m[2], m[3]?.trim()]);
    expect(rows).toEqual(SECTIONS.map((s) => [sectionHeading(s), s.file, familiesOf(s).join(', ')]));
  });
});

describe.each(built)('section $number, suites/$file', (section) => {
  const checks = CHECKS_BY_FILE[section.file] as readonly Check[];

  it('is what the file itself exports', async () => {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(join(SUITES, section.file)).href)) as Record<string, unknown>;
    const arrays = Object.values(mod).filter(Array.isArray);
    expect(arrays).toHaveLength(1);
    expect(arrays[0]).toBe(checks);
    expect(checks.length).toBeGreaterThan(0);
  });

  it("holds only checks of the section's ID families", () => {
    const families = familiesOf(section);
    for (const c of checks) {
      expect(families, c.id).toContain(familyOf(c.id));
      expect(section.ids, c.id).toContain(c.id);
    }
  });

  it('holds them in catalog order', () => {
    const positions = checks.map((c) => section.ids.indexOf(c.id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
  });
});

describe('ALL_CHECKS', () => {
  it('is every section file in table order, each check once', () => {
    expect(ALL_CHECKS).toEqual(built.flatMap((s) => CHECKS_BY_FILE[s.file] ?? []));
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const catalogOrder = SECTIONS.flatMap((s) => s.ids);
    const positions = ids.map((id) => catalogOrder.indexOf(id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe('the report groups by the same sections', () => {
  const result = (id: string): CheckResult => ({ id, verdict: 'pass' }) as CheckResult;

  it('in section order whatever the order of the results, with unknown IDs last', () => {
    const groups = groupBySectionAndCheck(
      ['HARNESS-X-01', 'AUTH-TOK-01', 'SEC-SESS-01', 'RPC-ERR-01', 'SEC-ORIGIN-01', 'RPC-ID-01', 'RPC-ERR-01'].map(result),
    );
    expect(groups.map((g) => g.heading)).toEqual(['1. JSON-RPC message rules', '7. HTTP security', '10. Authorization', 'Other checks']);
    expect([...(groups[0]?.checks.keys() ?? [])]).toEqual(['RPC-ERR-01', 'RPC-ID-01']);
    expect(groups[0]?.checks.get('RPC-ERR-01')).toHaveLength(2);
    expect([...(groups[1]?.checks.keys() ?? [])]).toEqual(['SEC-SESS-01', 'SEC-ORIGIN-01']);
  });

  it('headed by the section of the file each check lives in', () => {
    for (const s of built) {
      for (const c of CHECKS_BY_FILE[s.file] ?? []) {
        expect(groupBySectionAndCheck([result(c.id)])[0]?.heading).toBe(sectionHeading(s));
      }
    }
  });
});
