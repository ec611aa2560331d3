/**
 * The JSON-RPC layer every reference server puts between the wire and its MCP logic.
 *
 * It does two jobs. First, conformance the SDK leaves out: the v1 SDK's stdio and SSE transports
 * drop unparseable input and invalid request objects silently (they only call `onerror`), and its
 * Streamable HTTP transport answers an invalid request object with -32700; JSON-RPC 2.0 requires
 * -32700 for unparseable input and -32600 for an invalid request. `classify` decides that once
 * for every server. Second, the message-level fault switches, which act on the messages in and
 * out so that the same defect exists identically on every transport.
 */
import type { JsonRpcId, JsonRpcMessage } from '../drivers/protocol.js';
import { ErrorCode, LEGACY_REVISIONS } from '../drivers/protocol.js';

export type Classified =
  | { kind: 'message'; message: JsonRpcMessage }
  | { kind: 'parse-error' }
  | { kind: 'invalid'; id: JsonRpcId; reason: string }
  | { kind: 'batch'; items: unknown[] };

export function errorResponse(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcMessage {
  const error: Record<string, unknown> = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

function readableId(value: unknown): JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
}

/** Why `value` is not a valid JSON-RPC 2.0 request, notification or response; undefined when it is. */
export function invalidReason(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const m = value as JsonRpcMessage;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('id' in m && m.id !== null && typeof m.id !== 'string' && typeof m.id !== 'number') {
    return 'id must be a string or a number';
  }
  // MCP forbids null ids on requests (RPC-ERR-07); a response may carry null (unreadable id).
  if ('method' in m) {
    if (typeof m.method !== 'string') return 'method must be a string';
    if ('id' in m && m.id === null) return 'id must not be null';
    if ('params' in m && (m.params === null || typeof m.params !== 'object')) return 'params must be an object or array';
    return undefined;
  }
  if ('result' in m || 'error' in m) return undefined;
  return 'neither a request, a notification nor a response';
}

export class MessageLayer {
  /** open requests by id, so that an outgoing fault can act on the response to a given method */
  private readonly pending = new Map<unknown, JsonRpcMessage>();

  constructor(readonly faults: ReadonlySet<string> = new Set()) {}

  has(fault: string): boolean {
    return this.faults.has(fault);
  }

  /** Parse and validate one message text (a stdio line, a POST body, a legacy SSE POST). */
  classify(text: string): Classified {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'parse-error' };
    }
    if (Array.isArray(value)) return { kind: 'batch', items: value };
    return this.classifyValue(value);
  }

  classifyValue(value: unknown): Classified {
    if (this.has('invalid-request-accepted') && value && typeof value === 'object' && !Array.isArray(value)) {
      value = this.repair(value as JsonRpcMessage);
    }
    const reason = invalidReason(value);
    if (reason) {
      const id = value && typeof value === 'object' ? readableId((value as JsonRpcMessage).id) : null;
      return { kind: 'invalid', id, reason };
    }
    const message = value as JsonRpcMessage;
    // Bounded: a client that never reads its responses must not grow this without limit.
    if ('id' in message && this.pending.size < 10_000) this.pending.set(message.id, message);
    return { kind: 'message', message };
  }

  /** What to answer for a classified non-message, or undefined when nothing is sent. */
  rejection(c: Classified): JsonRpcMessage | undefined {
    if (c.kind === 'parse-error') {
      return this.has('parse-error-silent') ? undefined : errorResponse(null, ErrorCode.ParseError, 'Parse error');
    }
    if (c.kind === 'invalid') return errorResponse(c.id, ErrorCode.InvalidRequest, `Invalid Request: ${c.reason}`);
    return undefined;
  }

  /**
   * Whether a notification from the client should be answered anyway (fault answer-notifications);
   * returns the bogus response to send.
   */
  answerToNotification(message: JsonRpcMessage): JsonRpcMessage | undefined {
    if (!this.has('answer-notifications') || 'id' in message) return undefined;
    return { jsonrpc: '2.0', id: null, result: {} };
  }

  /** Apply the outgoing message faults. Returns the message to send. */
  outgoing(message: JsonRpcMessage): JsonRpcMessage {
    let m = message;
    if (this.has('id-type-coerce') && 'id' in m && m.method === undefined) {
      m = { ...m, id: coerceId(m.id) };
    }
    const error = m.error as { code?: unknown } | undefined;
    if (this.has('unknown-method-wrong-code') && error?.code === ErrorCode.MethodNotFound) {
      m = { ...m, error: { ...error, code: ErrorCode.InternalError } };
    }
    const request = 'id' in message && message.method === undefined ? this.pending.get(message.id) : undefined;
    if (request) this.pending.delete(message.id);
    if (request && m.result && typeof m.result === 'object') {
      const result = m.result as Record<string, unknown>;
      if (request.method === 'initialize') {
        const offered = (request.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        m = { ...m, result: this.initializeFaults(offered, result) };
      }
      if (request.method === 'ping' && this.has('ping-non-empty')) m = { ...m, result: { pong: true } };
    }
    if (request) this.lastMethod.set(m, String(request.method));
    return m;
  }

  /**
   * Serialize an outgoing message as one line (no trailing newline). Under fault
   * pretty-print-tool-results, tools/call results span several lines.
   */
  serialize(message: JsonRpcMessage): string {
    if (this.has('pretty-print-tool-results') && this.lastMethod.get(message) === 'tools/call') {
      return JSON.stringify(message, null, 2);
    }
    return JSON.stringify(message);
  }

  /** which request each outgoing response answered, for serialize() */
  private readonly lastMethod = new WeakMap<JsonRpcMessage, string>();

  private initializeFaults(requested: unknown, result: Record<string, unknown>): Record<string, unknown> {
    const out = { ...result };
    const supported = typeof requested === 'string' && (LEGACY_REVISIONS as readonly string[]).includes(requested);
    if (!supported && this.has('echo-unsupported-version')) out.protocolVersion = requested;
    if (!supported && this.has('counter-offer-oldest')) out.protocolVersion = LEGACY_REVISIONS[0];
    if (this.has('no-server-info')) delete out.serverInfo;
    return out;
  }

  private repair(m: JsonRpcMessage): JsonRpcMessage {
    const out: JsonRpcMessage = { ...m, jsonrpc: '2.0' };
    if ('method' in out && typeof out.method !== 'string') out.method = 'ping';
    if ('id' in out && out.id !== null && typeof out.id === 'object') out.id = 0;
    return out;
  }
}

function coerceId(id: unknown): unknown {
  if (typeof id === 'number') return String(id);
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return Number(id);
  return id;
}
