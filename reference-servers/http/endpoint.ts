/**
 * A reference server's MCP endpoint as a request handler, apart from the socket it listens on, so
 * that one node:http server can carry two of them: the dual-era kind routes each request to the
 * 2026-07-28 endpoint or to the 2025 one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ErrorCode } from '../../drivers/protocol.js';
import type { RunningServer, ServerTokens } from '../start.js';
import { BodyError } from './body.js';
import { type Bound, closeServer, listen } from './listen.js';
import { sendError } from './reply.js';

export const MCP_PATH = '/mcp';

export interface Endpoint {
  /** answer one request; `body` is the POST body when whoever routed the request has read it */
  handle(req: IncomingMessage, res: ServerResponse, body?: string): Promise<void>;
  /** the socket listens (Origin and Host are checked against it from now on): the origin to advertise, and an auth server's tokens */
  listening(bound: Bound): { origin: string; tokens?: ServerTokens };
  close(): Promise<void>;
}

/** A request whose handler threw: 500, or the body's own status (413), unless the answer had begun. */
export function failRequest(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = err instanceof BodyError ? err.status : 500;
  const headers = status === 413 ? { connection: 'close' } : undefined;
  sendError(res, status, status === 500 ? ErrorCode.InternalError : ErrorCode.InvalidRequest, (err as Error).message, null, headers);
}

/** Listen with one endpoint on `host`:`port` (loopback and any free port by default). */
export async function serveEndpoint(endpoint: Endpoint, host?: string, port?: number): Promise<RunningServer> {
  const http = createServer((req, res) => {
    endpoint.handle(req, res).catch((err: unknown) => failRequest(res, err));
  });
  const { origin, tokens } = endpoint.listening(await listen(http, host, port));
  return {
    url: `${origin}${MCP_PATH}`,
    ...(tokens ? { tokens } : {}),
    async close() {
      await endpoint.close();
      await closeServer(http);
    },
  };
}
