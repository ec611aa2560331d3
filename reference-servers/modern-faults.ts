/**
 * The 2026-07-28 faults both v2 SDK servers share (sdk-stateless, sdk-stdio-modern). The v2 SDK
 * gets these rows right by default, so each fault undoes one of its checks in front of it (the
 * request, before the SDK sees it) or behind it (the messages it writes).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { ErrorCode, META, NAMED_METHODS } from '../drivers/protocol.js';
import { errorResponse } from './message-layer.js';
import type { FaultName, FaultSet } from './faults/index.js';

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
const HEADER_MISMATCH = -32020;
const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

function paramsOf(message: JsonRpcMessage): Record<string, unknown> | undefined {
  const p = message.params;
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : undefined;
}

function metaOf(message: JsonRpcMessage): Record<string, unknown> | undefined {
  const m = paramsOf(message)?._meta;
  return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

/** Request-side faults on the message itself: what the SDK would reject is made acceptable. */
export function faultyModernRequest(faults: FaultSet, message: JsonRpcMessage): JsonRpcMessage {
  const meta = metaOf(message);
  if (!meta || typeof message.method !== 'string') return message;
  let changed: Record<string, unknown> | undefined;
  // Fault meta-not-required: a request without clientCapabilities is served as if it declared none.
  if (faults.has('meta-not-required') && !(META.clientCapabilities in meta)) {
    changed = { ...meta, [META.clientCapabilities]: {} };
  }
  // Fault loglevel-unchecked: an unknown logLevel is ignored instead of rejected.
  if (faults.has('loglevel-unchecked') && META.logLevel in meta && !LOG_LEVELS.has(String(meta[META.logLevel]))) {
    changed = { ...(changed ?? meta) };
    delete changed[META.logLevel];
  }
  // Fault client-capability-unchecked: a tool asks for input whatever the client declared.
  if (faults.has('client-capability-unchecked') && message.method === 'tools/call') {
    const caps = (changed ?? meta)[META.clientCapabilities];
    changed = { ...(changed ?? meta), [META.clientCapabilities]: { ...(caps && typeof caps === 'object' ? caps : {}), elicitation: {} } };
  }
  // Fault listen-filter-ignored: every listen subscribes to every change type, whatever it asked for.
  const params = faults.has('listen-filter-ignored') && message.method === 'subscriptions/listen' ? paramsOf(message) : undefined;
  if (params) {
    const notifications = { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true };
    return { ...message, params: { ...params, notifications, _meta: changed ?? meta } };
  }
  if (!changed) return message;
  return { ...message, params: { ...paramsOf(message), _meta: changed } };
}

/**
 * Request-side faults that answer in the SDK's place: the error (and HTTP status) to send, or
 * undefined to pass the request on.
 */
export function modernFaultAnswer(
  faults: FaultSet,
  message: JsonRpcMessage,
  headers?: IncomingHttpHeaders,
): { status: number; message: JsonRpcMessage } | undefined {
  if (!('id' in message)) return undefined;
  const id = message.id as string;
  // Fault initialize-rejected-vaguely: a legacy initialize is "not found", naming no supported version.
  if (faults.has('initialize-rejected-vaguely') && message.method === 'initialize') {
    return { status: 404, message: errorResponse(id, ErrorCode.MethodNotFound, 'Method not found') };
  }
  // Fault no-base64-decode: the sentinel-encoded Mcp-Name is compared as it is, so it never matches.
  const name = headers?.['mcp-name'];
  if (faults.has('no-base64-decode') && typeof name === 'string' && name.startsWith('=?base64?')) {
    return { status: 400, message: errorResponse(id, HEADER_MISMATCH, `Bad Request: Mcp-Name ${name} does not match the body`) };
  }
  return undefined;
}

/** HTTP header faults: the metadata headers are made to agree with the body before the SDK compares them. */
export function faultyModernHeaders(faults: FaultSet, headers: IncomingHttpHeaders, message: JsonRpcMessage): void {
  const method = typeof message.method === 'string' ? message.method : undefined;
  if (method === undefined || !('id' in message)) return;
  const version = metaOf(message)?.[META.protocolVersion];
  const field = Object.hasOwn(NAMED_METHODS, method) ? NAMED_METHODS[method] : undefined;
  const name = field === undefined ? undefined : paramsOf(message)?.[field];
  const header = headers['mcp-protocol-version'];
  if (typeof version === 'string') {
    if (faults.has('version-header-optional') && header === undefined) headers['mcp-protocol-version'] = version;
    if (faults.has('version-header-mismatch-accepted') && header !== undefined && header !== version) {
      headers['mcp-protocol-version'] = version;
    }
  }
  if (faults.has('mcp-method-optional')) {
    if (headers['mcp-method'] === undefined) headers['mcp-method'] = method;
    if (typeof name === 'string' && headers['mcp-name'] === undefined) headers['mcp-name'] = name;
  }
  if (faults.has('header-mismatch-accepted')) {
    if (headers['mcp-method'] !== undefined) headers['mcp-method'] = method;
    const given = headers['mcp-name'];
    if (typeof name === 'string' && typeof given === 'string' && !given.startsWith('=?base64?')) headers['mcp-name'] = name;
  }
}

/** Messages a faulty server sends on its own before answering a request (log-without-level, server-request-on-stream). */
export function modernExtraMessages(faults: FaultSet, message: JsonRpcMessage): JsonRpcMessage[] {
  if (message.method !== 'tools/call' || !('id' in message)) return [];
  const out: JsonRpcMessage[] = [];
  if (faults.has('log-without-level') && metaOf(message)?.[META.logLevel] === undefined) {
    out.push({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'tools/call started' } });
  }
  // Fault cancelled-for-call: the server "cancels" the call it is about to answer.
  if (faults.has('cancelled-for-call')) {
    out.push({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: message.id, reason: 'superseded' } });
  }
  if (faults.has('server-request-on-stream')) {
    out.push({ jsonrpc: '2.0', id: `server-${String(message.id)}`, method: 'roots/list', params: {} });
  }
  return out;
}

