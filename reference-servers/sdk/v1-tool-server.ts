/**
 * The shared tool set on a low-level v1 SDK `Server`: tools/list, and tools/call with progress
 * (through the handler's extra, with the request's progressToken) and cancellation (extra.signal).
 * An unknown tool is a protocol error -32602, not an isError result (RPC-ERR-04).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest, Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolRequestSchema,
  EmptyResultSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../tools.js';
import {
  CLIENT_ANSWER_MS,
  findResource,
  findTool,
  RESOURCE_NOT_FOUND,
  resourceContents,
  resourceListing,
  SERVER_INFO,
  toolListing,
} from '../tools.js';

/** The capabilities every v1 reference server declares: the shared tools and resources. */
export const V1_CAPABILITIES = { tools: {}, resources: {} } as const;

/** The shared resources on a v1 Server; an unknown URI is error -32002, as 2024-11-05 … 2025-11-25 advise (RPC-ERR-05). */
export function serveResources(server: Server): void {
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resourceListing() }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const { uri } = request.params;
    const resource = findResource(uri);
    if (!resource) throw new McpError(RESOURCE_NOT_FOUND.legacy, `Resource not found: ${uri}`, { uri });
    return resourceContents(resource);
  });
}

/** A ping to the client related to the handler's request (so it rides that request's stream), answered within CLIENT_ANSWER_MS. */
export function pingClientVia(extra: RequestHandlerExtra<ServerRequest, ServerNotification>): () => Promise<void> {
  return () => extra.sendRequest({ method: 'ping' }, EmptyResultSchema, { timeout: CLIENT_ANSWER_MS }).then(() => undefined);
}

export interface ToolServerOptions {
  /** the transport carries requests to the client on a call's stream (not with JSON-only answers, where the SDK drops them) */
  clientRequests?: boolean;
}

export function createToolServer(opts: ToolServerOptions = {}): Server {
  // the notify tool sends tools/list_changed, which a server announces with listChanged
  const server = new Server({ ...SERVER_INFO }, { capabilities: { ...V1_CAPABILITIES, tools: { listChanged: true } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolListing() as Tool[] }));
  serveResources(server);
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = request.params;
    const tool = findTool(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const token = _meta?.progressToken;
    const ctx: ToolContext = { signal: extra.signal };
    // offered by the SDK only with an event store and a 2025-11-25 client, which can resume
    if (extra.closeSSEStream) ctx.poll = extra.closeSSEStream;
    if (extra.closeStandaloneSSEStream) ctx.closeGetStream = extra.closeStandaloneSSEStream;
    // not related to the call: the transport puts it on the GET stream (SHTTP-MULTI-01)
    ctx.notifySession = () => server.sendToolListChanged();
    if (opts.clientRequests) ctx.pingClient = pingClientVia(extra);
    if (token !== undefined) {
      ctx.progress = (progress, total, message) =>
        extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } });
    }
    try {
      return (await tool.run(args ?? {}, ctx)) as CallToolResult;
    } catch (err) {
      throw new McpError(ErrorCode.InternalError, (err as Error).message);
    }
  });
  return server;
}
