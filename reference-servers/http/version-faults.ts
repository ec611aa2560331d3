/**
 * The MCP-Protocol-Version presence rule of the stateful Streamable HTTP servers: a request
 * without the header is served (the spec says to assume the negotiated version; initialize needs
 * none). The request guard seam (`versionHeaderRequired`) is where a defect refuses it instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../drivers/protocol.js';
import { sendError } from './reply.js';
import { sharedSeamsFor } from '../faults/hooks/index.js';
import type { FaultSet } from '../faults/index.js';

function refuse(res: ServerResponse): true {
  sendError(res, 400, ErrorCode.InvalidRequest, 'Bad Request: MCP-Protocol-Version header is required');
  return true;
}

/** A request after initialize without the header: true when it was refused (and answered here). */
export function refusedWithoutVersion(faults: FaultSet, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers['mcp-protocol-version'] !== undefined) return false;
  return sharedSeamsFor(faults).guard.versionHeaderRequired({ initialize: false }) && refuse(res);
}

/** An initialize without the header: true when it was refused (and answered here). */
export function initializeRefusedWithoutVersion(faults: FaultSet, req: IncomingMessage, res: ServerResponse, initialize: unknown): boolean {
  if (req.headers['mcp-protocol-version'] !== undefined) return false;
  const offered = (initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  const ctx = { initialize: true, ...(typeof offered === 'string' ? { initializeOffers: offered } : {}) };
  return sharedSeamsFor(faults).guard.versionHeaderRequired(ctx) && refuse(res);
}
