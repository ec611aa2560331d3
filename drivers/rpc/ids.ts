/**
 * JSON-RPC ids: which response answers which request. The one rule every driver and check uses:
 *
 * - A response answers a request when their ids are equal loosely: the same JSON value, where a
 *   number and the string of its digits count as equal (1 matches "1"). A server that changes an
 *   id's type still has its response found, and RPC-ID-01, which sees both ids, judges the
 *   change itself (sameIdExactly). With 1 and "1" both pending, the response goes to the one
 *   whose id has its type. Object ids (which MCP forbids, sent by RPC-ERR-02) compare as JSON.
 * - `id: null` answers no request, not even one sent with id null. JSON-RPC 2.0 gives a response
 *   id null when the server could not read the request's id (a parse error, an invalid request),
 *   so it cannot say which message it is about. Such a response is still kept and reported
 *   (the session's history, raw collections, and the related messages of every request then in
 *   flight), so the request whose message the server could not read sees why no answer came.
 * - A message without an `id` member answers nothing, whatever else it carries.
 * - Two pending requests with the same id are answered first sent, first answered; a response
 *   to an id nobody is waiting for is reported like a null-id one (history, collections, the
 *   related messages of requests in flight) and answers nothing.
 */
import type { JsonRpcMessage } from '../protocol.js';

/**
 * The key under which ids match loosely, or undefined for an id that matches nothing (missing or
 * null). Strings and numbers share one key space, so 1 and "1" get the same key.
 */
export function idKey(id: unknown): string | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'object') return `\u0000json:${JSON.stringify(id)}`;
  return String(id);
}

/** Loose id equality (see the file's header): 1 matches "1"; a missing or null id matches nothing. */
export function idsMatch(a: unknown, b: unknown): boolean {
  const key = idKey(a);
  return key !== undefined && key === idKey(b);
}

/**
 * Strict id equality, the way a check judges an echoed id: the same JSON type and value, so "1"
 * is not 1. Object ids are never equal here, since MCP allows only strings and integers.
 */
export function sameIdExactly(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && a === b;
}

/** A response by its shape: no method, and a result or an error (whatever its id). */
export function isResponseShaped(message: JsonRpcMessage): boolean {
  return message.method === undefined && ('result' in message || 'error' in message);
}

/** A response that can answer a request: response-shaped, with an id that is neither missing nor null. */
export function answersSomething(message: JsonRpcMessage): boolean {
  return isResponseShaped(message) && idKey(message.id) !== undefined;
}

/** Does `message` answer the request with id `id`? */
export function answers(message: JsonRpcMessage, id: unknown): boolean {
  return isResponseShaped(message) && idsMatch(message.id, id);
}
