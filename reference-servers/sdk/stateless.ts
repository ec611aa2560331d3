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
 * Defects hook in at the HTTP seams (http/seams.ts, faults/hooks/http-streamable.ts): settings,
 * admission, the request on its way to the SDK, the messages it writes, the reply and its stream.
 * Not a fix but a setting: listen-stream keep-alives every 250 ms instead of the SDK's 15 s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { authSeamFor } from '../faults/hooks/http-auth.js';
import { httpSeamFor } from '../faults/hooks/http-streamable.js';
import { answeredAtDoor, parseJson, refused, refuseUnparseable, replyThrough, sendReply } from '../http/answer.js';
import { AuthGate } from '../http/auth.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { type Endpoint, MCP_PATH, serveEndpoint } from '../http/endpoint.js';
import { extraHostsFor } from '../http/listen.js';
import { paramHeaderProblem } from '../http/param-headers.js';
import { sendError, sendJson } from '../http/reply.js';
import type { MessageRewrite } from '../http/rewrite.js';
import { rewriteWebResponse } from '../http/rewrite.js';
import type { ComposedHttpSeam } from '../http/seams.js';
import { exchangeController, toWebRequest, writeWebResponse } from '../http/web-bridge.js';
import { errorResponse, MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createToolServerV2, PARAM_TOOL, PARAM_TOOL_SCHEMA } from './v2-tool-server.js';

/**
 * Messages the server sends before its answer (fault hooks at the `ahead` seam): the answer
 * becomes an SSE stream that opens with them.
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

/** The -32020 rejection of a tools/call whose Mcp-Param-* headers disagree with its arguments (H4-HDR-08). */
function paramMismatch(seam: ComposedHttpSeam, message: JsonRpcMessage, headers: IncomingMessage['headers']): JsonRpcMessage | undefined {
  const { checked, ...lenient } = seam.settings.paramHeaders;
  if (message.method !== 'tools/call' || !('id' in message) || !checked) return undefined;
  const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
  if (params?.name !== PARAM_TOOL) return undefined;
  const problem = paramHeaderProblem(PARAM_TOOL_SCHEMA, params.arguments, headers, lenient);
  return problem ? errorResponse(message.id as string, ErrorCode.HeaderMismatch, `Bad Request: ${problem}`) : undefined;
}

export function start(opts: ServeOptions): Promise<RunningServer> {
  // Listening on every interface (fault bind-all-interfaces) leaves the URL on loopback.
  const host = httpSeamFor(opts.faults).settings.bindAllInterfaces ? '0.0.0.0' : opts.host;
  return serveEndpoint(createStatelessEndpoint(opts), host, opts.port);
}

/** The 2026-07-28 endpoint, modern-only, as a handler (http/endpoint.ts). */
export function createStatelessEndpoint(opts: ServeOptions): Endpoint {
  const faults = opts.faults;
  const seam = httpSeamFor(faults);
  const settings = seam.settings;
  const auth = opts.auth ? new AuthGate(authSeamFor(faults), MCP_PATH) : undefined;
  // change-tools reaches listeners through the handler's bus: each request has its own server.
  const hooks = { toolsChanged: () => handler.notify.toolsChanged(), trustRequestState: settings.trustRequestState };
  const handler = createMcpHandler(() => createToolServerV2(hooks), {
    legacy: 'reject',
    onerror: () => {},
    // Short enough for a client (and H4-SSE-05's short window) to see one on a listen stream; the
    // SDK's 15 s default is "encouraged" too. 0 turns keep-alives off.
    keepAliveMs: settings.listenKeepAliveMs,
  });
  const door = { port: 0, extraHosts: [] as string[], faults, auth, seam };
  let origin = '';

  /** Outgoing messages: the message layer's rewrite, then the HTTP seam's. */
  const outgoing =
    (layer: MessageLayer): MessageRewrite =>
    (m) =>
      seam.rewrite(layer.outgoing(m));

  async function post(req: IncomingMessage, res: ServerResponse, body: string | undefined): Promise<void> {
    const parsed = parseJson(body ?? (await readBody(req, DEFAULT_MAX_BODY)));
    if (!parsed) return refuseUnparseable(req, res, seam);
    const value = parsed.value;
    if (auth?.forbids(req, res, value)) return;
    // Per request: there is no session, and a layer's id bookkeeping must not outlive the exchange.
    const layer = new MessageLayer(faults);
    let parsedBody: unknown = value;
    let ahead: readonly JsonRpcMessage[] = [];
    if (!Array.isArray(value)) {
      // FIX: v2 answers `"method": 7` with id null although the id was readable (RPC-RES-03).
      const c = layer.classifyValue(value);
      if (c.kind !== 'message')
        return sendReply(res, seam, 400, outgoing(layer)(layer.rejection(c)!), {
          req,
          occasion: 'refusal',
          rejected: 'invalid',
          request: value,
        });
      const message = seam.inbound(c.message, req.headers);
      // FIX: v2 checks Mcp-Param-* headers only for McpServer tools; this server's tools are on the low-level Server.
      const mismatch = paramMismatch(seam, message, req.headers);
      if (mismatch) return sendJson(res, 400, outgoing(layer)(mismatch));
      if (refused(res, seam.admit({ req, stage: 'post', message: c.message }), outgoing(layer))) return;
      ahead = seam.ahead(message);
      parsedBody = message;
    }
    // The Request's signal is how v2 learns the client went away (a closed stream is cancellation).
    const exchange = exchangeController(res);
    const request = toWebRequest(req, origin, { signal: exchange.signal });
    let response = await handler.fetch(request, { parsedBody });
    const message = parsedBody as JsonRpcMessage;
    const accepted = response.status === 202 && typeof message.method === 'string' && !('id' in message);
    if (accepted) {
      const bogus = layer.answerToNotification(message);
      if (bogus) return sendJson(res, 200, outgoing(layer)(bogus));
    }
    if (seam.rewrites) response = await rewriteWebResponse(response, outgoing(layer));
    if (ahead.length > 0) response = await withEventsFirst(response, ahead);
    response = await replyThrough(response, seam, { req, occasion: accepted ? 'accepted' : 'answer', request: message });
    return writeWebResponse(res, seam.stream(response, { kind: 'request' }), exchange.signal);
  }

  async function route(req: IncomingMessage, res: ServerResponse, body?: string): Promise<void> {
    // FIX: v2 leaves Origin/Host validation to the application.
    if (answeredAtDoor(req, res, door)) return;
    if (req.method === 'POST') return post(req, res, body);
    // FIX: v2's 405 body carries -32000, a legacy-range code; the status was already right.
    return sendError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed: this endpoint serves POST only', null, { allow: 'POST' });
  }

  return {
    handle: route,
    listening(bound) {
      door.port = bound.port;
      const allInterfaces = settings.bindAllInterfaces;
      origin = allInterfaces ? `http://127.0.0.1:${bound.port}` : bound.origin;
      door.extraHosts = allInterfaces ? [] : extraHostsFor(bound.host);
      const tokens = auth?.listening(origin);
      return tokens ? { origin, tokens } : { origin };
    },
    close: () => handler.close(),
  };
}
