/**
 * The SDK (v1) reference server over stdio: the SDK's low-level Server and its own
 * StdioServerTransport, fed through the shared stdio wire. The transport gets wrapped streams:
 * the wire reads the real stdin, answers what the SDK would drop, and forwards only valid
 * messages; everything the SDK writes goes back through the wire's outgoing faults.
 */
import { PassThrough, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ErrorCode as SdkErrorCode,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { errorResponse, MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { openStdioWire } from '../stdio-wire.js';
import type { ToolContext } from '../tools.js';
import { findTool, SERVER_INFO, toolListing } from '../tools.js';
import { pingClientVia, serveResources, V1_CAPABILITIES } from './v1-tool-server.js';

function createSdkServer(): Server {
  const server = new Server({ ...SERVER_INFO }, { capabilities: V1_CAPABILITIES });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: toolListing() }));
  serveResources(server);
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = findTool(request.params.name);
    if (!tool) throw new McpError(SdkErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const token = request.params._meta?.progressToken;
    const ctx: ToolContext = { signal: extra.signal, pingClient: pingClientVia(extra) };
    if (token !== undefined) {
      ctx.progress = (progress, total, message) =>
        extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } });
    }
    // A cancelled call rejects here; the SDK sends nothing for a request whose signal was aborted.
    return tool.run(request.params.arguments ?? {}, ctx);
  });
  return server;
}

const MEMBERS = ['jsonrpc', 'id', 'method', 'params', 'result', 'error'] as const;

/**
 * Only the JSON-RPC members: the SDK's strict schema would otherwise drop a message for an
 * extension member that JSON-RPC itself does not forbid (the hand-written server ignores them too).
 */
function jsonRpcMembers(message: JsonRpcMessage): JsonRpcMessage {
  const out: JsonRpcMessage = {};
  for (const key of MEMBERS) if (key in message) out[key] = message[key];
  return out;
}

export async function start(opts: ServeOptions): Promise<RunningServer> {
  const layer = new MessageLayer(opts.faults);
  const server = createSdkServer();
  const toSdk = new PassThrough();

  // The SDK writes each message as one complete JSON line; it is parsed back so that the
  // outgoing faults act on the message, exactly as they do on every other server.
  const fromSdk = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      if (wire.send(JSON.parse(chunk) as JsonRpcMessage)) done();
      else wire.output.once('drain', () => done());
    },
  });

  const wire = openStdioWire({
    layer,
    deliver(message) {
      // FIX: the SDK serves any request before initialize; the lifecycle makes initialize the first interaction.
      const refused = layer.gate(message);
      if (refused) {
        wire.send(refused);
        return;
      }
      const forwarded = jsonRpcMembers(message);
      // The SDK's schema is stricter than JSON-RPC's (integer ids, object params) and drops what
      // fails it silently; a request it would drop is answered -32600 here instead.
      if (!JSONRPCMessageSchema.safeParse(forwarded).success) {
        if ('id' in message) {
          wire.send(errorResponse(message.id as string, ErrorCode.InvalidRequest, 'Invalid Request: not a valid MCP message'));
        }
        return;
      }
      toSdk.write(`${JSON.stringify(forwarded)}\n`);
    },
    stop: () => server.close(),
  });

  await server.connect(new StdioServerTransport(toSdk, fromSdk));
  return { close: () => wire.close() };
}
