/**
 * Hand-written Streamable HTTP (2025 stateful shape) on node:http: the speed baseline. Stateful
 * sessions, JSON responses, no GET stream (405), notification → 202. A tools/call that carries a
 * progressToken is answered as an SSE stream (progress notifications, then the response) when
 * the client accepts text/event-stream; everything else is one JSON body.
 *
 * Batches (an array body) are answered properly on sessions negotiated at 2025-03-26, the only
 * revision that has them, with JSON-RPC 2.0 semantics (per-element errors, 202 when only
 * notifications, one error object for an empty array); on every other session they get 400/-32600.
 *
 * Defects hook in at the HTTP seams (http/seams.ts, faults/hooks/http-streamable.ts): settings,
 * admission, and the reply's status and body; the message layer and the session table have
 * seams of their own.
 *
 * The hot path (POST of a request on a known session) parses the body once, allocates no
 * closures, and writes one JSON body with a Content-Length.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode, LEGACY_REVISIONS } from '../../drivers/protocol.js';
import { authSeamFor } from '../faults/hooks/http-auth.js';
import { httpSeamFor } from '../faults/hooks/http-streamable.js';
import { answeredAtDoor, parseJson, refused, refuseInvalid, refuseUnparseable, sendLookupError, sendReply } from '../http/answer.js';
import { AuthGate } from '../http/auth.js';
import { acceptsBatch, answerBatch, answerToNothingOwed, batchRejection } from '../http/batch.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { failRequest, MCP_PATH } from '../http/endpoint.js';
import { closeServer, extraHostsFor, listen } from '../http/listen.js';
import { sendEmpty, sendError, sendJson } from '../http/reply.js';
import { type SessionLookup, SessionTable } from '../http/sessions.js';
import { MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import type { Dispatcher, Send } from './dispatcher.js';
import { createDispatcher } from './dispatcher.js';
import { start as startLegacySse } from './legacy-sse.js';

const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set(LEGACY_REVISIONS);
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };
const dropNotification: Send = () => {};

interface Session {
  id: string;
  layer: MessageLayer;
  dispatcher: Dispatcher;
  /** the protocol version the initialize response carried (after faults) */
  revision?: string;
  /** this server has no GET stream */
  getOpen: false;
  openRequests(): Iterable<unknown>;
}

const NO_REQUESTS: Iterable<unknown> = [];

