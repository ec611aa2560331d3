/**
 * Fault switches: each turns on exactly one defect in a reference server and names the checks
 * that must catch it. The project's tests run every fault against every server that has it and
 * assert that exactly the named checks (those that apply to the server's transport) change
 * verdict. The share of faults caught is the harness's mutation score.
 */
import type { ServerKind } from './kinds.js';

export interface FaultDef {
  name: string;
  /** the defect, as a server author would recognise it */
  description: string;
  /** check IDs that must catch it (on a server whose transport they apply to) */
  catches: readonly string[];
  /**
   * Checks the same defect may also break, depending on the transport and the timing of the
   * server's messages (a stray response to a notification can land in another probe's window).
   * The proof allows these to change but does not require it; anything else changing fails it.
   */
  alsoAffects?: readonly string[];
  /** the servers that implement this fault */
  servers: readonly ServerKind[];
  /**
   * The defect reaches across sessions (one client's session id or era leaks into another's), so
   * checks running side by side would see each other's traces: the proof runs its checks one at a time.
   */
  serial?: true;
}

const ALL: readonly ServerKind[] = [
  'sdk-stdio',
  'sdk-sse',
  'sdk-http-json',
  'sdk-http-sse',
  'sdk-stateless',
  'sdk-stdio-modern',
  'min-stdio',
  'min-sse',
  'min-http',
];
/** the servers that serve only 2026-07-28 */
const MODERN_ONLY: readonly ServerKind[] = ['sdk-stateless', 'sdk-stdio-modern'];
/**
 * Where the section-4 faults are proven: both modern servers implement them (modern-faults.ts),
 * but each stdio fault run spawns a process per check, so the proof runs them on the in-process
 * HTTP server only; add 'sdk-stdio-modern' here to prove them over stdio too.
 */
const MODERN_FAULT_KINDS: readonly ServerKind[] = ['sdk-stateless'];
const LEGACY_ERA: readonly ServerKind[] = ALL.filter((k) => !MODERN_ONLY.includes(k));
const STDIO: readonly ServerKind[] = ['sdk-stdio', 'min-stdio'];
const SSE: readonly ServerKind[] = ['sdk-sse', 'min-sse'];
const STREAMABLE: readonly ServerKind[] = ['sdk-http-json', 'sdk-http-sse', 'min-http'];
const WEB: readonly ServerKind[] = [...SSE, ...STREAMABLE, 'sdk-stateless'];
const AUTH_LEGACY: readonly ServerKind[] = ['sdk-http-auth', 'min-http-auth'];
const AUTH_KINDS: readonly ServerKind[] = [...AUTH_LEGACY, 'sdk-stateless-auth'];

