/**
 * Streamable HTTP (2025 stateful shape) on the official v1 SDK: one transport and one low-level
 * `Server` per session, JSON or SSE responses, configured to conform.
 *
 * It uses `WebStandardStreamableHTTPServerTransport`, the class that `StreamableHTTPServerTransport`
 * wraps: the node class is only a Hono request-listener bridge around it, with identical protocol
 * behaviour. Driving the web class through our own bridge (http/web-bridge.ts) lets this server
 * inspect and rewrite the SDK's answers as Response objects instead of patching ServerResponse.
 *
 * Where the SDK's defaults break the spec, this server fixes them in front of the SDK (each fix is
 * marked FIX below):
 * - Origin/Host are not validated (the SDK's DNS-rebinding check is opt-in, and its Origin list
 *   is exact strings): http/guard.ts, 403.
 * - A second concurrent GET stream is answered 409; the spec allows only SSE or 405.
 * - A JSON array body is accepted whatever version the session negotiated; batches exist only
 *   in 2025-03-26.
 * - Invalid request objects ("jsonrpc":"1.0", a non-string method, an object or null id) are
 *   answered -32700 instead of -32600; an empty batch is answered 202 instead of -32600; one bad
 *   element fails a whole batch with -32700 instead of getting its own error.
 * - The GET stream starts with no priming event at 2025-11-25, so a client whose GET connection
 *   the server ends (polling) has no retry interval and no event id to resume from.
 * - Session routing is left to the application (the SDK's examples answer 400 to an unknown
 *   session id; the spec wants 404): http/sessions.ts.
 * Defects hook in at the HTTP seams (http/seams.ts, faults/hooks/http-streamable.ts): admission,
 * the headers the SDK is shown, outbound routing to the session's streams, the reply and its SSE
 * stream; the message layer and the session and event stores have seams of their own.
 * What the SDK already gets right and is left alone: notification POST → 202 empty, request
 * after DELETE → 404, unsupported or invalid MCP-Protocol-Version → 400 (absent → accepted),
 * GET → SSE, unparseable JSON → 400/-32700 (answered here anyway, before the session lookup).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { authSeamFor } from '../faults/hooks/http-auth.js';
import { httpSeamFor } from '../faults/hooks/http-streamable.js';
import { answeredAtDoor, parseJson, refused, refuseInvalid, refuseUnparseable, replyThrough, sendLookupError } from '../http/answer.js';
import { AuthGate } from '../http/auth.js';
import { acceptsBatch, batchRejection, answerToNothingOwed, emptyBatchAnswer, splitBatch } from '../http/batch.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { type Endpoint, MCP_PATH, serveEndpoint } from '../http/endpoint.js';
import { BoundedEventStore } from '../http/event-store.js';
import { extraHostsFor } from '../http/listen.js';
import { sendEmpty, sendError, sendJson } from '../http/reply.js';
import { prependToStream, rewriteWebResponse } from '../http/rewrite.js';
import type { HttpSessionView } from '../http/seams.js';
import { SessionTable } from '../http/sessions.js';
import { exchangeController, GET_STREAM_ID, settleOrAbort, toWebRequest, writeWebResponse } from '../http/web-bridge.js';
import { MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createToolServer } from './v1-tool-server.js';

interface Session extends HttpSessionView {
  /** empty until the SDK has minted the id while answering initialize */
  id: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  layer: MessageLayer;
  /** the protocol version initialize negotiated (as sent, after faults) */
  revision?: string;
  /** open request exchanges by JSON-RPC id, so that notifications/cancelled can end them */
  exchanges: Map<unknown, AbortController>;
  /** a standalone GET stream is open */
  getOpen: boolean;
  /** the session's event store (SSE responses only): the GET stream's priming event id comes from it */
  store?: BoundedEventStore;
}

type Override = Record<string, string | undefined>;

function isInitialize(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (value as JsonRpcMessage).method === 'initialize';
}

export function start(opts: ServeOptions, responses: 'json' | 'sse'): Promise<RunningServer> {
  return serveEndpoint(createStatefulEndpoint(opts, responses), opts.host, opts.port);
}

