/**
 * The JSON-RPC layer every reference server puts between the wire and its MCP logic.
 *
 * It does two jobs. First, conformance the SDK leaves out: the v1 SDK's stdio and SSE transports
 * drop unparseable input and invalid request objects silently (they only call `onerror`), and its
 * Streamable HTTP transport answers an invalid request object with -32700; JSON-RPC 2.0 requires
 * -32700 for unparseable input and -32600 for an invalid request. `classify` decides that once
 * for every server. Second, it is the message seam (seams.ts: MessageSeam): the faults of the
 * active set hook in here, on the messages in and out, so that the same defect exists
 * identically on every transport. With no fault on, every hook is the identity.
 */
import type { JsonRpcId, JsonRpcMessage } from '../drivers/protocol.js';
import { ErrorCode } from '../drivers/protocol.js';
import { type FaultName, type FaultSet, NO_FAULTS } from './faults/index.js';
import { seamsFor } from './faults/hooks/index.js';
import type { ComposedBatchSeam, ComposedMessageSeam } from './seams.js';

/**
 * The outgoing faults of the JSON-RPC message rows (issue 3, section 1a): a server that only
 * rewrites its SDK's answers when an outgoing fault is on must count these.
 */
export const MESSAGE_RULE_OUTGOING_FAULTS: readonly FaultName[] = [
  'result-wrong-shape',
  'error-no-jsonrpc',
  'result-and-error',
  'error-no-message',
  'notification-with-id',
  'unknown-tool-is-error',
  'unknown-tool-32002',
  'unknown-tool-32001',
  'no-result-type',
  'null-id-executed',
  'utf8-mojibake',
  'missing-resource-empty',
  'server-request-id-reused',
];

/** Those of them that make a response invalid, so a transport that routes responses by schema must apply them to the bytes. */
export const MESSAGE_RULE_BYTE_FAULTS: readonly FaultName[] = ['error-no-jsonrpc', 'result-and-error', 'error-no-message'];

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
  /** open requests by id, so that an outgoing hook can act on the response to a given method */
  private readonly pending = new Map<unknown, JsonRpcMessage>();
  /** the request each outgoing response answered, for afterSend and serialize */
  private readonly answered = new WeakMap<JsonRpcMessage, JsonRpcMessage>();
  /** initialize has been received; notifications/initialized has been received */
  private initializeSeen = false;
  private initializedSeen = false;
  private readonly seam: ComposedMessageSeam;
  /** the batch policy of this connection (stdio-wire.ts, http/batch.ts) */
  readonly batch: ComposedBatchSeam;

  constructor(readonly faults: FaultSet = NO_FAULTS) {
    const seams = seamsFor(faults);
    this.seam = seams.message;
    this.batch = seams.batch;
  }

  /** For the faults still inline in the Streamable HTTP servers; a seam needs no such question. */
  has(fault: FaultName): boolean {
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

  classifyValue(raw: unknown): Classified {
    const value = this.seam.parsed(raw);
    const reason = invalidReason(value);
    if (reason) {
      const id = value && typeof value === 'object' ? readableId((value as JsonRpcMessage).id) : null;
      return { kind: 'invalid', id, reason };
    }
    const message = value as JsonRpcMessage;
    // Bounded: a client that never reads its responses must not grow this without limit.
    // Only requests: a client's response to a request of ours is answered by nothing.
    if ('id' in message && typeof message.method === 'string' && this.pending.size < 10_000) this.pending.set(message.id, message);
    return { kind: 'message', message };
  }

  /** What to answer for a classified non-message, or undefined when nothing is sent. */
  rejection(c: Classified): JsonRpcMessage | undefined {
    if (c.kind === 'parse-error') return this.seam.rejection(errorResponse(null, ErrorCode.ParseError, 'Parse error'), c);
    if (c.kind === 'invalid') return this.seam.rejection(errorResponse(c.id, ErrorCode.InvalidRequest, `Invalid Request: ${c.reason}`), c);
    return undefined;
  }

  /** A response the layer sends to a client message itself, on top of delivering it (none on a clean server). */
  answerToNotification(message: JsonRpcMessage): JsonRpcMessage | undefined {
    return this.seam.answer(message);
  }

  // ---- lifecycle (catalog section 3a) ----

  /**
   * The initialize gate of a legacy-era connection: a request other than initialize or ping
   * before initialize is refused (LC-INIT-01), as the SDK's stdio and SSE servers do not.
   * Returns the error to send instead of handing the message over, or undefined. Only the
   * legacy-era servers call it: a 2026-07-28 request needs no handshake.
   */
  gate(message: JsonRpcMessage): JsonRpcMessage | undefined {
    if (message.method === 'notifications/initialized') this.initializedSeen = true;
    if (typeof message.method !== 'string' || !('id' in message)) return undefined;
    if (message.method === 'initialize') {
      this.initializeSeen = true;
      return undefined;
    }
    const state = { initializeSeen: this.initializeSeen, initializedSeen: this.initializedSeen };
    const admitted = this.seam.admit(message, state) ?? (this.initializeSeen || message.method === 'ping');
    return admitted
      ? undefined
      : errorResponse(message.id as JsonRpcId, ErrorCode.InvalidRequest, 'Invalid Request: the session is not initialized');
  }

  /** Whether a client message is withheld from the server's logic (always delivered when clean). */
  swallow(message: JsonRpcMessage): boolean {
    return this.received(message) === 'drop';
  }

  /** Whether a client message ends the process (a crash; never when clean). */
  crashesOn(message: JsonRpcMessage): boolean {
    return this.received(message) === 'crash';
  }

  private received(message: JsonRpcMessage) {
    return this.seam.received(message, { inFlight: (id) => this.pending.has(id) });
  }

  /** Messages the server sends of its own accord right after `sent` went out (through outgoing()). */
  extraAfterSend(sent: JsonRpcMessage): JsonRpcMessage[] {
    const request = this.answered.get(sent);
    return request ? [...this.seam.afterSend(sent, request)] : [];
  }

  /** Messages the server sends of its own accord right after receiving `received`. */
  extraAfterReceive(received: JsonRpcMessage): JsonRpcMessage[] {
    return [...this.seam.afterReceive(received)];
  }

  /** Run one message the server sends through the outbound hooks. Returns the message to send. */
  outgoing(message: JsonRpcMessage): JsonRpcMessage {
    const request = 'id' in message && message.method === undefined ? this.pending.get(message.id) : undefined;
    if (request) this.pending.delete(message.id);
    const m = this.seam.outbound(message, request ? { request } : {});
    if (request) this.answered.set(m, request);
    return m;
  }

  /** Serialize an outgoing message (after outgoing()) as one line, no trailing newline. */
  serialize(message: JsonRpcMessage): string {
    const request = this.answered.get(message);
    return this.seam.serialize(message, request ? { request } : {}) ?? JSON.stringify(message);
  }
}
