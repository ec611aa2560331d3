/**
 * `mcp-harness list checks|faults|servers|counts`: the catalogs, as plain aligned text. `checks`
 * also says where each check lives: its catalog section and the file:line of its definition.
 */
import { FAULTS } from '../reference-servers/faults/index.js';
import { SERVER_KIND_INFO, SERVER_KINDS } from '../reference-servers/kinds.js';
import { describeRevisions } from '../report/revisions.js';
import type { Check } from '../suites/check.js';
import { ALL_CHECKS } from '../suites/index.js';
import { checkLocations, describeLocation } from '../suites/locations.js';
import { sectionOf } from '../suites/sections.js';
import { UsageError } from './usage-error.js';
import { REVISIONS, TRANSPORTS } from '../drivers/protocol.js';
import { revisionsDefining } from '../suites/discovery.js';

export const LISTS = ['checks', 'faults', 'servers', 'counts'] as const;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

/**
 * How many checks apply per transport and revision ("n (m MUST)"), as a Markdown table: the
 * README's table is this output, so the docs cannot drift from the catalog.
 */
function countsTable(checks: readonly Check[]): string {
  const header = ['transport', ...REVISIONS];
  const rows = TRANSPORTS.map((transport) => [
    transport,
    ...REVISIONS.map((revision) => {
      if (!revisionsDefining(transport).includes(revision)) return '-';
      const applicable = checks.filter((c) => c.transports.includes(transport) && c.revisions.includes(revision));
      const must = applicable.filter((c) => c.level === 'MUST').length;
      return `${applicable.length} (${must} MUST)`;
    }),
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return `${[line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')}\n`;
}

export function renderList(what: string, checks: readonly Check[] = ALL_CHECKS): string {
  switch (what) {
    case 'checks': {
      const locations = checkLocations();
      return table(
        ['ID', 'LEVEL', 'TRANSPORTS', 'REVISIONS', 'SECTION', 'LOCATION', 'TITLE'],
        checks.map((c) => [
          c.id,
          c.level,
          c.transports.join(','),
          describeRevisions(c.revisions),
          String(sectionOf(c.id)?.number ?? '?'),
          describeLocation(locations[c.id]),
          c.title,
        ]),
      );
    }
    case 'faults':
      return table(
        ['FAULT', 'CATCHES', 'SERVERS', 'DEFECT'],
        FAULTS.map((f) => [f.name, f.catches.join(','), f.servers.join(','), f.description]),
      );
    case 'servers':
      return table(
        ['KIND', 'TRANSPORT', 'REVISIONS', 'DESCRIPTION'],
        SERVER_KINDS.map((k) => {
          const info = SERVER_KIND_INFO[k];
          return [k, info.transport, describeRevisions(info.revisions), info.description];
        }),
      );
    case 'counts':
      return countsTable(checks);
    default:
      throw new UsageError(`cannot list "${what}"; choose one of ${LISTS.join(', ')}`);
  }
}