export const FAULTS: readonly FaultDef[] = [
  // ---- JSON-RPC, every transport (message layer) ----
  {
    name: 'id-type-coerce',
    description: 'response ids lose their JSON type: numeric strings become numbers, numbers become strings',
    catches: ['RPC-ID-01'],
    servers: ALL,
  },
  {
    name: 'parse-error-silent',
    description: 'unparseable input is dropped without a -32700 error (the SDK stdio default)',
    catches: ['RPC-ERR-01'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE],
  },
  {
    name: 'invalid-request-accepted',
    description: 'a request with "jsonrpc":"1.0", a non-string method or an object id is executed instead of rejected with -32600',
    catches: ['RPC-ERR-02', 'SHTTP-POST-02'],
    servers: ALL,
  },
  {
    name: 'unknown-method-wrong-code',
    description: 'an unknown method is answered with -32603 instead of -32601',
    catches: ['RPC-ERR-03', 'H4-HDR-03'],
    servers: ALL,
  },
  {
    name: 'answer-notifications',
    description: 'every notification is answered with a response',
    catches: ['RPC-NOT-02', 'SHTTP-POST-01', 'H4-POST-01'],
    // The bogus response has id null (schema-invalid) and can land in other probes' windows.
    alsoAffects: ['RPC-MSG-01', 'LC-CANC-01', 'RPC-ERR-07'],
    servers: ALL,
  },
  // ---- JSON-RPC message rules and batching (issue 3, sections 1a and 2; message layer and batch policy) ----
  {
    name: 'result-wrong-shape',
    description: 'tools/list lists tools without their inputSchema',
    catches: ['RPC-MSG-01'],
    // without schemas there are no x-mcp-header annotations to probe: those checks skip
    alsoAffects: ['H4-HDR-08', 'H4-HDR-09'],
    servers: ALL,
  },
  {
    name: 'error-no-jsonrpc',
    description: 'error responses are written without the "jsonrpc":"2.0" member',
    catches: ['RPC-MSG-01'],
    servers: ALL,
  },
  {
    name: 'result-and-error',
    description: 'error responses also carry "result": null',
    catches: ['RPC-RES-01', 'RPC-MSG-01'],
    // An error response that also carries a result is unreadable to checks that wait for the error.
    alsoAffects: ['RPC-ERR-04', 'LC-INIT-01'],
    servers: ALL,
  },
  {
    name: 'error-no-message',
    description: 'error objects carry a code but no message',
    catches: ['RPC-RES-02', 'RPC-MSG-01'],
    servers: ALL,
  },
  {
    name: 'notification-with-id',
    description: 'progress notifications are sent with an id member',
    catches: ['RPC-NOT-01'],
    // a JSON-response server has no stream in the session to carry progress on
    servers: ALL.filter((k) => k !== 'sdk-http-json'),
  },
  {
    name: 'error-id-null',
    description: 'an invalid request whose id was readable is answered with id null',
    catches: ['RPC-RES-03'],
    servers: ALL.filter((k) => !SSE.includes(k)),
  },
  {
    name: 'unknown-tool-is-error',
    description: 'tools/call of an unknown tool returns an isError tool result instead of error -32602',
    catches: ['RPC-ERR-04'],
    servers: ALL,
  },
  {
    name: 'unknown-tool-32002',
    description: 'an unknown tool is answered with -32002 (the legacy resource-not-found code) instead of -32602',
    // -32002 is both named by RPC-ERR-08 and inside the legacy range RPC-ERR-09 warns about
    catches: ['RPC-ERR-04', 'RPC-ERR-08', 'RPC-ERR-09'],
    servers: MODERN_ONLY,
  },
  {
    name: 'unknown-tool-32001',
    description: 'an unknown tool is answered with the implementation-defined code -32001 instead of -32602',
    catches: ['RPC-ERR-04', 'RPC-ERR-09'],
    servers: MODERN_ONLY,
  },
  {
    name: 'no-result-type',
    description: 'tools/list results have no resultType',
    catches: ['RPC-RT-01'],
    servers: MODERN_ONLY,
  },
  {
    name: 'null-id-executed',
    description: 'a request with id null is executed and answered with a result',
    catches: ['RPC-ERR-07'],
    // the v1 SDK's Streamable HTTP transport cannot route a response with id null, so its servers lack this defect
    servers: ALL.filter((k) => k !== 'sdk-http-json' && k !== 'sdk-http-sse'),
  },
  {
    name: 'utf8-mojibake',
    description: 'tool results are encoded twice (UTF-8 bytes re-read as Latin-1), so non-ASCII text arrives garbled',
    catches: ['RPC-UTF8-01'],
    // RPC-UTF8-01 starts at 2025-03-26; the legacy SSE servers serve 2024-11-05 only.
    servers: ALL.filter((k) => !SSE.includes(k)),
  },
  {
    name: 'batch-rejected',
    description: 'JSON-RPC batches are refused with -32600 even on a session negotiated at 2025-03-26',
    catches: ['BATCH-01', 'BATCH-02', 'BATCH-04', 'BATCH-05', 'BATCH-06'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-any-version',
    description: 'JSON-RPC batches are accepted whatever protocol version was negotiated (the SDK default)',
    catches: ['BATCH-06'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-notifications-answered',
    description: 'a batch of only notifications is answered with an empty array',
    catches: ['BATCH-02', 'BATCH-05'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-notifications-200',
    description: 'a POST of an array of notifications is answered 200 instead of 202',
    catches: ['BATCH-05'],
    servers: STREAMABLE,
  },
  {
    name: 'empty-batch-array',
    description: 'an empty array is answered with an array holding the -32600 error instead of the error object alone',
    catches: ['BATCH-03'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-drops-invalid',
    description: 'invalid elements of a batch are dropped without their -32600 errors',
    catches: ['BATCH-04'],
    servers: [...STDIO, ...STREAMABLE],
  },
  // ---- lifecycle (initialize era) ----
  {
    name: 'echo-unsupported-version',
    description: 'initialize echoes whatever protocolVersion the client asked for, even one it does not support',
    // The echo is both not a supported version (LC-VER-02) and not the latest one (LC-VER-03).
    catches: ['LC-VER-02', 'LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'counter-offer-oldest',
    description: 'for an unsupported version, initialize counter-offers the oldest version, not the latest',
    catches: ['LC-VER-03'],
    servers: LEGACY_ERA,
  },
  {
    name: 'no-server-info',
    description: 'the initialize result has no serverInfo',
    catches: ['LC-INIT-02'],
    servers: LEGACY_ERA,
  },
  {
    name: 'ping-non-empty',
    description: 'ping answers {"pong":true} instead of an empty result',
    // the ping result also fails the revision's EmptyResult schema (strict), which RPC-MSG-01 validates
    catches: ['LC-PING-01', 'RPC-MSG-01'],
    servers: LEGACY_ERA,
  },
  // ---- stdio ----
  {
    name: 'stdout-banner',
    description: 'a log line is printed on stdout at start-up',
    catches: ['STDIO-FRAME-02'],
    servers: STDIO,
  },
  {
    name: 'pretty-print-tool-results',
    description: 'tools/call results are written as indented, multi-line JSON',
    catches: ['STDIO-FRAME-01'],
    // Every check that calls a tool loses the multi-line result.
    alsoAffects: ['LC-PROG-01', 'RPC-ERR-04', 'RPC-UTF8-01'],
    servers: STDIO,
  },
  {
    name: 'no-line-buffering',
    description: 'stdin lines are split within each read() chunk, so a message that arrives in two reads is lost',
    catches: ['STDIO-FRAME-04'],
    servers: STDIO,
  },
  {
    name: 'ignore-stdin-eof',
    description: 'the process keeps running after stdin closes',
    catches: ['STDIO-SHUT-01'],
    servers: STDIO,
  },
  // ---- Streamable HTTP, 2025 shape ----
  {
    name: 'notification-200',
    description: 'an accepted notification POST is answered 200 instead of 202',
    catches: ['SHTTP-POST-01', 'H4-POST-01'],
    servers: [...STREAMABLE, 'sdk-stateless'],
  },
  {
    name: 'get-409',
    description: 'the GET stream is refused with 409 Conflict (neither SSE nor 405)',
    catches: ['SHTTP-GET-01', 'SHTTP-EP-01', 'SHTTP-GET-02', 'SHTTP-MULTI-02'],
    // the other GET-stream rows lose the stream they observe (info, or skip where it was optional)
    alsoAffects: ['SHTTP-GET-03', 'SHTTP-GET-04', 'SHTTP-MULTI-01'],
    // not min-http: it has no GET stream, so the probes of GET-02/MULTI-02 would go from skip (405) to info (409)
    servers: ['sdk-http-json', 'sdk-http-sse'],
  },
  {
    name: 'session-id-non-ascii',
    description: 'session ids contain a space, outside visible ASCII',
    catches: ['SHTTP-SESSION-02'],
    servers: STREAMABLE,
  },
  {
    name: 'missing-session-accepted',
    description: 'a request without Mcp-Session-Id is served instead of answered 400',
    catches: ['SHTTP-SESSION-04'],
    // A request without a session is also served before initialize.
    alsoAffects: ['LC-INIT-01'],
    servers: STREAMABLE,
  },
  {
    name: 'unknown-session-400',
    description: 'a session id the server never issued is answered 400 instead of 404',
    catches: ['SHTTP-SESSION-06'],
    servers: STREAMABLE,
  },
  {
    name: 'delete-keeps-session',
    description: 'DELETE answers 200 but the session keeps working',
    catches: ['SHTTP-SESSION-05'],
    servers: STREAMABLE,
  },
  {
    name: 'bad-body-200',
    description: 'an unparseable POST body is answered 200 (with a -32700 body) instead of 400',
    catches: ['SHTTP-POST-05'],
    servers: STREAMABLE,
  },
  {
    name: 'accept-any-protocol-version',
    description: 'any MCP-Protocol-Version header value is accepted',
    catches: ['SHTTP-PVER-01'],
    servers: STREAMABLE,
  },
  // ---- Streamable HTTP 2025 shape: endpoint, POST, sessions, version header (issue 3, section 6a) ----
  {
    name: 'get-404',
    description: 'the MCP endpoint routes only POST; a GET on the same path is answered 404',
    catches: ['SHTTP-EP-01', 'SHTTP-GET-01', 'SHTTP-GET-02', 'SHTTP-MULTI-02'],
    // the other GET-stream rows lose the stream they observe (info, or skip where it was optional)
    alsoAffects: ['SHTTP-GET-03', 'SHTTP-GET-04', 'SHTTP-MULTI-01'],
    // not min-http: it has no GET stream, so the probes of GET-02/MULTI-02 go from skip (405) to info (404)
    servers: ['sdk-http-json'],
  },
  {
    name: 'notification-error-200',
    description: 'a notification the server cannot accept is answered 200 with a JSON-RPC error body instead of an HTTP error',
    catches: ['SHTTP-POST-02'],
    servers: STREAMABLE,
  },
  {
    name: 'json-array-response',
    description: 'a single request is answered with a JSON array holding its response',
    catches: ['SHTTP-POST-03'],
    servers: ['sdk-http-json', 'min-http'],
  },
  {
    name: 'error-status-400',
    description: 'a JSON-RPC error to a well-formed request is sent with HTTP 400 instead of 200',
    catches: ['SHTTP-POST-04'],
    servers: ['sdk-http-json', 'min-http'],
  },
  {
    name: 'sequential-session-ids',
    description: 'session ids come from a counter (mcp-session-000000000001, …-0002, …)',
    catches: ['SHTTP-SESSION-03'],
    servers: STREAMABLE,
  },
  {
    name: 'delete-500',
    description: 'DELETE of a session fails with 500 Internal Server Error',
    catches: ['SHTTP-SESSION-05', 'SHTTP-SESSION-07'],
    servers: STREAMABLE,
  },
  {
    name: 'require-protocol-version',
    description: 'a POST without MCP-Protocol-Version is rejected with 400 instead of assuming the negotiated version',
    catches: ['SHTTP-PVER-02'],
    servers: STREAMABLE,
  },
  {
    name: 'require-protocol-version-on-initialize',
    description: 'an initialize POST offering 2025-06-18 or later without MCP-Protocol-Version is rejected with 400, although the header belongs to the requests after it',
    catches: ['SHTTP-PVER-03'],
    servers: STREAMABLE,
  },
  {
    name: 'era-switch-global',
    description: 'a dual-era server whose era is one switch for the whole server: a 2026-07-28 request ends every open 2025 session',
    catches: ['MOD-COMPAT-02'],
    servers: ['sdk-dual'],
    serial: true,
  },
  {
    name: 'reuse-session-ids',
    description: 'the id of the latest terminated session is handed out again to the next initialize',
    catches: ['SHTTP-SESSION-08'],
    servers: STREAMABLE,
    serial: true,
  },
  // ---- Streamable HTTP 2025 shape: SSE streams and resumability (issue 3, section 6a) ----
  {
    name: 'close-before-response',
    description: 'a tools/call that runs longer than 250 ms has its SSE stream closed and its response lost',
    catches: ['SHTTP-SSE-01', 'SHTTP-SSE-03', 'SHTTP-SSE-05'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'unrelated-on-request-stream',
    description: 'a session-wide notification (tools/list_changed) is sent on the stream of the tools/call being answered',
    catches: ['SHTTP-SSE-02'],
    // the extra list_changed on each call stream counts as a copy of the one on the GET stream
    alsoAffects: ['SHTTP-MULTI-01'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'sse-never-closes',
    description: 'a request SSE stream stays open after its response',
    catches: ['SHTTP-SSE-04'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'no-priming-event',
    description: 'request SSE streams start without the 2025-11-25 priming event (id, empty data)',
    // without an id the client cannot resume either, so a polling close is not preceded by retry
    catches: ['SHTTP-SSE-06', 'SHTTP-SSE-07'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'no-retry',
    description: 'the server closes streams early for polling without ever sending a retry field',
    // the GET stream's polling close (SHTTP-GET-04) goes without one too
    catches: ['SHTTP-SSE-07', 'SHTTP-GET-04'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'disconnect-cancels',
    description: 'a client that drops a request stream is taken to have cancelled the request',
    catches: ['SHTTP-SSE-05'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'response-on-get-stream',
    description: 'responses to POSTed requests are also written to the open GET stream',
    catches: ['SHTTP-GET-02', 'SHTTP-MULTI-01'],
    servers: ['sdk-http-json', 'sdk-http-sse'],
  },
  {
    name: 'second-get-409',
    description: 'a second concurrent GET stream is refused with 409 Conflict (the v1 SDK default)',
    catches: ['SHTTP-MULTI-02'],
    servers: ['sdk-http-json', 'sdk-http-sse'],
  },
  {
    name: 'event-ids-per-stream',
    description: 'SSE event ids count from 1 on every stream, so they repeat within a session and resolve to the wrong stream',
    catches: ['SHTTP-RESUME-01', 'SHTTP-RESUME-02'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'replay-leaks-other-streams',
    description: 'a Last-Event-ID replay sends every later event of the session, from any stream',
    catches: ['SHTTP-RESUME-02'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'no-replay',
    description: 'event ids are issued but a Last-Event-ID resume replays nothing that was missed',
    catches: ['SHTTP-RESUME-03'],
    servers: ['sdk-http-sse'],
  },
  // ---- Streamable HTTP 2025 shape: session and Accept records, GET stream and broadcast rows (issue 3, section 6a) ----
  {
    name: 'no-session-ids',
    description: 'the server runs without sessions: no Mcp-Session-Id on the InitializeResult, and requests without one are served statelessly',
    catches: ['SHTTP-SESSION-01'],
    // the other session rows have no id to probe (skip); a request before initialize is served too
    alsoAffects: ['SHTTP-SESSION-02', 'SHTTP-SESSION-03', 'SHTTP-SESSION-04', 'SHTTP-SESSION-05', 'SHTTP-SESSION-06', 'SHTTP-SESSION-07', 'SHTTP-SESSION-08', 'LC-INIT-01'],
    servers: ['min-http'],
  },
  {
    name: 'accept-ignored',
    description: 'the Accept header is not checked: a POST that accepts only application/json is answered with an SSE stream',
    catches: ['SHTTP-POST-06'],
    // a JSON-response server answers JSON anyway
    servers: ['sdk-http-sse'],
  },
  {
    name: 'progress-on-get-stream',
    description: "while a GET stream is open, a call's progress notifications go out on it (sent as if they belonged to no request)",
    catches: ['SHTTP-GET-03'],
    servers: ['sdk-http-sse'],
  },
  {
    name: 'broadcast-notifications',
    description: 'a notification that belongs to no request (tools/list_changed) is written to the GET stream and to every open request stream',
    catches: ['SHTTP-MULTI-01'],
    // a JSON-response server has no request streams to copy onto
    servers: ['sdk-http-sse'],
  },
  {
    name: 'get-resume-refused',
    description: 'after the server ends the GET connection for polling, a reconnect with the GET stream\'s Last-Event-ID is refused with 400',
    catches: ['SHTTP-GET-04'],
    servers: ['sdk-http-sse'],
  },
  // ---- HTTP security ----
  {
    name: 'no-origin-check',
    description: 'requests from any Origin are served (DNS rebinding)',
    catches: ['SEC-ORIGIN-01', 'SEC-ORIGIN-02', 'LSSE-SEC-01'],
    servers: WEB,
  },
  {
    name: 'origin-400',
    description: 'a foreign Origin is rejected with 400 instead of 403',
    catches: ['SEC-ORIGIN-02'],
    servers: [...STREAMABLE, 'sdk-stateless'],
  },
  // ---- legacy HTTP+SSE ----
  {
    name: 'endpoint-not-first',
    description: 'the event stream sends another event before the endpoint event',
    catches: ['LSSE-EP-02'],
    servers: SSE,
  },
  // ---- Streamable HTTP, 2026-07-28 stateless shape ----
  {
    name: 'unknown-method-200',
    description: 'an unknown method is answered -32601 with HTTP 200 instead of 404',
    catches: ['H4-HDR-03'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'version-error-no-data',
    description: 'an unsupported protocol version is rejected without data.supported and data.requested',
    // the initialize rejection of a modern-only server (MOD-COMPAT-01) is the same -32022 error
    catches: ['MOD-VER-01', 'MOD-COMPAT-01'],
    servers: ['sdk-stateless'],
  },
  // ---- authorization: the MCP server as an OAuth resource server (section 10a, SEC-SESS-01/02) ----
  // Only the *-auth kinds (reference-servers/http/auth.ts); AUTH_LEGACY serve 2025-03-26 … 2025-11-25.
  {
    name: 'auth-optional',
    description: 'a request without an Authorization header is served anonymously (only tokens that are sent get checked)',
    catches: ['AUTH-401-01', 'AUTH-401-05', 'SEC-SESS-01', 'AUTH-TOK-03'],
    servers: AUTH_KINDS,
  },
  {
    name: 'get-without-auth',
    description: 'the GET stream is opened before the token is checked',
    catches: ['AUTH-401-05'],
    servers: ['sdk-http-auth'],
  },
  {
    name: 'session-is-auth',
    description: 'a request with a known Mcp-Session-Id and no token is served: the session id is taken as the credential',
    catches: ['SEC-SESS-01', 'AUTH-401-05'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'session-not-bound',
    description: "a session is not bound to its user: another user's valid token works on it",
    catches: ['SEC-SESS-02'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'no-resource-metadata',
    description: 'the 401 challenge has no resource_metadata parameter (the metadata is still at the well-known URI)',
    catches: ['AUTH-401-02'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'no-prm',
    description: 'no Protected Resource Metadata: neither resource_metadata in the challenge nor a document at the well-known URIs',
    catches: ['AUTH-401-02', 'AUTH-401-03', 'AUTH-PRM-01', 'AUTH-PRM-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'no-scope-param',
    description: 'the 401 challenge names no scope',
    catches: ['AUTH-401-04'],
    servers: AUTH_KINDS,
  },
  {
    name: 'prm-no-authorization-servers',
    description: 'the Protected Resource Metadata lists no authorization server',
    catches: ['AUTH-PRM-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'prm-wrong-resource',
    description: "the Protected Resource Metadata's resource is the origin, not the MCP endpoint's URL",
    catches: ['AUTH-PRM-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'offline-access-scope',
    description: 'offline_access is asked for in the challenge scope and listed in scopes_supported',
    catches: ['AUTH-PRM-03'],
    servers: ['sdk-stateless-auth'],
  },
  {
    name: 'no-as-metadata',
    description: 'no authorization server metadata at the origin, and none of the default /authorize, /token, /register endpoints',
    catches: ['AUTH-ASM-01'],
    servers: AUTH_LEGACY,
  },
  {
    name: 'invalid-token-accepted',
    description: 'a token that fails verification (bad signature, not a token at all) is let through',
    catches: ['AUTH-TOK-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'no-audience-check',
    description: 'the token audience is not checked: a token issued for another resource is accepted',
    catches: ['AUTH-TOK-02'],
    servers: AUTH_KINDS,
  },
  {
    name: 'query-token-accepted',
    description: 'a token in the ?access_token= query parameter is accepted',
    catches: ['AUTH-TOK-03'],
    servers: AUTH_KINDS,
  },
  {
    name: 'scope-unchecked',
    description: 'tool scopes are not enforced: a token without the tools scope may call tools',
    catches: ['AUTH-SCOPE-01'],
    servers: AUTH_KINDS,
  },
  {
    name: 'scope-403-without-header',
    description: 'insufficient scope is answered 403 without the WWW-Authenticate insufficient_scope challenge',
    catches: ['AUTH-SCOPE-01'],
    servers: ['sdk-http-auth'],
  },
  {
    name: 'empty-bearer-500',
    description: 'an empty Bearer credential crashes the token parser: 500',
    catches: ['AUTH-ERR-01'],
    servers: AUTH_KINDS,
  },
  // ---- lifecycle, cancellation, progress and stdio process rules (catalog sections 3a, 5a) ----
  {
    name: 'serve-before-initialize',
    description: 'requests are served before initialize, as if the session were already set up',
    catches: ['LC-INIT-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'version-flaky',
    description: 'negotiation shifts the oldest version off the shared supported list: 2024-11-05 is echoed to the first client only, later ones get the latest version',
    catches: ['LC-VER-01'],
    // On the SDK servers the first client's echo is not observable per session; proven on min-http.
    servers: ['min-http'],
  },
  {
    name: 'request-before-initialized',
    description: 'right after the initialize result, before notifications/initialized, the server sends roots/list',
    catches: ['LC-ORDER-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'sampling-without-capability',
    description: 'once initialized, the server sends sampling/createMessage whatever capabilities the client declared',
    catches: ['LC-OP-01'],
    servers: [...STDIO, ...SSE],
  },
  {
    name: 'ping-before-initialized-rejected',
    description: 'every request but initialize, ping included, is refused until notifications/initialized arrives',
    catches: ['LC-PING-02'],
    servers: STDIO,
  },
  {
    name: 'cancel-unknown-crash',
    description: 'a notifications/cancelled for a request that is not in flight crashes the server (an unchecked lookup)',
    catches: ['LC-CANC-01'],
    servers: STDIO,
  },
  {
    name: 'cancel-ignored',
    description: 'notifications/cancelled is ignored: the cancelled request runs to the end and is answered',
    catches: ['LC-CANC-02', 'STDIO-R4-02'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE, ...STREAMABLE],
  },
  {
    name: 'progress-non-monotonic',
    description: 'every progress notification reports the total instead of the running count, so progress does not increase',
    catches: ['LC-PROG-01'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE, 'sdk-http-sse', 'min-http'],
  },
  {
    name: 'progress-after-response',
    description: 'one more progress notification is sent after the response to the request',
    catches: ['LC-PROG-01'],
    servers: [...STDIO, 'sdk-stdio-modern', ...SSE],
  },
  {
    name: 'progress-empty-message',
    description: 'progress notifications carry an empty message',
    catches: ['LC-PROG-02'],
    // not the legacy SSE servers: they serve 2024-11-05 only, before progress had a message
    servers: [...STDIO, 'sdk-stdio-modern', 'sdk-http-sse', 'min-http'],
  },
  {
    name: 'batch-responses',
    description: 'responses that are ready within a few milliseconds of each other are written as one JSON array line',
    catches: ['STDIO-FRAME-03'],
    // answers held for a batch when the process exits are lost: the listens' final results on SIGTERM
    alsoAffects: ['MOD-SUB-05'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'stderr-invalid-utf8',
    description: 'a start-up log line is written to stderr in Latin-1, not UTF-8',
    catches: ['STDIO-LOG-01'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'sigterm-ignored',
    description: 'a SIGTERM handler swallows the signal and the process keeps running',
    catches: ['STDIO-SHUT-02'],
    // a process that ignores SIGTERM never shuts down, so it never ends its listens either
    alsoAffects: ['MOD-SUB-05'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'server-request-on-stdout',
    description: 'the server asks the client for sampling with a JSON-RPC request on stdout when tools/list is called',
    catches: ['STDIO-R4-01'],
    servers: ['sdk-stdio-modern'],
  },
  // ---- modern protocol, 2026-07-28 HTTP shape, HTTP security (catalog sections 4, 7, 8a) ----
  {
    name: 'discover-missing-supported-versions',
    description: 'the server/discover result has no supportedVersions',
    // RPC-MSG-01 validates every result against the schema, where supportedVersions is required.
    catches: ['MOD-DISC-01', 'RPC-MSG-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'no-server-info-meta',
    description: 'results carry no _meta serverInfo',
    catches: ['MOD-DISC-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'meta-not-required',
    description: 'a request without _meta clientCapabilities is served as if it declared none',
    catches: ['MOD-META-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'discover-first-required',
    description: 'the server keeps per-connection state and refuses requests until server/discover was called',
    catches: ['MOD-STATE-01'],
    servers: ['sdk-stdio-modern'],
  },
  {
    name: 'log-without-level',
    description: 'tools/call sends a notifications/message although the request asked for no logLevel',
    catches: ['MOD-LOG-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'loglevel-unchecked',
    description: 'an unknown _meta logLevel is ignored instead of rejected with -32602',
    catches: ['MOD-LOG-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'server-request-on-stream',
    description: 'tools/call first sends a roots/list request to the client (a 2025 habit)',
    catches: ['MOD-PAT-01', 'H4-SSE-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'initialize-rejected-vaguely',
    description: 'a legacy initialize gets "Method not found", naming no supported version',
    catches: ['MOD-COMPAT-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'version-header-optional',
    description: 'a POST without MCP-Protocol-Version is served with the _meta version',
    catches: ['H4-HDR-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'version-header-mismatch-accepted',
    description: 'an MCP-Protocol-Version header that differs from _meta is overruled by _meta instead of rejected',
    catches: ['H4-HDR-02'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'mcp-method-optional',
    description: 'a request without Mcp-Method or Mcp-Name is served',
    catches: ['H4-HDR-04'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'header-mismatch-accepted',
    description: 'Mcp-Method and Mcp-Name are not compared with the body',
    catches: ['H4-HDR-05', 'H4-HDR-07'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'no-base64-decode',
    description: 'a =?base64?…?= Mcp-Name is compared undecoded, so it never matches',
    catches: ['H4-HDR-06'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'get-200',
    description: 'GET on the modern endpoint is answered 200 instead of 405',
    catches: ['H4-LEG-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'echo-session-id',
    description: 'an Mcp-Session-Id request header is echoed on the response',
    catches: ['H4-LEG-02'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'last-event-id-rejected',
    description: 'a POST with Last-Event-ID is refused with 400',
    catches: ['H4-LEG-03'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'no-accel-buffering-header',
    description: 'SSE responses lack X-Accel-Buffering: no',
    catches: ['H4-SSE-04'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'host-unchecked',
    description: 'the Host header is not validated (DNS rebinding with an absent Origin)',
    catches: ['SEC-HOST-01'],
    servers: WEB,
  },
  {
    name: 'origin-port-ignored',
    description: "the Origin allowlist names bare localhost, so the server's own origin with its port is refused",
    catches: ['SEC-ORIGIN-03'],
    servers: WEB,
  },
  {
    name: 'bind-all-interfaces',
    description: 'the server listens on 0.0.0.0 instead of 127.0.0.1',
    catches: ['SEC-BIND-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'discover-202',
    description: 'server/discover is answered with HTTP 202 instead of 200',
    catches: ['H4-EP-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'response-text-plain',
    description: 'JSON answers are labelled Content-Type: text/plain',
    catches: ['H4-POST-02'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'sse-stream-held-open',
    description: 'an SSE response stream stays open for 3 s after the final response',
    catches: ['H4-SSE-03'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'progress-token-mixed',
    description: "progress notifications carry another request's progressToken",
    // LC-PROG-01 sees no progress for its own token either
    catches: ['H4-SSE-01', 'LC-PROG-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'unknown-sse-session-200',
    description: 'a legacy POST for a sessionId with no open stream is acknowledged 202 and dropped',
    catches: ['LSSE-MSG-03'],
    servers: SSE,
  },
  // ---- R4 header params and listen keep-alives, legacy SSE messages, scope hierarchies (sections 8a, 9, 10a) ----
  {
    name: 'param-header-unchecked',
    description: 'Mcp-Param-* headers of x-mcp-header parameters are not compared with the tool arguments (missing or different values are served)',
    catches: ['H4-HDR-08'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'param-header-string-compare',
    description: 'an integer Mcp-Param-* header is compared as a string, so 42.0 does not match the body value 42',
    catches: ['H4-HDR-08'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'param-header-any-characters',
    description: 'an Mcp-Param-* value with raw non-ASCII characters (not Base64-encoded) is accepted when it matches the body',
    catches: ['H4-HDR-08'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'number-x-mcp-header',
    description: 'a tool annotates a number-typed parameter with x-mcp-header',
    catches: ['H4-HDR-09'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'no-listen-keepalive',
    description: 'subscriptions/listen streams get no keep-alive comment lines while idle',
    catches: ['H4-SSE-05'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'sse-single-endpoint',
    description: 'one endpoint for both: the endpoint event names the SSE URL itself, and POSTs are taken there',
    catches: ['LSSE-EP-01'],
    servers: SSE,
  },
  {
    name: 'progress-event-named',
    description: 'progress notifications go out on the legacy stream as `event: progress` instead of `event: message`',
    catches: ['LSSE-MSG-01'],
    // clients drop events of other types, so the progress checks see no progress at all
    alsoAffects: ['LC-PROG-01', 'RPC-NOT-01'],
    servers: SSE,
  },
  {
    name: 'scope-hierarchy-ignored',
    description: 'scopes are compared as exact strings: a token with the broader mcp:admin scope is refused the tools it implies',
    catches: ['AUTH-SCOPE-02'],
    servers: ['sdk-stateless-auth'],
  },
  {
    name: 'scope-challenge-incremental',
    description: 'an insufficient_scope challenge names one missing scope at a time, so the client needs a round-trip per scope',
    catches: ['AUTH-SCOPE-02'],
    servers: ['sdk-stateless-auth'],
  },
  {
    name: 'legacy-sse-dropped',
    description: 'the server says it serves old clients, but the 2024-11-05 SSE and POST endpoints are gone (the old URL is a 404)',
    catches: ['COMPAT-SRV-01'],
    servers: ['min-http'],
  },
  {
    name: 'post-answer-in-body',
    description: 'a legacy POST of ping is answered 200 with the response in the HTTP body (as well as on the stream)',
    catches: ['LSSE-MSG-02'],
    servers: SSE,
  },
  // ---- modern protocol: client capabilities, input-required results, subscriptions/listen (catalog section 4) ----
  {
    name: 'client-capability-unchecked',
    description: 'a tool asks the client for input (elicitation) although the request declared no such capability, instead of failing with -32021',
    catches: ['MOD-CAP-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'capability-error-200',
    description: 'the -32021 missing-capability error goes out with HTTP 200 instead of 400',
    catches: ['MOD-CAP-01'],
    servers: ['sdk-stateless'],
  },
  {
    name: 'request-state-unverified',
    description: 'the requestState a client echoes is trusted as it comes back: a tampered state is served',
    catches: ['MOD-MRTR-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'input-required-bare',
    description: 'an input-required result carries neither inputRequests nor requestState',
    catches: ['MOD-MRTR-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-ack-id-stringified',
    description: 'the subscriptions/listen acknowledgement carries the listen id as a string, whatever its JSON type',
    catches: ['MOD-SUB-01'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-filter-ignored',
    description: 'subscriptions/listen ignores the requested filter and subscribes to every change the server has',
    catches: ['MOD-SUB-02'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-notification-unstamped',
    description: 'change notifications on a listen go out without _meta subscriptionId',
    catches: ['MOD-SUB-03'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'cancelled-for-call',
    description: 'the server sends notifications/cancelled for the tools/call it is answering, a use the 2026-07-28 revision reserves for ending listens',
    catches: ['MOD-SUB-04'],
    servers: MODERN_FAULT_KINDS,
  },
  {
    name: 'listen-dropped-on-shutdown',
    description: 'on shutdown the process exits with listens open, sending them no final result',
    catches: ['MOD-SUB-05'],
    servers: ['sdk-stdio-modern'],
  },
  // ---- JSON-RPC rows RPC-ID-02 and RPC-ERR-05 (section 1a: server-initiated request ids, missing resources), CR LF on stdio (tension T9) ----
  {
    name: 'server-request-id-reused',
    description: 'every request the server sends the client (a ping) carries the same hard-coded id 1',
    catches: ['RPC-ID-02'],
    // not sdk-http-json and min-http: a JSON-only answer carries no request to the client
    servers: ['sdk-stdio', 'min-stdio', 'sdk-sse', 'min-sse', 'sdk-http-sse'],
  },
  {
    name: 'crlf-output',
    description: 'stdout lines end in CR LF (a Windows habit) instead of LF alone',
    catches: ['STDIO-FRAME-01'],
    servers: ['min-stdio'],
  },
  {
    name: 'missing-resource-empty',
    description: 'resources/read of an unknown URI returns an empty contents list instead of an error',
    catches: ['RPC-ERR-05'],
    servers: ['sdk-stdio', 'sdk-sse', 'sdk-http-json', 'sdk-stateless', 'min-http'],
  },
];

export type FaultName = string;

export function findFault(name: string): FaultDef | undefined {
  return FAULTS.find((f) => f.name === name);
}

export function faultsFor(kind: ServerKind): FaultDef[] {
  return FAULTS.filter((f) => f.servers.includes(kind));
}

/** Parse `--fault a,b` / repeated flags into a checked set; unknown names are a usage error. */
export function parseFaults(names: readonly string[], kind: ServerKind): Set<string> {
  const set = new Set<string>();
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    const def = findFault(name);
    if (!def) throw new Error(`unknown fault "${name}"`);
    if (!def.servers.includes(kind)) throw new Error(`fault "${name}" is not available on ${kind}`);
    set.add(name);
  }
  return set;
}
