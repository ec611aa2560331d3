/** Protocol facts shared by drivers, checks and reference servers. */

export const REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'] as const;
export type Revision = (typeof REVISIONS)[number];

/** The 2026-07-28 revision is the "modern" stateless era; everything before it uses initialize. */
export const MODERN_REVISION: Revision = '2026-07-28';
export const LEGACY_REVISIONS: readonly Revision[] = REVISIONS.filter((r) => r !== MODERN_REVISION);

export function isRevision(value: unknown): value is Revision {
  return typeof value === 'string' && (REVISIONS as readonly string[]).includes(value);
}

export function isModern(revision: Revision): boolean {
  return revision === MODERN_REVISION;
}

/** Inclusive revision range, e.g. revisionRange('2025-03-26', '2025-11-25'). */
export function revisionRange(from: Revision, to: Revision = MODERN_REVISION): Revision[] {
  const start = REVISIONS.indexOf(from);
  const end = REVISIONS.indexOf(to);
  return REVISIONS.slice(start, end + 1);
}

/**
 * stdio: the client spawns the server and speaks newline-delimited JSON.
 * sse: the legacy HTTP+SSE transport of 2024-11-05 (GET stream + endpoint POSTs).
 * http: Streamable HTTP, in its 2025 stateful shape or its 2026-07-28 stateless shape (chosen by revision).
 */
export const TRANSPORTS = ['stdio', 'sse', 'http'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];

export type JsonRpcId = string | number | null;

/**
 * A message as it came off the wire. Deliberately loose: servers under test send malformed
 * messages, and checks must be able to look at whatever arrived.
 */
export interface JsonRpcMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
  [key: string]: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

export function isResponse(msg: JsonRpcMessage): boolean {
  return 'id' in msg && msg.method === undefined && ('result' in msg || 'error' in msg);
}

export function isRequest(msg: JsonRpcMessage): boolean {
  return typeof msg.method === 'string' && 'id' in msg;
}

export function isNotification(msg: JsonRpcMessage): boolean {
  return typeof msg.method === 'string' && !('id' in msg);
}

export function errorOf(msg: JsonRpcMessage | undefined): JsonRpcErrorObject | undefined {
  const e = msg?.error;
  if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'number') {
    return e as JsonRpcErrorObject;
  }
  return undefined;
}

/** Keys of the per-request `_meta` that the 2026-07-28 revision requires on every request. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
} as const;

export const HARNESS_CLIENT_INFO = { name: 'mcp-harness', version: '0.1.0' } as const;

/** Methods whose `params.name` or `params.uri` must be mirrored into the `Mcp-Name` header (2026-07-28). */
export const NAMED_METHODS: Record<string, 'name' | 'uri'> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};
