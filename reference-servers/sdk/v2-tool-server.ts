/**
 * The shared tool set on a low-level v2 SDK `Server` (the package deprecates `Server` in favour
 * of `McpServer`, whose tools take Standard Schema objects; the shared tools are plain JSON
 * Schema, which only the low-level handlers serve unchanged). Progress goes out through the
 * request context with the request's progressToken; cancellation is the context's signal. An
 * unknown tool is a protocol error -32602 (RPC-ERR-04).
 *
 * Three 2026-07-28 fixture tools exist only here, since only the v2 servers speak that revision:
 * `confirm` asks the client for input (an input-required result embedding an elicitation, with a
 * signed requestState), `change-tools` announces a change of the tool list to the listeners
 * that asked for it (subscriptions/listen), and `locate` declares x-mcp-header parameters, which
 * clients mirror into Mcp-Param-* headers (the HTTP server validates them, H4-HDR-08).
 */
import { randomBytes } from 'node:crypto';
import type { CallToolResult, ServerContext, Tool } from '@modelcontextprotocol/server';
import { createRequestStateCodec, inputRequired, ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { ToolContext } from '../tools.js';
import { findResource, findTool, resourceContents, resourceListing, SERVER_INFO, toolListing } from '../tools.js';

export const INPUT_TOOL = 'confirm';
export const CHANGE_TOOL = 'change-tools';
/** mirrors its arguments into Mcp-Param-Region and Mcp-Param-Count (x-mcp-header, H4-HDR-08/09) */
export const PARAM_TOOL = 'locate';
export const PARAM_TOOL_SCHEMA = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    count: { type: 'integer', 'x-mcp-header': 'Count' },
  },
} as const;

const MODERN_TOOLS = [
  {
    name: INPUT_TOOL,
    description: 'Asks the client to confirm (an input-required result with an elicitation), then answers with what it said.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: CHANGE_TOOL,
    description: 'Announces that the tool list changed: listeners that asked for toolsListChanged are notified.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: PARAM_TOOL,
    description: 'Answers with its region and count, which clients mirror into Mcp-Param-Region and Mcp-Param-Count headers.',
    inputSchema: PARAM_TOOL_SCHEMA,
  },
] as const;

/**
 * The requestState the client echoes is attacker-controlled, so it is signed; one key per process,
 * since the HTTP server builds a server per request and any of them may get the retry.
 */
const stateCodec = createRequestStateCodec<{ tool: string }>({ key: randomBytes(32), ttlSeconds: 600 });

export interface ToolServerHooks {
  /** how a change of the tool list reaches the listeners (default: the server's own notification) */
  toolsChanged?: () => void;
  /** Fault request-state-unverified: the echoed requestState is trusted without checking its signature. */
  trustRequestState?: boolean;
}

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

export function createToolServerV2(hooks: ToolServerHooks = {}): Server {
  const server = new Server(
    { ...SERVER_INFO },
    {
      capabilities: { tools: { listChanged: true }, resources: {} },
      ...(hooks.trustRequestState
        ? {}
        : { requestState: { verify: (state: string, ctx: ServerContext) => stateCodec.verify(state, ctx) } }),
    },
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...toolListing(), ...MODERN_TOOLS] as Tool[] }));
  server.setRequestHandler('resources/list', () => ({ resources: resourceListing() }));
  // 2026-07-28 retires -32002: a missing resource MUST be -32602 (RPC-ERR-05).
  server.setRequestHandler('resources/read', (request) => {
    const { uri } = request.params;
    const resource = findResource(uri);
    if (!resource) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource not found: ${uri}`, { uri });
    return resourceContents(resource);
  });
  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = request.params;
    if (name === INPUT_TOOL) {
      const answer = ctx.mcpReq.inputResponses?.confirm as { action?: unknown } | undefined;
      if (ctx.mcpReq.requestState() === undefined || answer === undefined) {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: 'Proceed?',
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            }),
          },
          requestState: await stateCodec.mint({ tool: INPUT_TOOL }),
        }) as unknown as CallToolResult;
      }
      return text(`confirmed: ${String(answer.action)}`);
    }
    if (name === PARAM_TOOL) return text(`region=${String(args?.region)} count=${String(args?.count)}`);
    if (name === CHANGE_TOOL) {
      if (hooks.toolsChanged) hooks.toolsChanged();
      else await server.sendToolListChanged();
      return text('tool list change announced');
    }
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
