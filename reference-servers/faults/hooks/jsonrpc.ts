/** Hooks of the JSON-RPC message-rule faults (faults/jsonrpc.ts): all on the message seam. */
import type { JsonRpcMessage } from '../../../drivers/protocol.js';
import { ErrorCode } from '../../../drivers/protocol.js';
import { findTool } from '../../tools.js';
import type { HookRegistry } from './registry.js';

type Obj = Record<string, unknown>;

const isResponse = (m: JsonRpcMessage) => 'id' in m && m.method === undefined;
const errorOf = (m: JsonRpcMessage) => (m.error && typeof m.error === 'object' ? (m.error as Obj) : undefined);
const resultOf = (m: JsonRpcMessage) => (m.result && typeof m.result === 'object' ? (m.result as Obj) : undefined);
const isObject = (v: unknown): v is JsonRpcMessage => !!v && typeof v === 'object' && !Array.isArray(v);

/** A request sent under 2026-07-28 (per-request _meta) gets a 2026-07-28 result (resultType). */
function isModernRequest(request: JsonRpcMessage | undefined): boolean {
  const meta = (request?.params as { _meta?: Obj } | undefined)?._meta;
  return !!meta && 'io.modelcontextprotocol/protocolVersion' in meta;
}

/** The -32602 of a tools/call naming a tool the server does not have (not another -32602 of the v2 tools). */
function isUnknownToolError(m: JsonRpcMessage, request: JsonRpcMessage | undefined): boolean {
  if (request?.method !== 'tools/call') return false;
  const error = errorOf(m);
  const name = (request.params as { name?: unknown } | undefined)?.name;
  return (
    error?.code === ErrorCode.InvalidParams &&
    typeof name === 'string' &&
    !findTool(name) &&
    String(error.message ?? '').includes('Unknown tool')
  );
}

function withoutError(m: JsonRpcMessage): JsonRpcMessage {
  const { error: _error, ...rest } = m;
  return rest;
}

function coerceId(id: unknown): unknown {
  if (typeof id === 'number') return String(id);
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return Number(id);
  return id;
}

/** every string of a result re-read from its UTF-8 bytes as Latin-1 (double encoding) */
function mojibake(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('latin1');
  if (Array.isArray(value)) return value.map(mojibake);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mojibake(v)]));
  return value;
}

/** The id every request of the server's own goes out with under server-request-id-reused (a keep-alive's hard-coded 1). */
const REUSED_REQUEST_ID = 1;

