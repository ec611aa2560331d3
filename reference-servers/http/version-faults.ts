/**
 * Faults require-protocol-version and require-protocol-version-on-initialize, shared by the
 * stateful Streamable HTTP servers: a missing MCP-Protocol-Version is refused where the spec says
 * to assume the negotiated version (a later request) or asks for no header at all (initialize).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../drivers/protocol.js';
import { sendError } from './reply.js';
import type { FaultSet } from '../faults/index.js';

/** the first revision that has the header */
const FIRST_VERSION_HEADER = '2025-06-18';

function refuse(res: ServerResponse): true {
  sendError(res, 400, ErrorCode.InvalidRequest, 'Bad Request: MCP-Protocol-Version header is required');
  return true;
}

/** Fault require-protocol-version: a request after initialize without the header is refused (sent here). */
export function refusedWithoutVersion(faults: FaultSet, req: IncomingMessage, res: ServerResponse): boolean {
  return req.headers['mcp-protocol-version'] === undefined && faults.has('require-protocol-version') && refuse(res);
}

/**
 * Fault require-protocol-version-on-initialize: an initialize offering a revision that has the
 * header, but not carrying it, is refused (sent here).
 */
export function initializeRefusedWithoutVersion(faults: FaultSet, req: IncomingMessage, res: ServerResponse, initialize: unknown): boolean {
  if (req.headers['mcp-protocol-version'] !== undefined || !faults.has('require-protocol-version-on-initialize')) return false;
  const offered = (initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  return typeof offered === 'string' && offered >= FIRST_VERSION_HEADER && refuse(res);
}
