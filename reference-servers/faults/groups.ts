/**
 * The groups of server kinds the catalog assigns faults to, derived from the data of kinds.ts
 * (transport, revisions, auth), which stays the only list of kinds.
 */
import { MODERN_REVISION } from '../../drivers/protocol.js';
import { kindsWhere, type ServerKindInfo, servesBothEras } from '../kinds.js';

const modernOnly = (k: ServerKindInfo) => k.revisions.every((r) => r === MODERN_REVISION);
/** one era and no authorization: the kinds that carry the general faults (the auth and dual kinds add their own) */
const plain = (k: ServerKindInfo) => !k.auth && !servesBothEras(k.kind);

export const ALL = kindsWhere(plain);
/** the servers that serve only 2026-07-28 */
export const MODERN_ONLY = kindsWhere((k) => plain(k) && modernOnly(k));
export const LEGACY_ERA = kindsWhere((k) => plain(k) && !modernOnly(k));
export const STDIO = kindsWhere((k) => plain(k) && !modernOnly(k) && k.transport === 'stdio');
export const SSE = kindsWhere((k) => plain(k) && k.transport === 'sse');
export const STREAMABLE = kindsWhere((k) => plain(k) && !modernOnly(k) && k.transport === 'http');
/** every plain HTTP kind: legacy SSE, Streamable HTTP of both shapes */
export const WEB = kindsWhere((k) => plain(k) && k.transport !== 'stdio');
export const AUTH_KINDS = kindsWhere((k) => k.auth === true);
export const AUTH_LEGACY = kindsWhere((k) => k.auth === true && !modernOnly(k));

/**
 * Where the section-4 faults are proven: both modern servers implement them (modern-faults.ts),
 * but each stdio fault run spawns a process per check, so the proof runs them on the in-process
 * HTTP server only; add 'sdk-stdio-modern' here to prove them over stdio too.
 */
export const MODERN_FAULT_KINDS = ['sdk-stateless'] as const;
