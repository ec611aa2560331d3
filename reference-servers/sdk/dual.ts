/**
 * A dual-era Streamable HTTP server: the 2026-07-28 stateless endpoint (sdk/stateless.ts, v2 SDK)
 * and the 2025 stateful one (sdk/streamable-http.ts, v1 SDK, JSON responses) on one URL. Each
 * request goes to one of them, the way the v2 SDK documents for keeping a 2025 deployment beside
 * a strict modern endpoint: its own `isLegacyRequest` predicate decides, from the body's `_meta`
 * envelope and the MCP-Protocol-Version header. An `initialize` opens a 2025 session, scoped to
 * that session; 2026-07-28 requests are served alongside it (MOD-COMPAT-02).
 *
 * Two rules are ours. The predicate sends every body-less GET and DELETE to the 2025 endpoint, but
 * a GET or DELETE that names 2026-07-28 in MCP-Protocol-Version comes from a modern client, and is
 * answered by the modern endpoint (405: that revision has no GET stream and no sessions). And an
 * array body on a 2025 session is a 2025-03-26 batch, even when the predicate cannot call one of
 * its elements legacy (an invalid one, which the batch's answer reports on its own).
 */
import type { IncomingMessage } from 'node:http';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { MODERN_REVISION } from '../../drivers/protocol.js';
import { httpSeamFor } from '../faults/hooks/http-streamable.js';
import { parseJson } from '../http/answer.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { type Endpoint, serveEndpoint } from '../http/endpoint.js';
import { toWebRequest } from '../http/web-bridge.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createStatelessEndpoint } from './stateless.js';
import { createStatefulEndpoint } from './streamable-http.js';

export function start(opts: ServeOptions): Promise<RunningServer> {
  return serveEndpoint(createDualEndpoint(opts), opts.host, opts.port);
}

function createDualEndpoint(opts: ServeOptions): Endpoint {
  const modern = createStatelessEndpoint(opts);
  const legacy = createStatefulEndpoint(opts, 'json');
  // One era switch for the whole server (fault era-switch-global): a 2026-07-28 request ends every 2025 session.
  const { eraSwitchGlobal } = httpSeamFor(opts.faults).settings;
  let origin = '';

  async function isLegacy(req: IncomingMessage, body: string | undefined): Promise<boolean> {
    if (body === undefined) return req.headers['mcp-protocol-version'] !== MODERN_REVISION;
    const json = parseJson(body);
    // unparseable: either endpoint answers -32700; the predicate, too, calls it legacy
    if (json === undefined) return true;
    // a batch on a 2025 session (2025-03-26), even one whose bad element the predicate cannot call legacy
    if (Array.isArray(json.value) && req.headers['mcp-session-id'] !== undefined) return true;
    return isLegacyRequest(toWebRequest(req, origin), json.value);
  }

  return {
    async handle(req, res) {
      const body = req.method === 'POST' ? await readBody(req, DEFAULT_MAX_BODY) : undefined;
      if (await isLegacy(req, body)) return legacy.handle(req, res, body);
      if (eraSwitchGlobal) await legacy.endSessions();
      return modern.handle(req, res, body);
    },
    listening(bound) {
      origin = bound.origin;
      legacy.listening(bound);
      return modern.listening(bound);
    },
    async close() {
      await Promise.all([modern.close(), legacy.close()]);
    },
  };
}
