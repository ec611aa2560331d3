/**
 * Hooks of the Streamable HTTP (2025 shape) faults of faults/streamable-http.ts that act at the
 * session store (http/sessions.ts, http/event-store.ts). The faults of the endpoints' request
 * handling, their streams included, are HTTP seam hooks (hooks/http-streamable.ts).
 */
import type { HookRegistry } from './registry.js';

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
} satisfies HookRegistry;
