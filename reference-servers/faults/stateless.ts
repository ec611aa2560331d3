/** Faults of Streamable HTTP, the 2026-07-28 shape (catalog section 8). */
import type { FaultDef } from './def.js';

export const STATELESS_FAULTS = [
  {
    name: 'unknown-method-200',
    description: 'an unknown method is answered -32601 with HTTP 200 instead of 404',
    catches: ['H4-HDR-03'],
    servers: ['sdk-stateless'],
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
    name: 'param-header-unchecked',
    description:
      'Mcp-Param-* headers of x-mcp-header parameters are not compared with the tool arguments (missing or different values are served)',
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
] as const satisfies readonly FaultDef[];