/**
 * Fault number-x-mcp-header: a tool that mirrors parameters into headers also annotates a
 * `number` parameter, which x-mcp-header does not permit (H4-HDR-09).
 */
function withNumberHeader(tool: unknown): unknown {
  const schema = (tool as { inputSchema?: { properties?: Record<string, unknown> } }).inputSchema;
  const props = schema?.properties;
  if (!props || !Object.values(props).some((p) => !!p && typeof p === 'object' && 'x-mcp-header' in p)) return tool;
  const ratio = { type: 'number', 'x-mcp-header': 'Ratio' };
  return { ...(tool as object), inputSchema: { ...schema, properties: { ...props, ratio } } };
}

/** Faults listen-ack-id-stringified and listen-notification-unstamped, on a listen's notifications. */
function listenNotificationFault(faults: FaultSet, message: JsonRpcMessage): JsonRpcMessage | undefined {
  if (typeof message.method !== 'string' || !('params' in message)) return undefined;
  const params = paramsOf(message);
  const meta = metaOf(message);
  if (!params || !meta || !(SUBSCRIPTION_ID in meta)) return undefined;
  if (faults.has('listen-ack-id-stringified') && message.method === 'notifications/subscriptions/acknowledged') {
    return { ...message, params: { ...params, _meta: { ...meta, [SUBSCRIPTION_ID]: String(meta[SUBSCRIPTION_ID]) } } };
  }
  if (faults.has('listen-notification-unstamped') && message.method !== 'notifications/subscriptions/acknowledged') {
    const { [SUBSCRIPTION_ID]: _dropped, ...rest } = meta;
    return { ...message, params: { ...params, _meta: rest } };
  }
  return undefined;
}

/** Outgoing faults on the SDK's messages. */
export function faultyModernOutgoing(faults: FaultSet, message: JsonRpcMessage): JsonRpcMessage {
  // Fault progress-token-mixed: progress goes out under a token of another request.
  if (faults.has('progress-token-mixed') && message.method === 'notifications/progress') {
    const params = message.params as Record<string, unknown>;
    return { ...message, params: { ...params, progressToken: `${String(params.progressToken)}-other` } };
  }
  const stamped = listenNotificationFault(faults, message);
  if (stamped) return stamped;
  const result = message.result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) return message;
  let out = result as Record<string, unknown>;
  // Fault input-required-bare: the input-required result loses what the client needs to retry.
  if (faults.has('input-required-bare') && out.resultType === 'input_required') {
    const { inputRequests: _requests, requestState: _state, ...rest } = out;
    out = rest;
  }
  if (faults.has('discover-missing-supported-versions') && 'supportedVersions' in out) {
    const { supportedVersions: _dropped, ...rest } = out;
    out = rest;
  }
  if (faults.has('number-x-mcp-header') && Array.isArray(out.tools)) out = { ...out, tools: out.tools.map(withNumberHeader) };
  const meta = out._meta as Record<string, unknown> | undefined;
  if (faults.has('no-server-info-meta') && meta && META.serverInfo in meta) {
    const { [META.serverInfo]: _dropped, ...rest } = meta;
    out = { ...out, _meta: rest };
  }
  return out === result ? message : { ...message, result: out };
}

/** The faults whose outgoing rewrite must run (so a server rewrites only when one is on). */
export const MODERN_OUTGOING_FAULTS: readonly FaultName[] = [
  'discover-missing-supported-versions',
  'no-server-info-meta',
  'progress-token-mixed',
  'number-x-mcp-header',
  'listen-ack-id-stringified',
  'listen-notification-unstamped',
  'input-required-bare',
];

/** The stdio server's own 2026-07-28 faults, at the two points of its wire where they act. */
export interface ModernStdioFaults {
  /** the v2 tool server trusts an echoed requestState without checking its signature (request-state-unverified) */
  readonly trustRequestState: boolean;
  /** a message the SDK wrote that never goes out (listen-dropped-on-shutdown) */
  dropsOutgoing(message: JsonRpcMessage): boolean;
  /** the answer that refuses a client message before the SDK sees it, or undefined: deliver it (discover-first-required) */
  refusal(received: JsonRpcMessage): JsonRpcMessage | undefined;
}

/** A result ending a listen: it carries the subscription id in its _meta. */
function isListenEnd(message: JsonRpcMessage): boolean {
  const meta = (message.result as { _meta?: Record<string, unknown> } | undefined)?._meta;
  return meta !== undefined && SUBSCRIPTION_ID in meta;
}

/** One per process: discover-first-required keeps whether the client has discovered yet. */
export function modernStdioFaults(faults: FaultSet): ModernStdioFaults {
  let discovered = false;
  const discoverFirst = faults.has('discover-first-required');
  const dropListenEnds = faults.has('listen-dropped-on-shutdown');
  return {
    trustRequestState: faults.has('request-state-unverified'),
    dropsOutgoing: (message) => dropListenEnds && isListenEnd(message),
    refusal(received) {
      // the server keeps state, serving nothing until it was discovered
      if (!discoverFirst || typeof received.method !== 'string' || !('id' in received)) return undefined;
      if (received.method === 'server/discover') discovered = true;
      else if (!discovered)
        return errorResponse(received.id as string, ErrorCode.InvalidRequest, 'Invalid Request: call server/discover first');
      return undefined;
    },
  };
}
