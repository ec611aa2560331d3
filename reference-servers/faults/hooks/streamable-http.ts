/**
 * Hooks of the Streamable HTTP (2025 shape) faults of faults/streamable-http.ts that act at the
 * session store (http/sessions.ts, http/event-store.ts) and the stream writer (http/sse-faults.ts).
 * The faults of the endpoint's request handling register beside them, from the servers that have them.
 */
import type { HookRegistry } from './registry.js';

/** Fault sse-never-closes: a request stream stays open this long after its response. */
export const SSE_HOLD_OPEN_MS = 10_000;

export const STREAMABLE_HTTP_SESSION_HOOKS = {
  // a counter instead of a random value
  'sequential-session-ids': () => ({ session: { issueId: (_fresh, { issued }) => `mcp-session-${String(issued + 1).padStart(12, '0')}` } }),
  // a terminated session's id is recycled, and comes back to life
  'reuse-session-ids': () => ({ session: { recycleTerminated: true } }),
  'session-id-non-ascii': () => ({ session: { issueId: (fresh) => fresh.replace('-', ' ') } }),
  // a request without a session id is served on the latest session
  'missing-session-accepted': () => ({ session: { missingSession: (latest) => latest } }),
  'unknown-session-400': () => ({ session: { unknownSession: () => ({ status: 400, message: 'Bad Request: unknown session' }) } }),
  // each stream counts from 1, so ids repeat across streams and resolve to whichever stream used it last
  'event-ids-per-stream': () => ({ session: { eventId: (_id, { streamCount }) => String(streamCount) } }),
  'replay-leaks-other-streams': () => ({ session: { replay: (_events, { later }) => later } }),
  'no-replay': () => ({ session: { replay: () => [] } }),
  'no-priming-event': () => ({ stream: { event: (text, { priming }) => (priming ? '' : text) } }),
  'sse-never-closes': () => ({ stream: { holdOpenMs: SSE_HOLD_OPEN_MS } }),
} satisfies HookRegistry;

/** the first revision that has the MCP-Protocol-Version header */
const FIRST_VERSION_HEADER = '2025-06-18';

export const STREAMABLE_HTTP_GUARD_HOOKS = {
  // the header is demanded where the spec says to assume the negotiated version
  'require-protocol-version': () => ({ guard: { versionHeaderRequired: ({ initialize }) => !initialize } }),
  // an initialize offering a revision that has the header must carry it, although the header belongs to the requests after it
  'require-protocol-version-on-initialize': () => ({
    guard: { versionHeaderRequired: ({ initialize, initializeOffers }) => initialize && initializeOffers !== undefined && initializeOffers >= FIRST_VERSION_HEADER },
  }),
} satisfies HookRegistry;
