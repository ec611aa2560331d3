/**
 * The answering plumbing every Streamable HTTP reference server shares: the front door (Origin
 * and Host guard, authorization, the one MCP path, route-stage admission), the body parse, and
 * the replies that pass through the reply seam (http/seams.ts), for node writes and for the web
 * Responses of the SDK transports alike. One piece, so that a refusal or a reply fault is the same
 * bytes on every server.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import type { FaultSet } from '../faults/index.js';
import { errorResponse } from '../message-layer.js';
import type { AuthGate } from './auth.js';
import { MCP_PATH } from './endpoint.js';
import { checkOriginAndHost, guardRejectionBody } from './guard.js';
import { pathOf, sendEmpty, sendError, sendJson, sendJsonText } from './reply.js';
import type { ComposedHttpSeam, Refusal, ReplyContext } from './seams.js';

/** an implementation-defined server error code for "no such session", as the v1 SDK uses */
export const SESSION_NOT_FOUND = -32001;

export interface FrontDoor {
  /** the port the server listens on, and further host names it was bound to (Origin/Host guard) */
  port: number;
  extraHosts: readonly string[];
  /** the guard's faults (http/guard.ts) */
  faults: FaultSet;
  auth?: AuthGate | undefined;
  seam: ComposedHttpSeam;
}

/**
 * Answer here what never reaches an endpoint's methods: a foreign Origin or Host (403), a request
 * without valid authorization, a path other than /mcp (404), a route-stage refusal. Returns true
 * when it answered.
 */
export function answeredAtDoor(req: IncomingMessage, res: ServerResponse, door: FrontDoor): boolean {
  const rejected = checkOriginAndHost(req, door.port, door.faults, door.extraHosts);
  if (rejected) {
    sendJsonText(res, rejected.status, guardRejectionBody(rejected));
    return true;
  }
  if (door.auth?.intercept(req, res)) return true;
  if (pathOf(req.url) !== MCP_PATH) {
    sendError(res, 404, ErrorCode.InvalidRequest, 'Not found: the MCP endpoint is /mcp');
    return true;
  }
  return refused(res, door.seam.admit({ req, stage: 'route' }));
}

/** Send a refusal, if there is one: its message (through `finish`, the outgoing layer), its error, or no body. */
export function refused(
  res: ServerResponse,
  refusal: Refusal | undefined,
  finish: (m: JsonRpcMessage) => JsonRpcMessage = (m) => m,
): boolean {
  if (!refusal) return false;
  if (refusal.message) sendJson(res, refusal.status, finish(refusal.message));
  else if (refusal.error) sendError(res, refusal.status, refusal.error.code, refusal.error.message, refusal.error.id ?? null);
  else sendEmpty(res, refusal.status);
  return true;
}

/** A body parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** An answer written by the server itself (a JSON-RPC body, or none), through the reply seam. */
export function sendReply(
  res: ServerResponse,
  seam: ComposedHttpSeam,
  status: number,
  body: JsonRpcMessage | JsonRpcMessage[] | undefined,
  ctx: ReplyContext,
  headers?: OutgoingHttpHeaders,
): void {
  if (!seam.replies) {
    if (body === undefined) sendEmpty(res, status, headers);
    else sendJson(res, status, body, headers);
    return;
  }
  const head: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) head[name] = String(value);
  if (body !== undefined) head['content-type'] = 'application/json';
  const r = seam.reply({ status, headers: head, body }, ctx);
  if (r.body === undefined) {
    sendEmpty(res, r.status, r.headers);
    return;
  }
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The -32700 answer to a body that is not JSON. */
export function refuseUnparseable(req: IncomingMessage, res: ServerResponse, seam: ComposedHttpSeam): void {
  const error = errorResponse(null, ErrorCode.ParseError, 'Parse error: invalid JSON');
  sendReply(res, seam, 400, error, { req, occasion: 'refusal', rejected: 'parse-error' });
}

/** The -32600 answer (already through the outgoing layer) to a body that is JSON but no valid message. */
export function refuseInvalid(
  req: IncomingMessage,
  res: ServerResponse,
  seam: ComposedHttpSeam,
  request: unknown,
  rejection: JsonRpcMessage,
): void {
  sendReply(res, seam, 400, rejection, { req, occasion: 'refusal', rejected: 'invalid', request });
}

/** The session table's answer to an unknown, terminated or missing session id. */
export function sendLookupError(res: ServerResponse, found: { status: 400 | 404; message: string }): void {
  sendError(res, found.status, found.status === 404 ? SESSION_NOT_FOUND : ErrorCode.InvalidRequest, found.message);
}

const mediaType = (response: Response) => (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** An SDK's web Response, through the reply seam; untouched when no reply hook is on. */
export async function replyThrough(response: Response, seam: ComposedHttpSeam, ctx: ReplyContext): Promise<Response> {
  if (!seam.replies) return response;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const json = seam.readsBody && mediaType(response) === 'application/json' && response.body !== null;
  const text = json ? await response.text() : undefined;
  const body = text === undefined ? undefined : parseJson(text)?.value;
  const r = seam.reply({ status: response.status, headers, body }, ctx);
  if (r.body === body && text === undefined && r.status === response.status && r.headers === headers) return response;
  const out = new Headers(r.headers);
  if (r.body !== body) out.delete('content-length');
  const payload = r.body !== body ? JSON.stringify(r.body) : text !== undefined ? text : response.body;
  return new Response(payload, { status: r.status, headers: out });
}