export const JSONRPC_HOOKS = {
  'id-type-coerce': () => ({ message: { outbound: (m) => (isResponse(m) ? { ...m, id: coerceId(m.id) } : m) } }),
  'parse-error-silent': () => ({ message: { rejection: (reply, rejected) => (rejected.kind === 'parse-error' ? undefined : reply) } }),
  'invalid-request-accepted': () => ({
    message: {
      parsed: (value) => {
        if (!isObject(value)) return value;
        const out: JsonRpcMessage = { ...value, jsonrpc: '2.0' };
        if ('method' in out && typeof out.method !== 'string') out.method = 'ping';
        if ('id' in out && out.id !== null && typeof out.id === 'object') out.id = 0;
        return out;
      },
    },
  }),
  'unknown-method-wrong-code': () => ({
    message: {
      outbound: (m) => {
        const error = errorOf(m);
        return error?.code === ErrorCode.MethodNotFound ? { ...m, error: { ...error, code: ErrorCode.InternalError } } : m;
      },
    },
  }),
  'answer-notifications': () => ({ message: { answer: (m) => ('id' in m ? undefined : { jsonrpc: '2.0', id: null, result: {} }) } }),
  'result-wrong-shape': () => ({
    message: {
      outbound: (m, { request }) => {
        const result = resultOf(m);
        if (request?.method !== 'tools/list' || !result || !Array.isArray(result.tools)) return m;
        return { ...m, result: { ...result, tools: result.tools.map((t: Obj) => ({ ...t, inputSchema: undefined })) } };
      },
    },
  }),
  'error-no-jsonrpc': () => ({ message: { outbound: (m) => (errorOf(m) ? { ...m, jsonrpc: undefined } : m) } }),
  'result-and-error': () => ({ message: { outbound: (m) => (errorOf(m) ? { ...m, result: null } : m) } }),
  'error-no-message': () => ({
    message: {
      outbound: (m) => {
        const error = errorOf(m);
        if (!error) return m;
        const { message: _dropped, ...rest } = error;
        return { ...m, error: rest };
      },
    },
  }),
  'notification-with-id': () => ({ message: { outbound: (m) => (m.method === 'notifications/progress' ? { ...m, id: 'progress' } : m) } }),
  'error-id-null': () => ({
    message: { rejection: (reply, rejected) => (reply && rejected.kind === 'invalid' ? { ...reply, id: null } : reply) },
  }),
  'unknown-tool-is-error': () => ({
    message: {
      outbound: (m, { request }) => {
        if (!isUnknownToolError(m, request)) return m;
        const name = (request!.params as { name: string }).name;
        const result: Obj = { content: [{ type: 'text', text: `Unknown tool: ${name}` }], isError: true };
        // a 2026-07-28 request gets a 2026-07-28 result, so only RPC-ERR-04 sees the defect
        if (isModernRequest(request)) result.resultType = 'complete';
        return { ...withoutError(m), result };
      },
    },
  }),
  'unknown-tool-32002': () => ({
    message: { outbound: (m, { request }) => (isUnknownToolError(m, request) ? { ...m, error: { ...errorOf(m), code: -32002 } } : m) },
  }),
  'unknown-tool-32001': () => ({
    message: { outbound: (m, { request }) => (isUnknownToolError(m, request) ? { ...m, error: { ...errorOf(m), code: -32001 } } : m) },
  }),
  'no-result-type': () => ({
    message: {
      outbound: (m, { request }) => {
        const result = resultOf(m);
        return request?.method === 'tools/list' && result && Array.isArray(result.tools)
          ? { ...m, result: { ...result, resultType: undefined } }
          : m;
      },
    },
  }),
  'null-id-executed': () => {
    // request ids that were null on arrival, replaced so the server runs them; bounded
    const standIns = new Set<string>();
    let next = 0;
    return {
      message: {
        parsed: (value) => {
          if (!isObject(value) || typeof value.method !== 'string' || !('id' in value) || value.id !== null || standIns.size >= 1000)
            return value;
          const standIn = `harness-null-id-${next++}`;
          standIns.add(standIn);
          return { ...value, id: standIn };
        },
        outbound: (m) => (typeof m.id === 'string' && standIns.delete(m.id) ? { ...m, id: null } : m),
      },
    };
  },
  'utf8-mojibake': () => ({
    message: { outbound: (m, { request }) => (request?.method === 'tools/call' && resultOf(m) ? { ...m, result: mojibake(m.result) } : m) },
  }),
  'missing-resource-empty': () => ({
    message: {
      outbound: (m, { request }) => {
        if (request?.method !== 'resources/read' || !errorOf(m)) return m;
        const empty: Obj = { contents: [] };
        if (isModernRequest(request)) empty.resultType = 'complete';
        return { ...withoutError(m), result: empty };
      },
    },
  }),
  'server-request-id-reused': () => {
    // the real ids of the server's requests that went out under REUSED_REQUEST_ID, oldest first
    const realIds: unknown[] = [];
    return {
      message: {
        outbound: (m) => {
          if (typeof m.method !== 'string' || !('id' in m) || realIds.length >= 100) return m;
          realIds.push(m.id);
          return { ...m, id: REUSED_REQUEST_ID };
        },
        // the client's answer under the hard-coded id goes back to the server under the real id (requests are answered in order)
        parsed: (value) => {
          if (!isObject(value) || value.method !== undefined || value.id !== REUSED_REQUEST_ID || realIds.length === 0) return value;
          return { ...value, id: realIds.shift() };
        },
      },
    };
  },
} satisfies HookRegistry;
