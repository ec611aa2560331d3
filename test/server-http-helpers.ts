/**
 * Plain-undici probes for the Streamable HTTP reference server tests: send exactly the bytes and
 * headers a test names, read JSON or SSE answers with a deadline, and never leave a server or a
 * stream open.
 */
import { request } from 'undici';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import type { ServerKind } from '../reference-servers/kinds.js';
import type { RunningServer } from '../reference-servers/start.js';
import type { FaultName } from '../reference-servers/faults/index.js';

export type Headers = Record<string, string>;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  text: string;
  /** JSON-RPC messages in the body: the JSON value (object or array elements) or each SSE data payload */
  messages: JsonRpcMessage[];
  /** the parsed JSON body when it was JSON (an object or an array), for batch shape checks */
  json?: unknown;
}

export const ACCEPT_BOTH = 'application/json, text/event-stream';
export const POST_HEADERS: Headers = { 'content-type': 'application/json', accept: ACCEPT_BOTH };

const DEADLINE_MS = 5000;

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function parseSse(text: string): JsonRpcMessage[] {
  const out: JsonRpcMessage[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data.trim()) out.push(JSON.parse(data) as JsonRpcMessage);
  }
  return out;
}

/**
 * Send one HTTP request. SSE bodies are read until the stream ends, or until `untilId` has been
 * answered, or until `sseMs` passes (an open GET stream never ends by itself).
 */
export async function send(
  url: string,
  method: 'POST' | 'GET' | 'DELETE' | 'PUT',
  headers: Headers,
  body?: string,
  opts: { untilId?: unknown; sseMs?: number } = {},
): Promise<Reply> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), DEADLINE_MS);
  try {
    const res = await request(url, { method, headers, body, signal: controller.signal });
    const h = flatHeaders(res.headers);
    const contentType = h['content-type'] ?? '';
    let text = '';
    if (contentType.startsWith('text/event-stream')) {
      const stop = setTimeout(() => controller.abort(), opts.sseMs ?? 1500);
      try {
        for await (const chunk of res.body) {
          text += chunk.toString();
          if (opts.untilId !== undefined && parseSse(text).some((m) => m.id === opts.untilId && m.method === undefined)) break;
        }
      } catch {
        // the deadline ended an open stream: what arrived is the answer
      } finally {
        clearTimeout(stop);
        res.body.destroy();
      }
      return { status: res.statusCode, headers: h, contentType, text, messages: parseSse(text) };
    }
    text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const messages = (Array.isArray(json) ? json : json && typeof json === 'object' ? [json] : []) as JsonRpcMessage[];
    return { status: res.statusCode, headers: h, contentType, text, messages, json };
  } finally {
    clearTimeout(deadline);
  }
}

export function post(url: string, message: unknown, headers: Headers = {}, opts?: { untilId?: unknown; sseMs?: number }): Promise<Reply> {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  const id = opts?.untilId ?? (message && typeof message === 'object' && 'id' in message ? (message as { id: unknown }).id : undefined);
  return send(url, 'POST', { ...POST_HEADERS, ...headers }, body, { ...opts, untilId: id });
}

export function initializeMessage(version: string, id: unknown = 1): JsonRpcMessage {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'server-http-test', version: '0' } },
  };
}

export interface Opened {
  sessionId: string;
  /** the headers every later request of the session carries */
  headers: Headers;
  init: Reply;
  /** the answer to notifications/initialized (202 when clean) */
  initialized: Reply;
}

/** initialize + notifications/initialized; the session's headers for later requests. */
export async function openSession(url: string, version = '2025-11-25'): Promise<Opened> {
  const init = await post(url, initializeMessage(version));
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || !sessionId) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  const headers: Headers = { 'mcp-session-id': sessionId };
  if (version >= '2025-06-18') headers['mcp-protocol-version'] = version;
  const initialized = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return { sessionId, headers, init, initialized };
}

export const ping = (id: unknown = 2): JsonRpcMessage => ({ jsonrpc: '2.0', id, method: 'ping' });

export function response(reply: Reply, id: unknown): JsonRpcMessage | undefined {
  return reply.messages.find((m) => m.id === id && m.method === undefined);
}

/** The result of the response with `id`; fails the test when there is none. */
export function resultOf(reply: Reply, id: unknown): Record<string, unknown> {
  const result = response(reply, id)?.result;
  if (!result || typeof result !== 'object')
    throw new Error(`no result for id ${JSON.stringify(id)}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return result as Record<string, unknown>;
}

export function errorCode(m: JsonRpcMessage | undefined): number | undefined {
  return (m?.error as { code?: number } | undefined)?.code;
}

/** Start a reference server of `kind` with `faults`, run `fn`, always close it. */
export async function withServer<T>(kind: ServerKind, faults: FaultName[], fn: (url: string) => Promise<T>): Promise<T> {
  const { startServer } = await import('../reference-servers/start.js');
  const server: RunningServer = await startServer(kind, { faults: new Set(faults) });
  try {
    return await fn(server.url!);
  } finally {
    await server.close();
  }
}

/** `http://127.0.0.1:PORT` of an endpoint URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
