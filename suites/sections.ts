/**
 * The sections of the conformance catalog (../shared/spec-requirements.md) and the suite file
 * that holds each one, h2spec style: one file per section, named by its number and subject,
 * checks in the order of the catalog's rows. This table is the one place that says which
 * section a check ID belongs to; ALL_CHECKS, the report's grouping and `list checks` read it.
 *
 * `ids` are the section's server rows in catalog order, rows without a check included (an NB row,
 * or one not built yet), committed here as data because the catalog lies outside the repository:
 * scripts/compare-sections.mjs compares them with the catalog. The catalog's client rows (C-…)
 * are left out, since the harness tests servers. This module is data only (no checks imported),
 * so that the report can group by section without loading the suites.
 */

export interface Section {
  /** the catalog's section number; 11 is the harness's own transport-security audit */
  readonly number: number;
  /** the heading the report prints */
  readonly title: string;
  /** the section's heading anchor in spec-requirements.md; undefined for a section the catalog lacks */
  readonly anchor: string | undefined;
  /** the suite file, in suites/ */
  readonly file: string;
  /** the section's server-row IDs, in catalog order */
  readonly ids: readonly string[];
  /** reserved: named for a file not written yet, so no check may live there */
  readonly reserved?: true;
}

export const SECTIONS: readonly Section[] = [
  {
    number: 1,
    title: 'JSON-RPC message rules',
    anchor: '1-json-rpc-message-rules',
    file: '01-jsonrpc.ts',
    ids: [
      'RPC-MSG-01',
      'RPC-ID-01',
      'RPC-ID-02',
      'RPC-RES-01',
      'RPC-RES-02',
      'RPC-RES-03',
      'RPC-NOT-01',
      'RPC-NOT-02',
      'RPC-UTF8-01',
      'RPC-ERR-01',
      'RPC-ERR-02',
      'RPC-ERR-03',
      'RPC-ERR-04',
      'RPC-ERR-05',
      'RPC-ERR-06',
      'RPC-ERR-07',
      'RPC-ERR-08',
      'RPC-ERR-09',
      'RPC-RT-01',
    ],
  },
  {
    number: 2,
    title: 'JSON-RPC batching (2025-03-26)',
    anchor: '2-json-rpc-batching-added-r1-removed-r2',
    file: '02-batching.ts',
    ids: ['BATCH-01', 'BATCH-02', 'BATCH-03', 'BATCH-04', 'BATCH-05', 'BATCH-06'],
  },
  {
    number: 3,
    title: 'Lifecycle, ping, cancellation and progress',
    anchor: '3-lifecycle-legacy-r0r3-progress-rows-also-r4',
    file: '03-lifecycle.ts',
    ids: [
      'LC-INIT-01',
      'LC-INIT-02',
      'LC-VER-01',
      'LC-VER-02',
      'LC-VER-03',
      'LC-ORDER-01',
      'LC-OP-01',
      'LC-PING-01',
      'LC-PING-02',
      'LC-CANC-01',
      'LC-CANC-02',
      'LC-PROG-01',
      'LC-PROG-02',
    ],
  },
  {
    number: 4,
    title: 'Modern stateless protocol (2026-07-28)',
    anchor: '4-modern-stateless-protocol-r4',
    file: '04-modern-protocol.ts',
    ids: [
      'MOD-DISC-01',
      'MOD-DISC-02',
      'MOD-META-01',
      'MOD-VER-01',
      'MOD-STATE-01',
      'MOD-CAP-01',
      'MOD-LOG-01',
      'MOD-LOG-02',
      'MOD-PAT-01',
      'MOD-SUB-01',
      'MOD-SUB-02',
      'MOD-SUB-03',
      'MOD-SUB-04',
      'MOD-SUB-05',
      'MOD-MRTR-01',
      'MOD-COMPAT-01',
      'MOD-COMPAT-02',
    ],
  },
  {
    number: 5,
    title: 'stdio transport',
    anchor: '5-stdio-transport',
    file: '05-stdio.ts',
    ids: [
      'STDIO-FRAME-01',
      'STDIO-FRAME-02',
      'STDIO-FRAME-03',
      'STDIO-FRAME-04',
      'STDIO-LOG-01',
      'STDIO-SHUT-01',
      'STDIO-SHUT-02',
      'STDIO-SHUT-03',
      'STDIO-R4-01',
      'STDIO-R4-02',
      'STDIO-AUTH-01',
    ],
  },
  {
    number: 6,
    title: 'Streamable HTTP, 2025 shape',
    anchor: '6-streamable-http-legacy-shape-r1r3',
    file: '06-streamable-http.ts',
    ids: [
      'SHTTP-EP-01',
      'SHTTP-POST-01',
      'SHTTP-POST-02',
      'SHTTP-POST-03',
      'SHTTP-POST-04',
      'SHTTP-POST-05',
      'SHTTP-POST-06',
      'SHTTP-SSE-01',
      'SHTTP-SSE-02',
      'SHTTP-SSE-03',
      'SHTTP-SSE-04',
      'SHTTP-SSE-05',
      'SHTTP-SSE-06',
      'SHTTP-SSE-07',
      'SHTTP-GET-01',
      'SHTTP-GET-02',
      'SHTTP-GET-03',
      'SHTTP-GET-04',
      'SHTTP-MULTI-01',
      'SHTTP-MULTI-02',
      'SHTTP-RESUME-01',
      'SHTTP-RESUME-02',
      'SHTTP-RESUME-03',
      'SHTTP-RESUME-04',
      'SHTTP-SESSION-01',
      'SHTTP-SESSION-02',
      'SHTTP-SESSION-03',
      'SHTTP-SESSION-04',
      'SHTTP-SESSION-05',
      'SHTTP-SESSION-06',
      'SHTTP-SESSION-07',
      'SHTTP-SESSION-08',
      'SHTTP-PVER-01',
      'SHTTP-PVER-02',
      'SHTTP-PVER-03',
    ],
  },
  {
    number: 7,
    title: 'HTTP security',
    anchor: '7-http-security-all-http-transports',
    file: '07-http-security.ts',
    ids: ['SEC-ORIGIN-01', 'SEC-ORIGIN-02', 'SEC-ORIGIN-03', 'SEC-HOST-01', 'SEC-BIND-01', 'SEC-AUTHN-01', 'SEC-SESS-01', 'SEC-SESS-02'],
  },
  {
    number: 8,
    title: 'Streamable HTTP, 2026-07-28 stateless shape',
    anchor: '8-streamable-http-modern-shape-r4--draft',
    file: '08-streamable-http-stateless.ts',
    ids: [
      'H4-EP-01',
      'H4-POST-01',
      'H4-POST-02',
      'H4-SSE-01',
      'H4-SSE-02',
      'H4-SSE-03',
      'H4-SSE-04',
      'H4-SSE-05',
      'H4-CANCEL-01',
      'H4-HDR-01',
      'H4-HDR-02',
      'H4-HDR-03',
      'H4-HDR-04',
      'H4-HDR-05',
      'H4-HDR-06',
      'H4-HDR-07',
      'H4-HDR-08',
      'H4-HDR-09',
      'H4-LEG-01',
      'H4-LEG-02',
      'H4-LEG-03',
    ],
  },
  {
    number: 9,
    title: 'Legacy HTTP+SSE (2024-11-05) and era fallback',
    anchor: '9-legacy-httpsse-r0-deprecated-since-r1-and-era-fallback',
    file: '09-legacy-sse.ts',
    ids: ['LSSE-EP-01', 'LSSE-EP-02', 'LSSE-MSG-01', 'LSSE-MSG-02', 'LSSE-MSG-03', 'LSSE-SEC-01', 'LSSE-DEP-01', 'COMPAT-SRV-01'],
  },
  {
    number: 10,
    title: 'Authorization',
    anchor: '10-authorization-http-only-optional-feature-tests-apply-when-auth-is-enabled',
    file: '10-authorization.ts',
    ids: [
      'AUTH-401-01',
      'AUTH-401-02',
      'AUTH-401-03',
      'AUTH-401-04',
      'AUTH-401-05',
      'AUTH-PRM-01',
      'AUTH-PRM-02',
      'AUTH-PRM-03',
      'AUTH-ASM-01',
      'AUTH-TOK-01',
      'AUTH-TOK-02',
      'AUTH-TOK-03',
      'AUTH-TOK-04',
      'AUTH-SCOPE-01',
      'AUTH-SCOPE-02',
      'AUTH-ERR-01',
    ],
  },
  // The transport-security audit (TLS, CORS, rate limits, session ids, tokens, stdio hygiene): the
  // harness's own section, not one of the catalog's, reserved so that its file name stays free.
  { number: 11, title: 'Transport security audit', anchor: undefined, file: '11-security.ts', ids: [], reserved: true },
];