function wantsProgressStream(req: IncomingMessage, message: JsonRpcMessage): boolean {
  if (message.method !== 'tools/call') return false;
  const meta = (message.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
  return meta?.progressToken !== undefined && (req.headers.accept ?? '').includes('text/event-stream');
}

export async function start(opts: ServeOptions): Promise<RunningServer> {
  const faults = opts.faults;
  const seam = httpSeamFor(faults);
  const { sessionIds, checkProtocolVersion, legacySse } = seam.settings;
  const sessions = new SessionTable<Session>(faults);
  const auth = opts.auth ? new AuthGate(authSeamFor(faults), MCP_PATH) : undefined;
  const door = { port: 0, extraHosts: [] as string[], faults, auth, seam };

  /** An MCP-Protocol-Version that is present but not one this server speaks (absent is fine). */
  function badVersion(req: IncomingMessage): boolean {
    const version = req.headers['mcp-protocol-version'];
    return checkProtocolVersion && version !== undefined && !SUPPORTED_VERSIONS.has(version as string);
  }

  function sendBadVersion(req: IncomingMessage, res: ServerResponse): void {
    const version = String(req.headers['mcp-protocol-version']);
    sendError(res, 400, ErrorCode.InvalidRequest, `Bad Request: unsupported MCP-Protocol-Version: ${version}`);
  }

  function newSession(id: string, layer: MessageLayer, dispatcher: Dispatcher, revision: string | undefined): Session {
    return { id, layer, dispatcher, revision, getOpen: false, openRequests: () => NO_REQUESTS };
  }

  /**
   * A server without session ids (fault no-session-ids): a request without a session header is
   * served by one shared sessionless state, at the version its MCP-Protocol-Version names
   * (2025-03-26 when absent), as a server without sessions must.
   */
  const sessionless = sessionIds ? undefined : { layer: new MessageLayer(faults), dispatcher: createDispatcher() };
  function lookup(req: IncomingMessage): SessionLookup<Session> {
    const header = req.headers['mcp-session-id'] as string | undefined;
    if (header !== undefined || !sessionless) return sessions.lookup(header);
    const version = req.headers['mcp-protocol-version'];
    return {
      id: '',
      session: newSession('', sessionless.layer, sessionless.dispatcher, typeof version === 'string' ? version : '2025-03-26'),
    };
  }

  async function initialize(value: unknown, res: ServerResponse): Promise<void> {
    const layer = new MessageLayer(faults);
    const c = layer.classifyValue(value);
    if (c.kind !== 'message') return sendJson(res, 400, layer.outgoing(layer.rejection(c)!));
    const dispatcher = createDispatcher();
    const answer = layer.outgoing((await dispatcher.handle(c.message, dropNotification))!);
    const id = sessions.newId();
    const version = (answer.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    sessions.add(id, newSession(id, layer, dispatcher, typeof version === 'string' ? version : undefined));
    sendJson(res, 200, answer, sessionIds ? { 'mcp-session-id': id } : {});
  }

  async function streamProgress(session: Session, message: JsonRpcMessage, res: ServerResponse): Promise<void> {
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    const layer = session.layer;
    const send: Send = (n) => {
      if (!res.destroyed) res.write(`data: ${JSON.stringify(layer.outgoing(n))}\n\n`);
    };
    // A dropped connection does not cancel the call (SHTTP-SSE-05); the tools are bounded.
    const answer = await session.dispatcher.handle(message, send);
    if (res.destroyed) return;
    if (answer) res.end(`data: ${JSON.stringify(layer.outgoing(answer))}\n\n`);
    else res.end();
  }

  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers['content-type'];
    if (type !== undefined && !type.toLowerCase().startsWith('application/json')) {
      return sendError(res, 415, ErrorCode.InvalidRequest, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const parsed = parseJson(await readBody(req, DEFAULT_MAX_BODY));
    if (!parsed) return refuseUnparseable(req, res, seam);
    const value = parsed.value;
    if (auth?.forbids(req, res, value)) return;
    const header = req.headers['mcp-session-id'] as string | undefined;
    if (header === undefined && (value as JsonRpcMessage | null)?.method === 'initialize' && !Array.isArray(value)) {
      if (refused(res, seam.admit({ req, stage: 'initialize', message: value as JsonRpcMessage }))) return;
      return initialize(value, res);
    }
    const found = lookup(req);
    if ('status' in found) return sendLookupError(res, found);
    const session = found.session;
    if (badVersion(req)) return sendBadVersion(req, res);
    if (refused(res, seam.admit({ req, stage: 'post', message: value as JsonRpcMessage, session }))) return;
    if (Array.isArray(value)) return postBatch(session, value, req, res);
    const layer = session.layer;
    const c = layer.classifyValue(value);
    if (c.kind !== 'message') return refuseInvalid(req, res, seam, value, layer.outgoing(layer.rejection(c)!));
    const message = c.message;
    if (typeof message.method !== 'string') return sendEmpty(res, 202); // a response: no server requests are pending
    if (!('id' in message)) {
      if (!layer.swallow(message)) await session.dispatcher.handle(message, dropNotification);
      const bogus = layer.answerToNotification(message);
      if (bogus) return sendJson(res, 200, layer.outgoing(bogus));
      return sendReply(res, seam, 202, undefined, { req, occasion: 'accepted', request: message });
    }
    if (wantsProgressStream(req, message)) return streamProgress(session, message, res);
    const answer = await session.dispatcher.handle(message, dropNotification);
    if (answer) return sendReply(res, seam, 200, layer.outgoing(answer), { req, occasion: 'answer', request: message });
    // Cancelled: no response is owed, but the POST must end; an SSE stream that closes without
    // a message is the one answer that carries nothing.
    sendEmpty(res, 200, { 'content-type': 'text/event-stream' });
  }

  async function postBatch(session: Session, items: unknown[], req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!acceptsBatch(session.revision, session.layer)) return sendJson(res, 400, batchRejection(session.revision));
    const { layer, dispatcher } = session;
    const answer = await answerBatch(items, layer, async (m) => {
      const reply = await dispatcher.handle(m, dropNotification);
      return reply ?? (typeof m.method === 'string' ? layer.answerToNotification(m) : undefined);
    });
    if (answer === undefined) {
      const owed = answerToNothingOwed(layer);
      if (owed) return sendJson(res, 200, owed);
      return sendReply(res, seam, 202, undefined, { req, occasion: 'accepted', request: items });
    }
    sendJson(res, Array.isArray(answer) ? 200 : 400, answer);
  }

  function get(req: IncomingMessage, res: ServerResponse): void {
    const found = lookup(req);
    if ('status' in found) sendLookupError(res, found);
    else if (badVersion(req)) sendBadVersion(req, res);
    else if (!refused(res, seam.admit({ req, stage: 'get', session: found.session }))) {
      sendError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed: this server offers no GET stream', null, {
        allow: 'POST, DELETE',
      });
    }
  }

  function del(req: IncomingMessage, res: ServerResponse): void {
    const found = sessions.lookup(req.headers['mcp-session-id'] as string | undefined);
    if ('status' in found) sendLookupError(res, found);
    else if (badVersion(req)) sendBadVersion(req, res);
    else if (!refused(res, seam.admit({ req, stage: 'delete', session: found.session }))) {
      sessions.terminate(found.id);
      sendEmpty(res, 204);
    }
  }

  function route(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    if (answeredAtDoor(req, res, door)) return;
    switch (req.method) {
      case 'POST':
        return post(req, res);
      case 'GET':
        return get(req, res);
      case 'DELETE':
        return del(req, res);
      default:
        return sendError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed', null, { allow: 'POST, DELETE' });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await route(req, res);
    } catch (err) {
      failRequest(res, err);
    }
  }

  const http = createServer(handle);
  const bound = await listen(http, opts.host, opts.port);
  door.port = bound.port;
  door.extraHosts = extraHostsFor(bound.host);
  const tokens = auth?.listening(bound.origin);
  // Old clients are served too: the 2024-11-05 HTTP+SSE endpoints, beside this one, on a port of
  // their own (COMPAT-SRV-01). Without them (fault legacy-sse-dropped) the old URL is a 404 here.
  const legacy = auth || !legacySse ? undefined : await startLegacySse({ faults: new Set(), host: opts.host ?? '127.0.0.1', port: 0 });
  const legacySseUrl = auth ? undefined : (legacy?.url ?? `${bound.origin}/sse`);
  return {
    url: `${bound.origin}${MCP_PATH}`,
    ...(tokens ? { tokens } : {}),
    ...(legacySseUrl ? { legacySseUrl } : {}),
    async close() {
      sessions.clear();
      await Promise.all([closeServer(http), legacy?.close()]);
    },
  };
}
