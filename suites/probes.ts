/** Small pieces the checks share: harmless requests, exact id comparison, readable values for evidence. */
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { HARNESS_CLIENT_INFO, isModern, META } from '../drivers/protocol.js';
import { waitFor } from '../drivers/deadline.js';
import type { RawReply, RpcSession } from '../drivers/session.js';

/** The request with no side effects that every server of the revision must answer: ping, or server/discover from 2026-07-28 on. */
export function harmlessMethod(revision: Revision): string {
  return isModern(revision) ? 'server/discover' : 'ping';
}

/**
 * A complete request object for raw writes (stdio bytes, batch arrays), with the per-request
 * `_meta` the modern revision requires, so a raw probe differs from a normal request only in
 * what the check means to change.
 */
export function rawRequest(revision: Revision, id: unknown, method: string, params: Record<string, unknown> = {}): JsonRpcMessage {
  if (!isModern(revision)) return { jsonrpc: '2.0', id, method, params };
  const meta = {
    [META.protocolVersion]: revision,
    [META.clientCapabilities]: {},
    [META.clientInfo]: HARNESS_CLIENT_INFO,
  };
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } };
}

export function initializeParams(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: {}, clientInfo: HARNESS_CLIENT_INFO };
}

/** JSON-RPC ids are equal only with the same type and value: "1" is not 1. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && a === b;
}

/** A value as it appears on the wire, bounded, for expected/actual texts. */
export function show(value: unknown, max = 300): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function errorCode(message: JsonRpcMessage | undefined): number | undefined {
  const e = message?.error as { code?: unknown } | undefined;
  return typeof e?.code === 'number' ? e.code : undefined;
}

export function resultOf(message: JsonRpcMessage | undefined): Record<string, unknown> | undefined {
  const r = message?.result;
  return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
}

/** Responses among `messages` (not requests or notifications). */
export function responsesIn(messages: readonly JsonRpcMessage[]): JsonRpcMessage[] {
  return messages.filter((m) => m.method === undefined && ('result' in m || 'error' in m));
}

/**
 * The same id value, ignoring its JSON type: for checks about error codes, which leave the id's
 * type to RPC-ID-01 so that one defect fails one check.
 */
export function sameIdValue(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));
}

/** Wait until the session has received, at index `from` or later, a message matching `predicate`. */
export async function receivedMatching(
  session: RpcSession,
  predicate: (m: JsonRpcMessage) => boolean,
  ms: number,
  from = 0,
): Promise<JsonRpcMessage | undefined> {
  const find = () => session.received.slice(from).find(predicate);
  await waitFor(() => find() !== undefined, ms);
  return find();
}

/**
 * Send raw text and find the message that answers it. A stray message (a reply to an earlier
 * notification) may arrive first, so this looks for `predicate`, not just the first message.
 */
export async function sendAndFind(
  session: RpcSession,
  text: string,
  predicate: (m: JsonRpcMessage) => boolean,
  ms: number,
): Promise<{ found: JsonRpcMessage | undefined; reply: RawReply }> {
  const from = session.received.length;
  const reply = await session.sendRaw(text, { until: 'message', timeoutMs: ms });
  const found = reply.messages.find(predicate) ?? (await receivedMatching(session, predicate, ms, from));
  return { found, reply };
}

/** Wait until the session has received a response with exactly this id. */
export function receivedResponse(session: RpcSession, id: unknown, ms: number): Promise<JsonRpcMessage | undefined> {
  return receivedMatching(session, (m) => m.method === undefined && sameId(m.id, id), ms);
}

/** "400", or "0 (no response: <error>)" for a reply that never came. */
export function describeStatus(status: number | undefined, error?: string): string {
  if (status === undefined) return 'no HTTP status';
  if (status === 0) return `no HTTP response${error ? ` (${error})` : ''}`;
  return String(status);
}