/** The family of a check ID: the ID without its number ("SHTTP-SESSION" of "SHTTP-SESSION-04", "BATCH" of "BATCH-01"). */
export function familyOf(id: string): string {
  return id.replace(/-\d+$/, '');
}

/** The ID families a section holds, in catalog order. */
export function familiesOf(section: Section): string[] {
  return [...new Set(section.ids.map(familyOf))];
}

const BY_FAMILY = new Map(SECTIONS.flatMap((s) => familiesOf(s).map((f) => [f, s] as const)));

/** The section a check ID belongs to, by its family; undefined for an ID the catalog does not know. */
export function sectionOf(id: string): Section | undefined {
  return BY_FAMILY.get(familyOf(id));
}

/** "6. Streamable HTTP, 2025 shape": how the report and `list checks` name a section. */
export function sectionHeading(section: Section): string {
  return `${section.number}. ${section.title}`;
}

/** A section's number for sorting; an ID the catalog does not know sorts after every section. */
export function sectionNumber(id: string): number {
  return sectionOf(id)?.number ?? Number.POSITIVE_INFINITY;
}

/**
 * "06 Streamable HTTP, 2025 shape": the section as a classname or filter label, zero-padded so
 * that it sorts by number as text; an unknown ID is labelled by its family.
 */
export function sectionLabel(id: string): string {
  const section = sectionOf(id);
  return section ? `${String(section.number).padStart(2, '0')} ${section.title}` : familyOf(id);
}
