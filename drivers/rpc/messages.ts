/**
 * JSON-RPC messages as the harness writes and reads them: building requests, notifications and
 * answers, and reading a payload (a stdout line, an HTTP body, an SSE event's data) into the
 * messages it carries. A batch is a payload holding an array: each object in it is one message,
 * so a batch response's elements reach the router one by one and each answers its own request.
 */
import type { JsonRpcMessage } from '../protocol.js';

export function buildRequest(id: unknown, method: string, params?: Record<string, unknown>): JsonRpcMessage {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

export function buildNotification(method: string, params?: Record<string, unknown>): JsonRpcMessage {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

export function buildResult(id: unknown, result: unknown): JsonRpcMessage {
  return { jsonrpc: '2.0', id, result };
}

export function buildError(id: unknown, code: number, message: string): JsonRpcMessage {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** The JSON-RPC messages in a parsed payload: an object is one, an array (a batch) is each object in it. */
export function toMessages(value: unknown): JsonRpcMessage[] {
  if (Array.isArray(value)) {
    return value.filter((v): v is JsonRpcMessage => typeof v === 'object' && v !== null && !Array.isArray(v));
  }
  if (typeof value === 'object' && value !== null) return [value as JsonRpcMessage];
  return [];
}

export interface Collected {
  messages: JsonRpcMessage[];
  /** payloads that were not a JSON object or array */
  nonJson: string[];
}

/** Parse one payload (a line, a body, an event's data) the way every driver reports it. */
export function parsePayload(text: string): Collected {
  if (text.trim().length === 0) return { messages: [], nonJson: [] };
  try {
    const value: unknown = JSON.parse(text);
    const messages = toMessages(value);
    return messages.length > 0 || Array.isArray(value) ? { messages, nonJson: [] } : { messages, nonJson: [text] };
  } catch {
    return { messages: [], nonJson: [text] };
  }
}

/** The method and params of a raw payload, when it is one JSON object with a string method. */
export function methodOf(text: string): [string | undefined, Record<string, unknown> | undefined] {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { method, params } = value as { method?: unknown; params?: unknown };
      if (typeof method === 'string') {
        return [method, params && typeof params === 'object' ? (params as Record<string, unknown>) : undefined];
      }
    }
  } catch {
    // not JSON: no method to name
  }
  return [undefined, undefined];
}