/** The 2025 stateful endpoint as a handler (http/endpoint.ts). `endSessions` forgets every open session. */
export function createStatefulEndpoint(opts: ServeOptions, responses: 'json' | 'sse'): Endpoint & { endSessions(): Promise<void> } {
  const faults = opts.faults;
  const seam = httpSeamFor(faults);
  const { retryMs } = seam.settings;
  // The transport routes responses by id, so an outgoing rewrite that changes ids (or makes a
  // message unroutable) acts on the bytes it writes; the rest act on the objects in transport.send.
  const wire = seam.afterRouting.size > 0 ? new MessageLayer(seam.afterRouting) : undefined;
  const wireRewrite = wire ? (m: JsonRpcMessage) => wire.outgoing(m) : undefined;
  const layerFaults = new Set([...faults].filter((f) => !seam.afterRouting.has(f)));
  const sessions = new SessionTable<Session>(faults, (s) => void s.transport.close());
  const auth = opts.auth ? new AuthGate(authSeamFor(faults), MCP_PATH) : undefined;
  const door = { port: 0, extraHosts: [] as string[], faults, auth, seam };
  let origin = '';

  async function createSession(layer: MessageLayer, initializeId: unknown): Promise<Session> {
    const store = responses === 'sse' ? new BoundedEventStore(faults) : undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessions.newId(),
      enableJsonResponse: responses === 'json',
      // FIX (resumability): without an event store the SDK puts no ids on SSE events, ignores
      // Last-Event-ID, sends no 2025-11-25 priming event and offers handlers no polling close;
      // the retry interval puts the `retry:` field the spec asks for before such a close.
      ...(store ? { eventStore: store, ...(retryMs === undefined ? {} : { retryInterval: retryMs }) } : {}),
      onsessioninitialized: (id) => {
        session.id = id;
        sessions.add(id, session);
      },
      onsessionclosed: (id) => {
        sessions.terminate(id);
      },
    });
    const session: Session = {
      id: '',
      transport,
      server: createToolServer({ clientRequests: responses === 'sse' }),
      layer,
      exchanges: new Map(),
      getOpen: false,
      openRequests: () => session.exchanges.keys(),
    };
    if (store) session.store = store;
    await session.server.connect(transport);
    const send = transport.send.bind(transport);
    const routing = {
      session,
      send: (m: JsonRpcMessage, relatedRequestId?: string | number) =>
        send(m as JSONRPCMessage, relatedRequestId === undefined ? undefined : { relatedRequestId }),
      closeRequestStream: (id: string | number) => transport.closeSSEStream(id),
    };
    transport.send = async (message, options) => {
      const out = layer.outgoing(message as JsonRpcMessage);
      if (out.id === initializeId && initializeId !== undefined && 'result' in out) {
        const version = (out.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') session.revision = version;
      }
      const related = options?.relatedRequestId;
      if (await seam.outbound(out, related === undefined ? routing : { ...routing, relatedRequestId: related })) return;
      return send(out as JSONRPCMessage, options);
    };
    return session;
  }

  /**
   * Hand a request to the session's SDK transport; resolves with its answer (on the wire
   * layer), or with an empty SSE stream when `exchange` is aborted first: after
   * notifications/cancelled the SDK sends no response, and in JSON mode it would never settle
   * the POST at all.
   */
  async function handOver(session: Session, req: IncomingMessage, exchange: AbortController, parsedBody: unknown): Promise<Response> {
    const request = toWebRequest(req, origin, { override: sdkHeaders(session, req), signal: exchange.signal });
    const work = session.transport.handleRequest(request, parsedBody === undefined ? {} : { parsedBody });
    const response = await settleOrAbort(work, exchange.signal, emptyStream);
    return wireRewrite ? rewriteWebResponse(response, wireRewrite) : response;
  }

  /** Track a request's exchange under its id until the HTTP response is over. */
  function track(session: Session, id: unknown, exchange: AbortController, res: ServerResponse): void {
    session.exchanges.set(id, exchange);
    res.once('close', () => {
      if (!res.writableFinished) seam.abandoned(id, session, (m) => session.transport.onmessage?.(m as JSONRPCMessage));
      if (session.exchanges.get(id) === exchange) session.exchanges.delete(id);
    });
  }

  /** The request headers the SDK is shown. */
  function sdkHeaders(session: Session, req: IncomingMessage): Override {
    const override: Override = {};
    if (!session.id) return override;
    // The table lent us a session for a request that named none (fault missing-session-accepted): tell the SDK it was named.
    if (req.headers['mcp-session-id'] === undefined) override['mcp-session-id'] = session.id;
    seam.sdkHeaders(override, { req, session });
    return override;
  }

  async function post(req: IncomingMessage, res: ServerResponse, body: string | undefined): Promise<void> {
    const parsed = parseJson(body ?? (await readBody(req, DEFAULT_MAX_BODY)));
    if (!parsed) return refuseUnparseable(req, res, seam);
    const value = parsed.value;
    if (auth?.forbids(req, res, value)) return;
    const header = req.headers['mcp-session-id'] as string | undefined;
    let session: Session;
    let message: JsonRpcMessage | undefined;
    if (header === undefined && isInitialize(value)) {
      if (refused(res, seam.admit({ req, stage: 'initialize', message: value as JsonRpcMessage }))) return;
      const layer = new MessageLayer(layerFaults);
      const c = layer.classifyValue(value);
      if (c.kind !== 'message') return sendJson(res, 400, finish(layer, layer.rejection(c)!));
      message = c.message;
      session = await createSession(layer, message.id);
    } else {
      const found = sessions.lookup(header);
      if ('status' in found) return sendLookupError(res, found);
      session = found.session;
      if (refused(res, seam.admit({ req, stage: 'post', message: value as JsonRpcMessage, session }))) return;
    }
    if (Array.isArray(value)) return postBatch(session, value, req, res);
    if (!message) {
      // FIX: the SDK answers invalid request objects -32700; JSON-RPC wants -32600, id echoed.
      const c = session.layer.classifyValue(value);
      if (c.kind !== 'message') return refuseInvalid(req, res, seam, value, finish(session.layer, session.layer.rejection(c)!));
      message = c.message;
    }
    if (session.layer.swallow(message)) return sendEmpty(res, 202);
    const exchange = exchangeController(res);
    if ('id' in message && typeof message.method === 'string') {
      track(session, message.id, exchange, res);
      seam.received(message, session);
    }
    const response = await handOver(session, req, exchange, message);
    if (message.method === 'notifications/cancelled') {
      // The SDK has aborted the handler; end the cancelled request's own POST as well.
      session.exchanges.get((message.params as { requestId?: unknown } | undefined)?.requestId)?.abort();
    }
    const accepted = response.status === 202 && !('id' in message);
    if (accepted) {
      const answer = session.layer.answerToNotification(message);
      if (answer) return sendJson(res, 200, finish(session.layer, answer));
    }
    const replied = await replyThrough(response, seam, { req, occasion: accepted ? 'accepted' : 'answer', request: message });
    return writeWebResponse(res, seam.stream(replied, { kind: 'request', session }), exchange.signal);
  }

  /** Run a rejection through the outgoing layers, both (it never went through send). */
  function finish(layer: MessageLayer, message: JsonRpcMessage): JsonRpcMessage {
    const out = layer.outgoing(message);
    return wireRewrite ? wireRewrite(out) : out;
  }

  async function postBatch(session: Session, items: unknown[], req: IncomingMessage, res: ServerResponse): Promise<void> {
    // FIX: the SDK takes an array on any session; batching exists only in 2025-03-26.
    if (!acceptsBatch(session.revision, session.layer)) return sendJson(res, 400, batchRejection(session.revision));
    // FIX: the SDK answers an empty batch 202 and fails a whole batch with -32700 for one bad
    // element; JSON-RPC gives the empty batch one -32600 and each bad element its own error.
    const { valid, errors } = splitBatch(items, session.layer);
    const rejected = errors.map((e) => finish(session.layer, e));
    if (items.length === 0) return sendJson(res, 400, emptyBatchAnswer(rejected[0]!, session.layer));
    if (valid.length === 0) return sendJson(res, 400, rejected);
    const response = await handOver(session, req, exchangeController(res), valid);
    if (response.status === 202 && rejected.length === 0) {
      const answer = answerToNothingOwed(session.layer);
      if (answer) return sendJson(res, 200, answer);
      return writeWebResponse(res, await replyThrough(response, seam, { req, occasion: 'accepted', request: items }));
    }
    if (rejected.length === 0) return writeWebResponse(res, response);
    if (response.status === 202) return sendJson(res, 200, rejected);
    if (!response.ok) return writeWebResponse(res, response);
    return writeWebResponse(res, await appendToBatch(response, rejected));
  }

  async function get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const found = sessions.lookup(req.headers['mcp-session-id'] as string | undefined);
    if ('status' in found) return sendLookupError(res, found);
    const session = found.session;
    if (refused(res, seam.admit({ req, stage: 'get', session }))) return;
    // FIX: the SDK answers a second concurrent GET with 409; the spec allows only SSE or 405.
    // The newer stream wins: the old one is ended and the new one served. A resume (Last-Event-ID)
    // replays another stream and leaves the GET stream alone.
    const resuming = req.headers['last-event-id'] !== undefined;
    if (!resuming) session.transport.closeStandaloneSSEStream();
    const exchange = exchangeController(res);
    let response = await handOver(session, req, exchange, undefined);
    if (!resuming && response.status === 200) {
      if (session.store && session.revision !== undefined && session.revision >= '2025-11-25')
        response = await primeGetStream(session.store, response, retryMs);
      session.getOpen = true;
      res.once('close', () => {
        session.getOpen = false;
      });
      response = seam.stream(response, { kind: 'get', session });
    }
    return writeWebResponse(res, response, exchange.signal);
  }

  async function del(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const found = sessions.lookup(req.headers['mcp-session-id'] as string | undefined);
    if ('status' in found) return sendLookupError(res, found);
    if (refused(res, seam.admit({ req, stage: 'delete', session: found.session }))) return;
    return writeWebResponse(res, await handOver(found.session, req, exchangeController(res), undefined));
  }

  async function route(req: IncomingMessage, res: ServerResponse, body?: string): Promise<void> {
    // FIX: the SDK does not validate Origin unless told to (and then only against exact strings).
    if (answeredAtDoor(req, res, door)) return;
    switch (req.method) {
      case 'POST':
        return post(req, res, body);
      case 'GET':
        return get(req, res);
      case 'DELETE':
        return del(req, res);
      default:
        return sendError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed', null, { allow: 'GET, POST, DELETE' });
    }
  }

  async function endSessions(): Promise<void> {
    const open = [...sessions.values()];
    sessions.clear();
    await Promise.allSettled(open.map((s) => s.transport.close()));
  }

  return {
    handle: route,
    endSessions,
    listening(bound) {
      door.port = bound.port;
      door.extraHosts = extraHostsFor(bound.host);
      origin = bound.origin;
      const tokens = auth?.listening(bound.origin);
      return tokens ? { origin, tokens } : { origin };
    },
    close: endSessions,
  };
}

