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
import { findTool } from './tools.js';
import { type FaultName, type FaultSet, NO_FAULTS } from './faults/index.js';

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
  /** open requests by id, so that an outgoing fault can act on the response to a given method */
  private readonly pending = new Map<unknown, JsonRpcMessage>();

  constructor(readonly faults: FaultSet = NO_FAULTS) {}

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

  classifyValue(value: unknown): Classified {
    value = this.acceptNullId(value);
    value = this.restoreRequestId(value);
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
    // Only requests: a client's response to a request of ours is answered by nothing.
    if ('id' in message && typeof message.method === 'string' && this.pending.size < 10_000) this.pending.set(message.id, message);
    return { kind: 'message', message };
  }

  /** What to answer for a classified non-message, or undefined when nothing is sent. */
  rejection(c: Classified): JsonRpcMessage | undefined {
    if (c.kind === 'parse-error') {
      return this.has('parse-error-silent') ? undefined : errorResponse(null, ErrorCode.ParseError, 'Parse error');
    }
    if (c.kind === 'invalid') {
      // Fault error-id-null: the id is dropped although it was readable (RPC-RES-03).
      const id = this.has('error-id-null') ? null : c.id;
      return errorResponse(id, ErrorCode.InvalidRequest, `Invalid Request: ${c.reason}`);
    }
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

  // ---- lifecycle, cancellation and progress (catalog sections 3a and 5a) ----

  /** initialize has been received; notifications/initialized has been received */
  private initializeSeen = false;
  private initializedSeen = false;

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
    const refuse = () => errorResponse(message.id as JsonRpcId, ErrorCode.InvalidRequest, 'Invalid Request: the session is not initialized');
    // Fault ping-before-initialized-rejected: nothing but initialize until the client says initialized.
    if (this.has('ping-before-initialized-rejected') && !this.initializedSeen) return refuse();
    if (this.has('serve-before-initialize') || this.initializeSeen || message.method === 'ping') return undefined;
    return refuse();
  }

  /** Whether a client notification should be withheld from the server's logic (fault cancel-ignored). */
  swallow(message: JsonRpcMessage): boolean {
    return this.has('cancel-ignored') && message.method === 'notifications/cancelled';
  }

  /** Fault cancel-unknown-crash: a notifications/cancelled naming no request in flight. */
  crashesOn(message: JsonRpcMessage): boolean {
    if (!this.has('cancel-unknown-crash') || message.method !== 'notifications/cancelled') return false;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    return !this.pending.has(requestId);
  }

  /**
   * Messages a faulty server sends on its own right after `sent` (an outgoing message after
   * outgoing()) or after receiving `received`: a request before notifications/initialized, a
   * sampling request to a client without the capability, progress after the response.
   */
  extraAfterSend(sent: JsonRpcMessage): JsonRpcMessage[] {
    const request = this.answered.get(sent);
    if (!request) return [];
    const params = (request.params ?? {}) as { capabilities?: { roots?: unknown }; _meta?: { progressToken?: unknown } };
    if (request.method === 'initialize' && this.has('request-before-initialized') && params.capabilities?.roots) {
      return [{ jsonrpc: '2.0', id: 'harness-ref-roots-1', method: 'roots/list', params: {} }];
    }
    const token = params._meta?.progressToken;
    if (request.method === 'tools/call' && token !== undefined && this.has('progress-after-response')) {
      return [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1e6, message: 'late' } }];
    }
    return [];
  }

  extraAfterReceive(received: JsonRpcMessage): JsonRpcMessage[] {
    if (received.method === 'tools/list' && this.has('server-request-on-stdout')) {
      const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }], maxTokens: 10 };
      return [{ jsonrpc: '2.0', id: 'harness-ref-sampling-2', method: 'sampling/createMessage', params }];
    }
    if (received.method === 'notifications/initialized' && this.has('sampling-without-capability')) {
      const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }], maxTokens: 10 };
      return [{ jsonrpc: '2.0', id: 'harness-ref-sampling-1', method: 'sampling/createMessage', params }];
    }
    return [];
  }

  /** the request each outgoing response answered, for extraAfterSend() */
  private readonly answered = new WeakMap<JsonRpcMessage, JsonRpcMessage>();

  // ---- fault server-request-id-reused (RPC-ID-02) ----

  /** the real ids of the server's requests that went out under REUSED_REQUEST_ID, oldest first */
  private readonly reusedIds: unknown[] = [];

  /** A request of the server's own goes out under the hard-coded id; its real id is kept for the answer. */
  private reuseRequestId(m: JsonRpcMessage): JsonRpcMessage {
    if (!this.has('server-request-id-reused') || typeof m.method !== 'string' || !('id' in m) || this.reusedIds.length >= 100) return m;
    this.reusedIds.push(m.id);
    return { ...m, id: REUSED_REQUEST_ID };
  }

  /** The client's answer under the hard-coded id goes back to the server under the real id (requests are answered in order). */
  private restoreRequestId(value: unknown): unknown {
    if (!this.has('server-request-id-reused') || !value || typeof value !== 'object' || Array.isArray(value)) return value;
    const m = value as JsonRpcMessage;
    if (m.method !== undefined || m.id !== REUSED_REQUEST_ID || this.reusedIds.length === 0) return value;
    return { ...m, id: this.reusedIds.shift() };
  }

  /** Apply the outgoing message faults. Returns the message to send. */
  outgoing(message: JsonRpcMessage): JsonRpcMessage {
    let m = this.reuseRequestId(this.progressFaults(message));
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
    m = this.messageFaults(request, m);
    if (request) this.lastMethod.set(m, String(request.method));
    if (request) this.answered.set(m, request);
    return m;
  }

  // ---- faults of the JSON-RPC message rows (RPC-MSG/RES/NOT/ERR/RT/UTF8, issue 3 area 1a) ----

  /** request ids that were null on arrival (fault null-id-executed), replaced so the server runs them */
  private readonly nullIdStandIns = new Set<string>();
  private nextStandIn = 0;

  /** Fault null-id-executed: a request with id null is executed as if its id were readable. */
  private acceptNullId(value: unknown): unknown {
    if (!this.has('null-id-executed') || !value || typeof value !== 'object' || Array.isArray(value)) return value;
    const m = value as JsonRpcMessage;
    if (typeof m.method !== 'string' || !('id' in m) || m.id !== null || this.nullIdStandIns.size >= 1000) return value;
    const standIn = `harness-null-id-${this.nextStandIn++}`;
    this.nullIdStandIns.add(standIn);
    return { ...m, id: standIn };
  }

  private messageFaults(request: JsonRpcMessage | undefined, message: JsonRpcMessage): JsonRpcMessage {
    let m = message;
    if (typeof m.id === 'string' && this.nullIdStandIns.delete(m.id)) m = { ...m, id: null };
    const error = m.error && typeof m.error === 'object' ? (m.error as Record<string, unknown>) : undefined;
    if (error && this.has('error-no-jsonrpc')) m = { ...m, jsonrpc: undefined };
    if (error && this.has('result-and-error')) m = { ...m, result: null };
    if (error && this.has('error-no-message')) {
      const { message: _dropped, ...rest } = error;
      m = { ...m, error: rest };
    }
    if (m.method === 'notifications/progress' && this.has('notification-with-id')) m = { ...m, id: 'progress' };
    const method = request?.method;
    const result = m.result && typeof m.result === 'object' ? (m.result as Record<string, unknown>) : undefined;
    if (method === 'tools/list' && result && Array.isArray(result.tools)) {
      if (this.has('result-wrong-shape')) {
        m = { ...m, result: { ...result, tools: result.tools.map((t: Record<string, unknown>) => ({ ...t, inputSchema: undefined })) } };
      }
      if (this.has('no-result-type')) m = { ...m, result: { ...(m.result as object), resultType: undefined } };
    }
    // Fault missing-resource-empty: an unknown resource reads as empty instead of an error (RPC-ERR-05).
    if (method === 'resources/read' && error && this.has('missing-resource-empty')) {
      const { error: _error, ...rest } = m;
      const empty: Record<string, unknown> = { contents: [] };
      const meta = (request?.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
      if (meta && 'io.modelcontextprotocol/protocolVersion' in meta) empty.resultType = 'complete';
      m = { ...rest, result: empty };
    }
    if (method === 'tools/call') {
      if (result && this.has('utf8-mojibake')) m = { ...m, result: mojibake(result) };
      const name = (request?.params as { name?: unknown } | undefined)?.name;
      // The v2 servers' own tools (confirm: a rejected requestState is -32602 too) are not unknown.
      const unknown = typeof name === 'string' && !findTool(name) && String(error?.message ?? '').includes('Unknown tool');
      if (error?.code === ErrorCode.InvalidParams && unknown) m = this.unknownToolFaults(m, name, request);
    }
    return m;
  }

  private unknownToolFaults(m: JsonRpcMessage, name: string, request: JsonRpcMessage | undefined): JsonRpcMessage {
    const error = m.error as Record<string, unknown>;
    if (this.has('unknown-tool-is-error')) {
      const { error: _error, ...rest } = m;
      const result: Record<string, unknown> = { content: [{ type: 'text', text: `Unknown tool: ${name}` }], isError: true };
      // a 2026-07-28 request (per-request _meta) gets a 2026-07-28 result, so only RPC-ERR-04 sees the defect
      const meta = (request?.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
      if (meta && 'io.modelcontextprotocol/protocolVersion' in meta) result.resultType = 'complete';
      return { ...rest, result };
    }
    if (this.has('unknown-tool-32002')) return { ...m, error: { ...error, code: -32002 } };
    if (this.has('unknown-tool-32001')) return { ...m, error: { ...error, code: -32001 } };
    return m;
  }

  private progressFaults(m: JsonRpcMessage): JsonRpcMessage {
    if (m.method !== 'notifications/progress' || !m.params || typeof m.params !== 'object') return m;
    const params = { ...(m.params as Record<string, unknown>) };
    // The classic slip: reporting the total (or a fixed value) where the running count belongs.
    if (this.has('progress-non-monotonic')) params.progress = typeof params.total === 'number' ? params.total : 1;
    if (this.has('progress-empty-message')) params.message = '';
    return { ...m, params };
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
    if (supported && this.has('version-flaky')) out.protocolVersion = flakyAnswer(requested as string);
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

/** Fault server-request-id-reused: the id every request of the server's own goes out with (a keep-alive's hard-coded 1). */
const REUSED_REQUEST_ID = 1;

/** Fault version-flaky: process-wide, so that it spans the sessions of one HTTP server. */
let oldestDropped = false;

/**
 * Negotiation that shifts the oldest version off the shared list of supported versions: the
 * first client to ask for 2024-11-05 gets it echoed, every later one the latest version.
 */
function flakyAnswer(requested: string): string {
  if (requested !== LEGACY_REVISIONS[0]) return requested;
  if (!oldestDropped) {
    oldestDropped = true;
    return requested;
  }
  return LEGACY_REVISIONS[LEGACY_REVISIONS.length - 1]!;
}

function coerceId(id: unknown): unknown {
  if (typeof id === 'number') return String(id);
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return Number(id);
  return id;
}

/** Fault utf8-mojibake: every string of a result re-read from its UTF-8 bytes as Latin-1 (double encoding). */
function mojibake(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('latin1');
  if (Array.isArray(value)) return value.map(mojibake);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mojibake(v)]));
  return value;
}
