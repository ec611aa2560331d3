/**
 * Streamable HTTP in the 2026-07-28 stateless shape, on the official v2 SDK
 * (`@modelcontextprotocol/server`): `createMcpHandler` with a per-request server factory,
 * modern-only (`legacy: 'reject'`: a 2025-era request, initialize included, gets -32022 naming
 * the supported versions, which is what MOD-COMPAT-01 asks of a modern-only server).
 *
 * The v2 handler is web-standard (Request → Response); `@modelcontextprotocol/node`, which would
 * adapt it to node:http, is not a dependency, so http/web-bridge.ts does that here. The body is
 * read and parsed once, then handed over as `parsedBody`.
 *
 * What v2 already gets right by default and is left alone: server/discover, unknown method →
 * 404/-32601, unsupported version → 400/-32022 with data.supported and data.requested, missing
 * or mismatched MCP-Protocol-Version / Mcp-Method / Mcp-Name → 400/-32020, notification → 202,
 * arrays → 400/-32600, no session header minted. Where it does not conform, this server fixes it
 * in front of the SDK (marked FIX below):
 * - Origin and Host are not validated ("the entry itself is deliberately validation-free").
 * - An invalid request with a readable id but a non-string method loses its id (id null).
 * - GET/DELETE 405 bodies use -32000, inside the legacy range -32000…-32019 that 2026-07-28 asks
 *   servers to avoid (RPC-ERR-09).
 * - Mcp-Param-{Name} headers are checked against the arguments only for tools registered on
 *   McpServer; the tools here are on the low-level Server, so a missing or different header
 *   would be served (H4-HDR-08). http/param-headers.ts answers it with 400/-32020.
 * Not a fix but a setting: listen-stream keep-alives every 250 ms instead of the SDK's 15 s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { type Endpoint, MCP_PATH, serveEndpoint } from '../http/endpoint.js';
import { checkOriginAndHost, guardRejectionBody } from '../http/guard.js';
import { extraHostsFor } from '../http/listen.js';
import { AuthGate } from '../http/auth.js';
import { pathOf, sendEmpty, sendError, sendJson, sendJsonText } from '../http/reply.js';
import type { MessageRewrite } from '../http/rewrite.js';
import { rewriteWebResponse } from '../http/rewrite.js';
import { exchangeController, toWebRequest, writeWebResponse } from '../http/web-bridge.js';
import { errorResponse, MESSAGE_RULE_OUTGOING_FAULTS, MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createToolServerV2, PARAM_TOOL, PARAM_TOOL_SCHEMA } from './v2-tool-server.js';
import { paramHeaderProblem } from '../http/param-headers.js';
import type { FaultName } from '../faults/index.js';
import {
  faultyModernHeaders,
  faultyModernOutgoing,
  faultyModernRequest,
  MODERN_OUTGOING_FAULTS,
  modernExtraMessages,
  modernFaultAnswer,
} from '../modern-faults.js';

const LISTEN_KEEPALIVE_MS = 250;
/** faults that change outgoing messages, so the SDK's answers must be rewritten */
const OUTGOING_FAULTS: readonly FaultName[] = [
  'id-type-coerce',
  'unknown-method-wrong-code',
  'version-error-no-data',
  ...MODERN_OUTGOING_FAULTS,
  ...MESSAGE_RULE_OUTGOING_FAULTS,
];

/** Fault version-error-no-data: the -32022 error keeps its code and message, loses its data. */
function dropVersionData(m: JsonRpcMessage): JsonRpcMessage {
  const error = m.error as { code?: unknown; data?: unknown } | undefined;
  if (error?.code !== ErrorCode.UnsupportedProtocolVersion || !('data' in error)) return m;
  const { data: _dropped, ...rest } = error;
  return { ...m, error: rest };
}

/**
 * Faults log-without-level and server-request-on-stream: messages the server sends before its
 * answer, so the answer becomes an SSE stream that opens with them.
 */
async function withEventsFirst(response: Response, first: readonly JsonRpcMessage[]): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const events = first.map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join('');
  const rest = type.includes('text/event-stream') ? text : `event: message\ndata: ${text}\n\n`;
  const headers = new Headers(response.headers);
  headers.set('content-type', 'text/event-stream');
  headers.set('x-accel-buffering', 'no');
  headers.delete('content-length');
  return new Response(events + rest, { status: response.status, headers });
}

