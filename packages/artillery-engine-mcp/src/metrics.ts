/**
 * Every metric the engine reports, named in Artillery's vocabulary so that its console report,
 * `--output` JSON, `ensure` thresholds and exporters (publish-metrics) take them unchanged:
 * counters and rates as Artillery's http engine has them (`http.requests`, `http.codes.200`),
 * response times in milliseconds as histograms (Artillery keeps p50/p95/p99/... of each), and
 * failures through the runner's 'error' event, which Artillery counts as `errors.<code>`.
 *
 * Failures use the kinds of the harness's own load engine (timeout, HTTP status, JSON-RPC
 * error by code, tool error, transport closed), so a run here and an `mcp-harness bench` run
 * name the same failures the same way. Byte counters are JSON-RPC payload bytes (the UTF-8 of
 * the messages), not wire bytes: the session API hides headers and framing.
 */
import type { JsonRpcMessage, TransportKind } from '../../../drivers/protocol.js';
import type { RpcReply } from '../../../drivers/session.js';
import type { ScenarioEvents } from './artillery-types.js';

export const METRIC = {
  requests: 'mcp.requests',
  requestRate: 'mcp.request_rate',
  responses: 'mcp.responses',
  responseTime: 'mcp.response_time',
  notificationsSent: 'mcp.notifications_sent',
  messagesReceived: 'mcp.messages_received',
  sessionsOpened: 'mcp.sessions.opened',
  sessionsTerminated: 'mcp.sessions.terminated',
  initializeTime: 'mcp.initialize_time',
  streamsOpened: 'mcp.streams.opened',
  streamEvents: 'mcp.streams.events',
  bytesSent: 'mcp.payload_bytes_sent',
  bytesReceived: 'mcp.payload_bytes_received',
} as const;

/** `errors.<code>` names (the runner adds `errors.`). */
export const ERROR = {
  timeout: 'mcp.timeout',
  toolError: 'mcp.tool_error',
  transportClosed: 'mcp.transport_closed',
  sessionFailed: 'mcp.session_failed',
  jsonrpc: (code: number | string): string => `mcp.jsonrpc.${code}`,
  httpStatus: (status: number): string => `mcp.http.${status}`,
  streamRefused: (status: number): string => `mcp.stream_refused.${status}`,
  other: 'mcp.other',
} as const;

/** A request's outcome: undefined when it succeeded, else the `errors.` code it counts under. */
export function failureOf(reply: RpcReply): string | undefined {
  if (reply.timedOut) return ERROR.timeout;
  if (reply.status === 0) return ERROR.transportClosed;
  const response = reply.response;
  const error = response?.error as { code?: unknown } | undefined;
  if (error !== undefined) return ERROR.jsonrpc(typeof error?.code === 'number' ? error.code : 'malformed');
  // a refusal without a JSON-RPC body (a gateway's 429, a 5xx page)
  if (reply.status !== undefined && (reply.status < 200 || reply.status > 299)) return ERROR.httpStatus(reply.status);
  if (!response) return ERROR.transportClosed;
  if ((response.result as { isError?: unknown } | undefined)?.isError === true) return ERROR.toolError;
  return undefined;
}

/** What a thrown error counts under (a deadline, a closed pipe or socket, anything else). */
export function failureOfError(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  if (e?.name === 'DeadlineError' || e?.name === 'TimeoutError') return ERROR.timeout;
  if (/ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|closed|exited/i.test(`${String(e?.code ?? '')} ${String(e?.message ?? err)}`)) {
    return ERROR.transportClosed;
  }
  return ERROR.other;
}

function payloadBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

/** The emitter of one engine: knows the transport, so each sample also lands in its per-transport histogram. */
export class Metrics {
  private readonly transportTime: string;

  constructor(
    readonly events: ScenarioEvents,
    transport: TransportKind,
  ) {
    this.transportTime = `mcp.${transport}.response_time`;
  }

  counter(name: string, value = 1): void {
    this.events.emit('counter', name, value);
  }

  error(code: string): void {
    this.events.emit('error', code);
  }

  /** A request is on its way. */
  sent(method: string, params: Record<string, unknown> | undefined): void {
    this.counter(METRIC.requests);
    this.counter(`${METRIC.requests}.${method}`);
    this.events.emit('rate', METRIC.requestRate);
    this.counter(METRIC.bytesSent, payloadBytes(params) + method.length);
  }

  /** Its reply (or its deadline) came back after `ms`; returns the failure code, if any. */
  replied(method: string, ms: number, reply: RpcReply): string | undefined {
    if (reply.status !== undefined && reply.status > 0) this.counter(`mcp.http.codes.${reply.status}`);
    if (reply.messages.length > 0) this.counter(METRIC.messagesReceived, reply.messages.length);
    if (reply.response) {
      this.counter(METRIC.responses);
      this.counter(METRIC.bytesReceived, payloadBytes(reply.response as JsonRpcMessage));
      this.events.emit('histogram', METRIC.responseTime, ms);
      this.events.emit('histogram', `${METRIC.responseTime}.${method}`, ms);
      this.events.emit('histogram', this.transportTime, ms);
    }
    const failure = failureOf(reply);
    if (failure !== undefined) this.error(failure);
    return failure;
  }

  notified(method: string, params: Record<string, unknown> | undefined, status: number | undefined): void {
    this.counter(METRIC.notificationsSent);
    this.counter(METRIC.bytesSent, payloadBytes(params) + method.length);
    if (status !== undefined && status > 0) this.counter(`mcp.http.codes.${status}`);
  }

  sessionOpened(ms: number): void {
    this.counter(METRIC.sessionsOpened);
    this.events.emit('histogram', METRIC.initializeTime, ms);
  }

  sessionTerminated(): void {
    this.counter(METRIC.sessionsTerminated);
  }
}
