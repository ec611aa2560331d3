/**
 * Legacy HTTP+SSE (2024-11-05) on the official v1 SDK: one `SSEServerTransport` and one
 * low-level `Server` per GET stream, serving the shared tool set.
 *
 * Where the SDK's defaults break the spec, and the fix (measured against SDK 1.32.2):
 * - Origin and Host are not validated unless `enableDnsRebindingProtection` is set, so a
 *   foreign Origin gets a stream and its POSTs are served (LSSE-SEC-01, SEC-ORIGIN-01/02).
 *   Fix: the shared guard answers 403 before the SDK sees the GET or the POST.
 * - `handlePostMessage` answers an unparseable body, an invalid JSON-RPC object (wrong
 *   "jsonrpc", non-string method, object or null id) and a batch with HTTP 400 and puts no
 *   JSON-RPC error on the stream (RPC-ERR-01, RPC-ERR-02). Fix: the wire classifies the raw
 *   body first, sends -32700 / -32600 on the stream and acknowledges 202; the SDK only ever
 *   receives a pre-parsed, valid message.
 * - Its message schema is stricter than JSON-RPC (objects are strict, params must be an
 *   object), and what it refuses also ends in a bare 400. Fix: such a request or notification
 *   gets -32600 on the stream instead (see `deliver`).
 * - It keeps no session table: routing a POST to its transport is the application's job (the
 *   SDK's own examples answer an unknown sessionId with 400). Here: 404 (LSSE-MSG-03).
 */
import type { ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CallToolRequestSchema, JSONRPCMessageSchema, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcId, JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { MESSAGES_PATH, serveLegacySse, type WireSession } from '../http/legacy-sse-wire.js';
import { errorResponse, type MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { findTool, SERVER_INFO, type ToolContext, toolListing } from '../tools.js';
import { pingClientVia, serveResources, V1_CAPABILITIES } from './v1-tool-server.js';

/**
 * The outgoing message faults act on every message the Server sends. This transport has a
 * single stream and ignores the routing options of `send`, so wrapping `send` sees everything.
 */
class LayeredSseTransport extends SSEServerTransport {
  constructor(
    res: ServerResponse,
    private readonly layer: MessageLayer,
  ) {
    super(MESSAGES_PATH, res);
  }

  override send(message: JSONRPCMessage): Promise<void> {
    const out = this.layer.outgoing(message as JsonRpcMessage);
    const sent = super.send(out as JSONRPCMessage);
    for (const extra of this.layer.extraAfterSend(out)) void super.send(extra as JSONRPCMessage).catch(() => {});
    return sent;
  }
}

function createMcpServer(): Server {
  const server = new Server({ ...SERVER_INFO }, { capabilities: V1_CAPABILITIES });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolListing() }));
  serveResources(server);
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = findTool(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const token = request.params._meta?.progressToken;
    const ctx: ToolContext = { signal: extra.signal, pingClient: pingClientVia(extra) };
    if (token !== undefined) {
      ctx.progress = (progress, total, message) =>
        extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress, total, message },
        });
    }
    return tool.run(request.params.arguments ?? {}, ctx);
  });
  return server;
}

function readableId(message: JsonRpcMessage): JsonRpcId {
  return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
}

async function openSession(res: ServerResponse, layer: MessageLayer): Promise<WireSession> {
  const transport = new LayeredSseTransport(res, layer);
  const server = createMcpServer();
  // The SDK reports dropped and failed messages here; the wire has answered them already.
  server.onerror = () => {};
  let closed = false;
  const send = (message: JsonRpcMessage): void => {
    transport.send(message as JSONRPCMessage).catch(() => {});
  };
  await server.connect(transport);
  return {
    id: transport.sessionId,
    layer,
    send,
    async deliver(message, req, post) {
      if (!JSONRPCMessageSchema.safeParse(message).success) {
        post.writeHead(202).end();
        // Never answer a response, even a malformed one.
        if ('method' in message) {
          send(errorResponse(readableId(message), ErrorCode.InvalidRequest, 'Invalid Request: not a valid MCP message'));
        }
        return;
      }
      // Throws (after answering 500) only when the stream closed under this POST.
      await transport.handlePostMessage(req, post, message).catch(() => {});
    },
    close() {
      if (closed) return;
      closed = true;
      // Aborts the handlers in flight (extra.signal) and ends the stream.
      void server.close().catch(() => {});
    },
  };
}

export function start(opts: ServeOptions): Promise<RunningServer> {
  return serveLegacySse(opts, openSession);
}