/** Faults on how a request's answer travels: its status, its Content-Type, when its stream ends. */
function faultyModernResponse(faults: ReadonlySet<string>, response: Response, message: JsonRpcMessage): Response {
  const type = response.headers.get('content-type') ?? '';
  // Fault discover-202: server/discover is answered with the status of an accepted notification.
  if (faults.has('discover-202') && message.method === 'server/discover' && response.status === 200) {
    return new Response(response.body, { status: 202, headers: response.headers });
  }
  // Fault response-text-plain: JSON answers are labelled text/plain.
  if (faults.has('response-text-plain') && type.includes('application/json')) {
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(response.body, { status: response.status, headers });
  }
  // Fault sse-stream-held-open: the response stream stays open for 3 s after the final response.
  if (faults.has('sse-stream-held-open') && type.includes('text/event-stream') && response.body) {
    const held = response.body.pipeThrough(new TransformStream({ flush: () => new Promise<void>((r) => setTimeout(r, 3_000)) }));
    return new Response(held, { status: response.status, headers: response.headers });
  }
  return response;
}

/** The -32020 rejection of a tools/call whose Mcp-Param-* headers disagree with its arguments (H4-HDR-08). */
function paramMismatch(faults: ReadonlySet<string>, message: JsonRpcMessage, headers: IncomingMessage['headers']): JsonRpcMessage | undefined {
  // Fault param-header-unchecked: Mcp-Param-* headers are never compared with the arguments.
  if (message.method !== 'tools/call' || !('id' in message) || faults.has('param-header-unchecked')) return undefined;
  const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
  if (params?.name !== PARAM_TOOL) return undefined;
  // Fault param-header-string-compare: integers are compared as strings, so 42.0 is not 42.
  // Fault param-header-any-characters: a raw non-ASCII value is compared as if it were header-safe.
  const problem = paramHeaderProblem(PARAM_TOOL_SCHEMA, params.arguments, headers, {
    stringCompare: faults.has('param-header-string-compare'),
    anyCharacters: faults.has('param-header-any-characters'),
  });
  return problem ? errorResponse(message.id as string, ErrorCode.HeaderMismatch, `Bad Request: ${problem}`) : undefined;
}

export function start(opts: ServeOptions): Promise<RunningServer> {
  // Fault bind-all-interfaces: the socket listens on every interface; the URL stays loopback.
  const host = opts.faults.has('bind-all-interfaces') ? '0.0.0.0' : opts.host;
  return serveEndpoint(createStatelessEndpoint(opts), host, opts.port);
}

