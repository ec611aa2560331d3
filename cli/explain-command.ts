/**
 * `mcp-harness explain ID`: from a catalog ID to its check, its faults and its proof in one step.
 * A contributor (or a user reading a FAIL) gets the requirement, the spec link, the catalog
 * section, where the check is defined, every fault of the reference servers that must make it
 * fail, and the command that runs that proof. Everything comes from the catalogs the code already
 * has (ALL_CHECKS, FAULTS, the check locations); the only extra is a fault's file:line, found by
 * scanning the fault catalog's sources when they are there (a clone), omitted when not (a package).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS } from '../reference-servers/faults/index.js';
import { SERVER_KIND_INFO, type ServerKind } from '../reference-servers/kinds.js';
import { describeRevisions } from '../report/revisions.js';
import { findCheck } from '../suites/index.js';
import { checkLocations, describeLocation } from '../suites/locations.js';
import { sectionHeading, sectionOf } from '../suites/sections.js';
import { PROJECT_ROOT } from './self.js';
import { UsageError } from './usage-error.js';

const FAULT_SOURCES = join(PROJECT_ROOT, 'reference-servers', 'faults');

/** `reference-servers/faults/FILE.ts:LINE` of each fault entry, when the sources are present. */
function faultLocations(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(FAULT_SOURCES)) return out;
  for (const file of readdirSync(FAULT_SOURCES)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    readFileSync(join(FAULT_SOURCES, file), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const name = /^\s*name:\s*'([a-z0-9-]+)',\s*$/.exec(text)?.[1];
        if (name !== undefined && !out.has(name)) out.set(name, `reference-servers/faults/${file}:${i + 1}`);
      });
  }
  return out;
}

/** The proof file that runs a server kind's faults: one per transport. */
function proofFile(kind: ServerKind): string {
  return `test/faults-${SERVER_KIND_INFO[kind].transport}.test.ts`;
}

export function renderExplain(id: string): string {
  const check = findCheck(id.toUpperCase());
  if (!check) throw new UsageError(`no check has the ID "${id}" (mcp-harness list checks)`);
  const section = sectionOf(check.id);
  const lines = [
    `${check.id}  ${check.level}  ${check.title}`,
    `  requirement  ${check.requirement}`,
    `  spec         ${check.spec}`,
    `  section      ${section ? sectionHeading(section) : '?'}`,
    `  check        ${describeLocation(checkLocations()[check.id])}`,
    `  applies to   ${check.transports.join(', ')} at ${describeRevisions(check.revisions)}${check.needs?.length ? `; needs ${check.needs.join(', ')}` : ''}`,
  ];
  const faults = FAULTS.filter((f) => f.catches.includes(check.id));
  if (faults.length === 0) lines.push('  faults       none (test/fault-catalog.test.ts fails on such a check)');
  const where = faultLocations();
  for (const fault of faults) {
    lines.push(`  fault        ${fault.name}${where.has(fault.name) ? `  (${where.get(fault.name)})` : ''}`);
    lines.push(`                 ${fault.description}`);
    lines.push(`                 on ${fault.servers.join(', ')}`);
    for (const file of [...new Set(fault.servers.map(proofFile))]) {
      lines.push(`                 proof: npx vitest run ${file} -t "fault ${fault.name} "`);
    }
  }
  return `${lines.join('\n')}\n`;
}
