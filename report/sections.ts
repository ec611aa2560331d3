/**
 * The catalog section of a check, from its ID prefix (../shared/spec-requirements.md, sections
 * 1..10). The suites branch adds a sections table (suites/sections.ts); until it lands this one
 * function is the only place that knows the mapping, so swapping it in is a one-line change.
 */

export interface Section {
  /** the catalog's section number */
  number: number;
  title: string;
}

const BY_PREFIX: Record<string, Section> = {
  RPC: { number: 1, title: 'JSON-RPC' },
  BATCH: { number: 2, title: 'Batching' },
  LC: { number: 3, title: 'Lifecycle' },
  MOD: { number: 4, title: 'Modern protocol (2026-07-28)' },
  STDIO: { number: 5, title: 'stdio' },
  SHTTP: { number: 6, title: 'Streamable HTTP' },
  SEC: { number: 7, title: 'HTTP security' },
  H4: { number: 8, title: 'Streamable HTTP stateless (2026-07-28)' },
  LSSE: { number: 9, title: 'Legacy HTTP+SSE' },
  COMPAT: { number: 9, title: 'Legacy HTTP+SSE' },
  AUTH: { number: 10, title: 'Authorization' },
};

/** A check whose prefix the catalog does not list sorts last, under its own prefix. */
export function sectionOf(id: string): Section {
  const prefix = id.split('-')[0] ?? id;
  return BY_PREFIX[prefix] ?? { number: 99, title: prefix };
}

/** "06 Streamable HTTP": sorts by number as text, and reads as the catalog's heading. */
export function sectionLabel(id: string): string {
  const s = sectionOf(id);
  return `${String(s.number).padStart(2, '0')} ${s.title}`;
}
