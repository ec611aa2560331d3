/** Faults of Streamable HTTP, the 2025 shape (catalog section 6). */
import type { FaultDef } from './def.js';
import { STREAMABLE } from './groups.js';

export const STREAMABLE_HTTP_FAULTS = [
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
    description:
      'an initialize POST offering 2025-06-18 or later without MCP-Protocol-Version is rejected with 400, although the header belongs to the requests after it',
    catches: ['SHTTP-PVER-03'],
    servers: STREAMABLE,
  },
  {
    name: 'reuse-session-ids',
    description: 'the id of the latest terminated session is handed out again to the next initialize',
    catches: ['SHTTP-SESSION-08'],
    servers: STREAMABLE,
    serial: true,
  },
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
  {
    name: 'no-session-ids',
    description:
      'the server runs without sessions: no Mcp-Session-Id on the InitializeResult, and requests without one are served statelessly',
    catches: ['SHTTP-SESSION-01'],
    // the other session rows have no id to probe (skip); a request before initialize is served too
    alsoAffects: [
      'SHTTP-SESSION-02',
      'SHTTP-SESSION-03',
      'SHTTP-SESSION-04',
      'SHTTP-SESSION-05',
      'SHTTP-SESSION-06',
      'SHTTP-SESSION-07',
      'SHTTP-SESSION-08',
      'LC-INIT-01',
    ],
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
    description:
      'a notification that belongs to no request (tools/list_changed) is written to the GET stream and to every open request stream',
    catches: ['SHTTP-MULTI-01'],
    // a JSON-response server has no request streams to copy onto
    servers: ['sdk-http-sse'],
  },
  {
    name: 'get-resume-refused',
    description:
      "after the server ends the GET connection for polling, a reconnect with the GET stream's Last-Event-ID is refused with 400",
    catches: ['SHTTP-GET-04'],
    servers: ['sdk-http-sse'],
  },
] as const satisfies readonly FaultDef[];