/** The 2026-07-28 endpoint, modern-only, as a handler (http/endpoint.ts). */
export function createStatelessEndpoint(opts: ServeOptions): Endpoint {
  const faults = opts.faults;
  const rewrites = OUTGOING_FAULTS.some((f) => faults.has(f));
  const auth = opts.auth ? new AuthGate(faults, MCP_PATH) : undefined;
  // change-tools reaches listeners through the handler's bus: each request has its own server.
  const hooks = { toolsChanged: () => handler.notify.toolsChanged(), trustRequestState: faults.has('request-state-unverified') };
  const handler = createMcpHandler(() => createToolServerV2(hooks), {
    legacy: 'reject',
    onerror: () => {},
    // Short enough for a client (and H4-SSE-05's short window) to see one on a listen stream; the
    // SDK's 15 s default is "encouraged" too. Fault no-listen-keepalive turns keep-alives off.
    keepAliveMs: faults.has('no-listen-keepalive') ? 0 : LISTEN_KEEPALIVE_MS,
  });
  let port = 0;
  let origin = '';
  let extraHosts: string[] = [];

  function outgoing(layer: MessageLayer): MessageRewrite {
    const base: MessageRewrite = (m) => faultyModernOutgoing(faults, layer.outgoing(m));
    return faults.has('version-error-no-data') ? (m) => dropVersionData(base(m)) : base;
  }

  async function post(req: IncomingMessage, res: ServerResponse, body: string | undefined): Promise<void> {
    const text = body ?? (await readBody(req, DEFAULT_MAX_BODY));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return sendError(res, 400, ErrorCode.ParseError, 'Parse error: invalid JSON');
    }
    if (auth?.forbids(req, res, value)) return;
    // Per request: there is no session, and a layer's id bookkeeping must not outlive the exchange.
    const layer = new MessageLayer(faults);
    let parsedBody: unknown = value;
    if (!Array.isArray(value)) {
      // FIX: v2 answers `"method": 7` with id null although the id was readable (RPC-RES-03).
      const c = layer.classifyValue(value);
      if (c.kind !== 'message') return sendJson(res, 400, outgoing(layer)(layer.rejection(c)!));
      parsedBody = c.message;
    }
    let extras: JsonRpcMessage[] = [];
    if (!Array.isArray(parsedBody)) {
      const answer = modernFaultAnswer(faults, parsedBody as JsonRpcMessage, req.headers);
      if (answer) return sendJson(res, answer.status, outgoing(layer)(answer.message));
      faultyModernHeaders(faults, req.headers, parsedBody as JsonRpcMessage);
      extras = modernExtraMessages(faults, parsedBody as JsonRpcMessage);
      parsedBody = faultyModernRequest(faults, parsedBody as JsonRpcMessage);
      // FIX: v2 checks Mcp-Param-* headers only for McpServer tools; this server's tools are on the low-level Server.
      const mismatch = paramMismatch(faults, parsedBody as JsonRpcMessage, req.headers);
      if (mismatch) return sendJson(res, 400, outgoing(layer)(mismatch));
      // Fault last-event-id-rejected: a resumption header the revision says to ignore is refused.
      if (faults.has('last-event-id-rejected') && req.headers['last-event-id'] !== undefined) {
        return sendError(res, 400, ErrorCode.InvalidRequest, 'Bad Request: unknown Last-Event-ID', (parsedBody as JsonRpcMessage).id as string);
      }
    }
    // The Request's signal is how v2 learns the client went away (a closed stream is cancellation).
    const exchange = exchangeController(res);
    const request = toWebRequest(req, origin, { signal: exchange.signal });
    let response = await handler.fetch(request, { parsedBody });
    const message = parsedBody as JsonRpcMessage;
    if (response.status === 202 && typeof message.method === 'string' && !('id' in message)) {
      const bogus = layer.answerToNotification(message);
      if (bogus) return sendJson(res, 200, outgoing(layer)(bogus));
      if (faults.has('notification-200')) return sendEmpty(res, 200);
    }
    if (response.status === 404 && faults.has('unknown-method-200')) {
      response = new Response(response.body, { status: 200, headers: response.headers });
    }
    // Fault capability-error-200: the missing-capability error keeps its body, loses its 400.
    if (response.status === 400 && faults.has('capability-error-200')) {
      const text = await response.text();
      const missing = text.includes(`"code":${ErrorCode.MissingRequiredClientCapability}`);
      response = new Response(text, { status: missing ? 200 : 400, headers: response.headers });
    }
    if (rewrites) response = await rewriteWebResponse(response, outgoing(layer));
    if (extras.length > 0) response = await withEventsFirst(response, extras);
    response = faultyModernResponse(faults, response, parsedBody as JsonRpcMessage);
    if (faults.has('no-accel-buffering-header') && response.headers.has('x-accel-buffering')) {
      const headers = new Headers(response.headers);
      headers.delete('x-accel-buffering');
      response = new Response(response.body, { status: response.status, headers });
    }
    // Fault echo-session-id: a session header the stateless revision says to ignore is echoed back.
    const sessionId = req.headers['mcp-session-id'];
    if (faults.has('echo-session-id') && typeof sessionId === 'string') {
      const headers = new Headers(response.headers);
      headers.set('mcp-session-id', sessionId);
      response = new Response(response.body, { status: response.status, headers });
    }
    return writeWebResponse(res, response, exchange.signal);
  }

  async function route(req: IncomingMessage, res: ServerResponse, body?: string): Promise<void> {
    // FIX: v2 leaves Origin/Host validation to the application.
    const rejected = checkOriginAndHost(req, port, faults, extraHosts);
    if (rejected) return sendJsonText(res, rejected.status, guardRejectionBody(rejected));
    if (auth?.intercept(req, res)) return;
    if (pathOf(req.url) !== MCP_PATH) return sendError(res, 404, ErrorCode.InvalidRequest, 'Not found: the MCP endpoint is /mcp');
    if (req.method === 'POST') return post(req, res, body);
    // Fault get-200: GET is answered as if a stream were served, where a modern-only server says 405.
    if (req.method === 'GET' && faults.has('get-200')) return sendEmpty(res, 200);
    // FIX: v2's 405 body carries -32000, a legacy-range code; the status was already right.
    return sendError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed: this endpoint serves POST only', null, { allow: 'POST' });
  }

  return {
    handle: route,
    listening(bound) {
      port = bound.port;
      const allInterfaces = faults.has('bind-all-interfaces');
      origin = allInterfaces ? `http://127.0.0.1:${port}` : bound.origin;
      extraHosts = allInterfaces ? [] : extraHostsFor(bound.host);
      const tokens = auth?.listening(origin);
      return tokens ? { origin, tokens } : { origin };
    },
    close: () => handler.close(),
  };
}
