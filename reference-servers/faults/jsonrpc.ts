/** Faults of JSON-RPC message rules (catalog section 1). */
import type { FaultDef } from './def.js';
import { ALL, MODERN_ONLY, SSE, STDIO } from './groups.js';

export const JSONRPC_FAULTS = [
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
    name: 'server-request-id-reused',
    description: 'every request the server sends the client (a ping) carries the same hard-coded id 1',
    catches: ['RPC-ID-02'],
    // not sdk-http-json and min-http: a JSON-only answer carries no request to the client
    servers: ['sdk-stdio', 'min-stdio', 'sdk-sse', 'min-sse', 'sdk-http-sse'],
  },
  {
    name: 'missing-resource-empty',
    description: 'resources/read of an unknown URI returns an empty contents list instead of an error',
    catches: ['RPC-ERR-05'],
    servers: ['sdk-stdio', 'sdk-sse', 'sdk-http-json', 'sdk-stateless', 'min-http'],
  },
] as const satisfies readonly FaultDef[];
