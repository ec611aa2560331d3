/**
 * The transport-agnostic JSON-RPC core under every driver (stdio, legacy HTTP+SSE, Streamable
 * HTTP in its 2025 and 2026-07-28 shapes), the checks, discovery and the load engine. Nothing
 * here knows about HTTP or processes. It is split by job:
 *
 * - rpc/ids.ts: which response answers which request. The rule, in short: ids match loosely
 *   (1 matches "1", and the check judges the type: RPC-ID-01); `id: null` answers no request (it
 *   is the id of an error about a message the server could not read) but is kept and shown to
 *   every request in flight; a missing id answers nothing; one id pending twice is answered in
 *   the order sent; a response to an unknown id answers nothing and is reported like a null one.
 * - rpc/messages.ts: building requests, notifications and answers; reading a payload (one
 *   message, or a batch array of them) into messages.
 * - rpc/envelopes.ts: what each revision wraps around a request: `initialize` params, the
 *   2026-07-28 `_meta`, the harmless request (ping / server/discover), discovery's requests.
 * - rpc/router.ts: the router pairing responses with pending requests on a shared channel.
 *
 * Modules outside the core import from here (test/core-boundaries.test.ts holds them to it).
 */
export {
  answers,
  answersSomething,
  idKey,
  idsMatch,
  isResponseShaped,
  sameIdExactly,
} from './rpc/ids.js';
export {
  buildError,
  buildNotification,
  buildRequest,
  buildResult,
  type Collected,
  methodOf,
  parsePayload,
  toMessages,
} from './rpc/messages.js';
export {
  DISCOVER_METHOD,
  discoveryRequest,
  handshakeParams,
  harmlessMethod,
  initializeParams,
  modernMeta,
  negotiatedVersion,
  PING_METHOD,
  progressTokenOf,
  progressTokenOfNotification,
  rawRequest,
  requestParams,
  withMeta,
} from './rpc/envelopes.js';
export { type Awaiting, type Collection, MessageRouter, type PendingRequest, type RouterLimits } from './rpc/router.js';

/** open() could not establish the session; `evidence` says what came back. */
export class SessionOpenError extends Error {
  constructor(
    message: string,
    readonly evidence?: string,
  ) {
    super(evidence ? `${message}: ${evidence}` : message);
    this.name = 'SessionOpenError';
  }
}
