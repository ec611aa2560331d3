/**
 * The MCP logic of the hand-written servers: one dispatcher, three transports. It answers
 * initialize, ping, tools/list and tools/call from the shared tool set, honours
 * notifications/cancelled, and sends progress notifications through the transport's `send`.
 * It is deliberately small and allocation-light: these servers are the speed baseline. The
 * transport wraps it in a MessageLayer (classify on the way in, outgoing faults on the way out).
 */
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode, LEGACY_REVISIONS } from '../../drivers/protocol.js';
import { errorResponse } from '../message-layer.js';
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

const LATEST_LEGACY = LEGACY_REVISIONS[LEGACY_REVISIONS.length - 1]!;

export type Send = (message: JsonRpcMessage) => void;

export interface Dispatcher {
  /**
   * Handle one valid message. Resolves with the response to a request (undefined for a
   * notification); notifications related to the request (progress) go out through `send` first.
   */
  handle(message: JsonRpcMessage, send: Send): Promise<JsonRpcMessage | undefined>;
  /** the protocol version initialize negotiated last (for transports that check the header) */
  negotiate(requested: unknown): string;
}

export interface DispatcherOptions {
  /**
   * the transport can carry a request to the client within a call (stdio, the legacy SSE stream),
   * and hands the client's responses back to handle(); not a JSON-only HTTP answer
   */
  clientRequests?: boolean;
}

export function createDispatcher(opts: DispatcherOptions = {}): Dispatcher {
  const inFlight = new Map<unknown, AbortController>();
  /** requests sent to the client, by id: settle with whether the answer was a result */
  const awaitingClient = new Map<number, (answered: boolean) => void>();
  let nextClientRequestId = 0;

  function pingClient(send: Send): Promise<void> {
    const id = nextClientRequestId++;
    return new Promise<void>((resolve, reject) => {
      const settle = (answered: boolean) => {
        clearTimeout(timer);
        awaitingClient.delete(id);
        if (answered) resolve();
        else reject(new Error('the client did not answer the ping'));
      };
      const timer = setTimeout(() => settle(false), CLIENT_ANSWER_MS);
      awaitingClient.set(id, settle);
      send({ jsonrpc: '2.0', id, method: 'ping' });
    });
  }

  function negotiate(requested: unknown): string {
    return typeof requested === 'string' && (LEGACY_REVISIONS as readonly string[]).includes(requested) ? requested : LATEST_LEGACY;
  }

  async function callTool(message: JsonRpcMessage, send: Send): Promise<JsonRpcMessage | undefined> {
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown; _meta?: { progressToken?: unknown } };
    const tool = findTool(params.name);
    if (!tool) return errorResponse(message.id as string, ErrorCode.InvalidParams, `Unknown tool: ${String(params.name)}`);
    const controller = new AbortController();
    inFlight.set(message.id, controller);
    const token = params._meta?.progressToken;
    const progress =
      token === undefined
        ? undefined
        : async (p: number, total: number, msg: string) =>
            send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: p, total, message: msg } });
    try {
      const args = (params.arguments && typeof params.arguments === 'object' ? params.arguments : {}) as Record<string, unknown>;
      const ctx: ToolContext = { signal: controller.signal };
      if (progress) ctx.progress = progress;
      if (opts.clientRequests) ctx.pingClient = () => pingClient(send);
      const result = await tool.run(args, ctx);
      return { jsonrpc: '2.0', id: message.id, result };
    } catch (err) {
      // A cancelled request gets no response at all (cancellation utility: "SHOULD NOT send a response").
      if (controller.signal.aborted) return undefined;
      return errorResponse(message.id as string, ErrorCode.InternalError, (err as Error).message);
    } finally {
      inFlight.delete(message.id);
    }
  }

  async function handle(message: JsonRpcMessage, send: Send): Promise<JsonRpcMessage | undefined> {
    // A response from the client settles the request it answers, and is itself not answered.
    if (message.method === undefined) {
      if (typeof message.id === 'number') awaitingClient.get(message.id)?.('result' in message);
      return undefined;
    }
    const isRequest = 'id' in message;
    if (!isRequest) {
      if (message.method === 'notifications/cancelled') {
        const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
        inFlight.get(requestId)?.abort();
      }
      return undefined;
    }
    switch (message.method) {
      case 'initialize': {
        const requested = (message.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        return {
          jsonrpc: '2.0',
          id: message.id,
          result: { protocolVersion: negotiate(requested), capabilities: { tools: {}, resources: {} }, serverInfo: SERVER_INFO },
        };
      }
      case 'ping':
        return { jsonrpc: '2.0', id: message.id, result: {} };
      case 'tools/list':
        return { jsonrpc: '2.0', id: message.id, result: { tools: toolListing() } };
      case 'tools/call':
        return callTool(message, send);
      case 'resources/list':
        return { jsonrpc: '2.0', id: message.id, result: { resources: resourceListing() } };
      case 'resources/read': {
        const uri = (message.params as { uri?: unknown } | undefined)?.uri;
        const resource = findResource(uri);
        if (!resource) return errorResponse(message.id as string, RESOURCE_NOT_FOUND.legacy, `Resource not found: ${String(uri)}`, { uri });
        return { jsonrpc: '2.0', id: message.id, result: resourceContents(resource) };
      }
      default:
        return errorResponse(message.id as string, ErrorCode.MethodNotFound, `Method not found: ${String(message.method)}`);
    }
  }

  return { handle, negotiate };
}