/**
 * FIX (2025-11-25 polling on GET): the SDK writes no priming event on the GET stream, so a client
 * whose GET connection the server ends (closeStandaloneSSEStream) has neither a retry interval nor
 * an event id to resume from. Prepend one, stored under the GET stream's id so that Last-Event-ID
 * resumes it; the retry field follows the server's retry setting (fault no-retry: none).
 */
async function primeGetStream(store: BoundedEventStore, response: Response, retryMs: number | undefined): Promise<Response> {
  if (!response.body) return response;
  const id = await store.storeEvent(GET_STREAM_ID, {} as JSONRPCMessage);
  const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
  return prependToStream(response, `id: ${id}\n${retry}data: \n\n`);
}

/** An SSE stream with no events: the end of a request exchange that owes no response. */
function emptyStream(): Response {
  return new Response(null, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

/** Add per-element errors to the SDK's answer to the valid part of a batch. */
async function appendToBatch(response: Response, errors: JsonRpcMessage[]): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if ((headers.get('content-type') ?? '').startsWith('application/json')) {
    const answers = JSON.parse(await response.text()) as unknown;
    const merged = [...(Array.isArray(answers) ? answers : [answers]), ...errors];
    return new Response(JSON.stringify(merged), { status: response.status, headers });
  }
  // SSE: the errors go out first, as events of their own, then the SDK's stream.
  return prependToStream(response, errors.map((e) => `event: message\ndata: ${JSON.stringify(e)}\n\n`).join(''), headers);
}
