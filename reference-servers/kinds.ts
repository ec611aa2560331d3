/** The bundled reference servers: one tool set over every transport, SDK-based and hand-written. */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import { LEGACY_REVISIONS, MODERN_REVISION } from '../drivers/protocol.js';

export const SERVER_KINDS = [
  'sdk-stdio',
  'sdk-sse',
  'sdk-http-json',
  'sdk-http-sse',
  'sdk-stateless',
  'sdk-stdio-modern',
  'sdk-dual',
  'min-stdio',
  'min-sse',
  'min-http',
  // authorization switched on (catalog section 10a): separate kinds, so the others stay unchanged
  'sdk-http-auth',
  'min-http-auth',
  'sdk-stateless-auth',
] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ServerKindInfo {
  kind: ServerKind;
  transport: TransportKind;
  description: string;
  /** revisions the clean server serves */
  revisions: readonly Revision[];
  /** an OAuth resource server: every request needs one of the tokens it mints at start */
  auth?: true;
}

const STREAMABLE_2025: readonly Revision[] = ['2025-03-26', '2025-06-18', '2025-11-25'];

export const SERVER_KIND_INFO: Record<ServerKind, ServerKindInfo> = {
  'sdk-stdio': {
    kind: 'sdk-stdio',
    transport: 'stdio',
    description: 'official SDK (v1) over stdio',
    revisions: LEGACY_REVISIONS,
  },
  'sdk-sse': {
    kind: 'sdk-sse',
    transport: 'sse',
    description: 'official SDK (v1) over legacy HTTP+SSE',
    revisions: ['2024-11-05'],
  },
  'sdk-http-json': {
    kind: 'sdk-http-json',
    transport: 'http',
    description: 'official SDK (v1) Streamable HTTP, stateful, JSON responses',
    revisions: STREAMABLE_2025,
  },
  'sdk-http-sse': {
    kind: 'sdk-http-sse',
    transport: 'http',
    description: 'official SDK (v1) Streamable HTTP, stateful, SSE responses',
    revisions: STREAMABLE_2025,
  },
  'sdk-stateless': {
    kind: 'sdk-stateless',
    transport: 'http',
    description: 'official SDK (v2) Streamable HTTP, 2026-07-28 stateless',
    revisions: [MODERN_REVISION],
  },
  'sdk-stdio-modern': {
    kind: 'sdk-stdio-modern',
    transport: 'stdio',
    description: 'official SDK (v2) over stdio, 2026-07-28',
    revisions: [MODERN_REVISION],
  },
  'sdk-dual': {
    kind: 'sdk-dual',
    transport: 'http',
    description: "dual-era: sdk-stateless and sdk-http-json on one URL, each request routed by the v2 SDK's isLegacyRequest",
    revisions: [...STREAMABLE_2025, MODERN_REVISION],
  },
  'min-stdio': {
    kind: 'min-stdio',
    transport: 'stdio',
    description: 'hand-written (readline) over stdio',
    revisions: LEGACY_REVISIONS,
  },
  'min-sse': {
    kind: 'min-sse',
    transport: 'sse',
    description: 'hand-written (node:http) over legacy HTTP+SSE',
    revisions: ['2024-11-05'],
  },
  'min-http': {
    kind: 'min-http',
    transport: 'http',
    description: 'hand-written (node:http) Streamable HTTP, stateful, JSON responses',
    revisions: STREAMABLE_2025,
  },
  'sdk-http-auth': {
    kind: 'sdk-http-auth',
    transport: 'http',
    description: 'sdk-http-json with authorization: an OAuth resource server with its own test tokens',
    revisions: STREAMABLE_2025,
    auth: true,
  },
  'min-http-auth': {
    kind: 'min-http-auth',
    transport: 'http',
    description: 'min-http with authorization: an OAuth resource server with its own test tokens',
    revisions: STREAMABLE_2025,
    auth: true,
  },
  'sdk-stateless-auth': {
    kind: 'sdk-stateless-auth',
    transport: 'http',
    description: 'sdk-stateless with authorization: an OAuth resource server with its own test tokens',
    revisions: [MODERN_REVISION],
    auth: true,
  },
};

/** A kind that serves the 2025 era and 2026-07-28 alike (sdk-dual): both wires, one target. */
export function servesBothEras(kind: ServerKind): boolean {
  const revisions = SERVER_KIND_INFO[kind].revisions;
  return revisions.includes(MODERN_REVISION) && revisions.some((r) => r !== MODERN_REVISION);
}

/** The kinds whose data passes `test`, in the order of SERVER_KINDS. */
export function kindsWhere(test: (info: ServerKindInfo) => boolean): readonly ServerKind[] {
  return SERVER_KINDS.filter((k) => test(SERVER_KIND_INFO[k]));
}

export function isServerKind(value: unknown): value is ServerKind {
  return typeof value === 'string' && (SERVER_KINDS as readonly string[]).includes(value);
}
