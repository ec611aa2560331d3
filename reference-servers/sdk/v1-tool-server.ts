/**
 * The shared tool set on a low-level v1 SDK `Server`: tools/list, and tools/call with progress
 * (through the handler's extra, with the request's progressToken) and cancellation (extra.signal).
 * An unknown tool is a protocol error -32602, not an isError result (RPC-ERR-04).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from '../tools.js';
import { findTool, SERVER_INFO, toolListing } from '../tools.js';

export function createToolServer(): Server {
  const server = new Server({ ...SERVER_INFO }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolListing() as Tool[] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = request.params;
    const tool = findTool(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const token = _meta?.progressToken;
    const ctx: ToolContext = { signal: extra.signal };
    // offered by the SDK only with an event store and a 2025-11-25 client, which can resume
    if (extra.closeSSEStream) ctx.poll = extra.closeSSEStream;
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
