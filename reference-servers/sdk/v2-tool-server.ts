/**
 * The shared tool set on a low-level v2 SDK `Server` (the package deprecates `Server` in favour
 * of `McpServer`, whose tools take Standard Schema objects; the shared tools are plain JSON
 * Schema, which only the low-level handlers serve unchanged). Progress goes out through the
 * request context with the request's progressToken; cancellation is the context's signal. An
 * unknown tool is a protocol error -32602 (RPC-ERR-04).
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { ToolContext } from '../tools.js';
import { findTool, SERVER_INFO, toolListing } from '../tools.js';

export function createToolServerV2(): Server {
  const server = new Server({ ...SERVER_INFO }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', () => ({ tools: toolListing() as Tool[] }));
  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = request.params;
    const tool = findTool(name);
    if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const token = _meta?.progressToken;
    const tc: ToolContext = { signal: ctx.mcpReq.signal };
    if (token !== undefined) {
      tc.progress = (progress, total, message) =>
        ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } });
    }
    try {
      return (await tool.run(args ?? {}, tc)) as CallToolResult;
    } catch (err) {
      throw new ProtocolError(ProtocolErrorCode.InternalError, (err as Error).message);
    }
  });
  return server;
}
