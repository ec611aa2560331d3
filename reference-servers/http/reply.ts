/**
 * Small response writers shared by the HTTP reference servers. Each sets Content-Length, so a
 * client never has to wait for a chunked terminator to know an answer is complete.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { JsonRpcId, JsonRpcMessage } from '../../drivers/protocol.js';
import { errorResponse } from '../message-layer.js';

export function sendJsonText(res: ServerResponse, status: number, body: string, headers?: OutgoingHttpHeaders): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  message: JsonRpcMessage | JsonRpcMessage[],
  headers?: OutgoingHttpHeaders,
): void {
  sendJsonText(res, status, JSON.stringify(message), headers);
}

/** An HTTP-level rejection carrying a JSON-RPC error (id null: it answers no readable request). */
export function sendError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: JsonRpcId = null,
  headers?: OutgoingHttpHeaders,
): void {
  sendJson(res, status, errorResponse(id, code, message), headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers?: OutgoingHttpHeaders): void {
  res.writeHead(status, headers);
  res.end();
}

/** The path of a request URL without its query, cheaply (no URL object on the hot path). */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
