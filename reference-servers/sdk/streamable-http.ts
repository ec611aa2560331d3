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
import { AuthGate } from '../http/auth.js';
import { acceptsBatch, batchRejection, splitBatch } from '../http/batch.js';
import { DEFAULT_MAX_BODY, readBody } from '../http/body.js';
import { type Endpoint, MCP_PATH, serveEndpoint } from '../http/endpoint.js';
import { BoundedEventStore } from '../http/event-store.js';
import { checkOriginAndHost, guardRejectionBody } from '../http/guard.js';
import { extraHostsFor } from '../http/listen.js';
import { pathOf, sendEmpty, sendError, sendJson, sendJsonText } from '../http/reply.js';
import { rewriteWebResponse } from '../http/rewrite.js';
import { SessionTable } from '../http/sessions.js';
import { initializeRefusedWithoutVersion, refusedWithoutVersion } from '../http/version-faults.js';
import { rewriteSse } from '../http/sse-faults.js';
import { exchangeController, settleOrAbort, toWebRequest, writeWebResponse } from '../http/web-bridge.js';
import { MESSAGE_RULE_BYTE_FAULTS, MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createToolServer } from './v1-tool-server.js';

/** the `retry:` (ms) a client is told to wait before resuming a stream the server closed */
const POLL_RETRY_MS = 500;
/** faults close-before-response and sse-never-closes: a call slower than this loses its response; a stream stays open this long */
const SLOW_CALL_MS = 250;

/** How long a call to a fixture tool asks to run: slow's `ms`, progress's steps × intervalMs. */
function requestedWorkMs(message: JsonRpcMessage): number {
  const params = message.params as { name?: unknown; arguments?: Record<string, unknown> } | undefined;
  const args = params?.arguments ?? {};
  if (params?.name === 'slow') return Number(args.ms ?? 2000);
  if (params?.name === 'progress') return Number(args.steps ?? 5) * Number(args.intervalMs ?? 20);
  return 0;
}
const HOLD_OPEN_MS = 10_000;
/** the code the SDK itself uses for an unknown session (an implementation-defined server error) */
const SESSION_NOT_FOUND = -32001;

interface Session {
  /** empty until the SDK has minted the id while answering initialize */
  id: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  layer: MessageLayer;
  /** the protocol version initialize negotiated (as sent, after faults) */
  revision?: string;
  /** open request exchanges by JSON-RPC id, so that notifications/cancelled can end them */
  exchanges: Map<unknown, AbortController>;
  /** a standalone GET stream is open (fault second-get-409) */
  getOpen?: boolean;
  /** writes raw SSE text into the open GET stream (fault response-on-get-stream) */
  injectGet?: (text: string) => void;
  /** the session's event store (SSE responses only): the GET stream's priming event id comes from it */
  store?: BoundedEventStore;
  /** the tools/calls whose response is lost (fault close-before-response) */
  started?: Map<unknown, number>;
  /** open tools/call ids (fault unrelated-on-request-stream) */
  calls?: Set<unknown>;
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
  // id-type-coerce must act after the transport has routed the response by its id, so it runs at
  // the byte layer; every other outgoing fault runs on the message objects in transport.send.
  // So must the faults that make a response invalid: the SDK would no longer route it at all.
  const byteFaults = (['id-type-coerce', ...MESSAGE_RULE_BYTE_FAULTS] as const).filter((f) => faults.has(f));
  const coerceIds = byteFaults.length > 0;
  const coercer = new MessageLayer(new Set(byteFaults));
  const coerce = (m: JsonRpcMessage) => coercer.outgoing(m);
  const layerFaults = new Set([...faults].filter((f) => !byteFaults.includes(f)));
  const sessions = new SessionTable<Session>(faults, (s) => void s.transport.close());
  const auth = opts.auth ? new AuthGate(faults, MCP_PATH) : undefined;
  let port = 0;
  let origin = '';
  let extraHosts: string[] = [];

  async function createSession(layer: MessageLayer, initializeId: unknown): Promise<Session> {
    const store = responses === 'sse' ? new BoundedEventStore(faults) : undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessions.newId(),
      enableJsonResponse: responses === 'json',
      // FIX (resumability): without an event store the SDK puts no ids on SSE events, ignores
      // Last-Event-ID, sends no 2025-11-25 priming event and offers handlers no polling close;
      // the retry interval puts the `retry:` field the spec asks for before such a close.
      ...(store ? { eventStore: store, ...(faults.has('no-retry') ? {} : { retryInterval: POLL_RETRY_MS }) } : {}),
      onsessioninitialized: (id) => {
        session.id = id;
        sessions.add(id, session);
      },
      onsessionclosed: (id) => {
        sessions.terminate(id);
      },
    });
    const session: Session = { id: '', transport, server: createToolServer({ clientRequests: responses === 'sse' }), layer, exchanges: new Map() };
    if (store) session.store = store;
    if (faults.has('close-before-response')) session.started = new Map();
    if (faults.has('unrelated-on-request-stream')) session.calls = new Set();
    await session.server.connect(transport);
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      const out = layer.outgoing(message as JsonRpcMessage);
      if (!('id' in out)) {
        // Fault progress-on-get-stream: while a GET stream is open, a call's progress goes there, as if it belonged to no request.
        if (faults.has('progress-on-get-stream') && out.method === 'notifications/progress' && session.getOpen) return send(out as JSONRPCMessage);
        // Fault broadcast-notifications: a notification that belongs to no request is also written to every open request stream.
        if (faults.has('broadcast-notifications') && options?.relatedRequestId === undefined) {
          for (const id of session.exchanges.keys()) await send(out as JSONRPCMessage, { relatedRequestId: id as string | number });
        }
      }
      if (out.id === initializeId && initializeId !== undefined && 'result' in out) {
        const version = (out.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') session.revision = version;
      }
      if ('result' in out || 'error' in out) {
        // Fault close-before-response: a slow call's stream is ended and its response lost.
        if (session.started?.has(out.id)) {
          transport.closeSSEStream(out.id as string | number);
          return Promise.resolve();
        }
        // Fault unrelated-on-request-stream: a session-wide notification rides the stream of whatever call is answered.
        if (faults.has('unrelated-on-request-stream') && session.calls?.delete(out.id)) {
          return send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }, { relatedRequestId: out.id as string | number }).then(() =>
            send(out as JSONRPCMessage, options),
          );
        }
        // Fault response-on-get-stream: responses are copied onto the open GET stream.
        if (faults.has('response-on-get-stream')) session.injectGet?.(`event: message\ndata: ${JSON.stringify(out)}\n\n`);
      }
      return send(out as JSONRPCMessage, options);
    };
    return session;
  }

  /**
   * Hand a request to the session's SDK transport; resolves with its (possibly rewritten) answer,
   * or with an empty SSE stream when `exchange` is aborted first: after notifications/cancelled
   * the SDK sends no response, and in JSON mode it would never settle the POST at all.
   */
  async function handOver(
    session: Session,
    req: IncomingMessage,
    exchange: AbortController,
    parsedBody: unknown,
    override: Override,
  ): Promise<Response> {
    const request = toWebRequest(req, origin, { override, signal: exchange.signal });
    const work = session.transport.handleRequest(request, parsedBody === undefined ? {} : { parsedBody });
    const response = await settleOrAbort(work, exchange.signal, emptyStream);
    return coerceIds ? rewriteWebResponse(response, coerce) : response;
  }

  /** Track a request's exchange under its id until the HTTP response is over. */
  function track(session: Session, id: unknown, exchange: AbortController, res: ServerResponse): void {
    session.exchanges.set(id, exchange);
    res.once('close', () => {
      // Fault disconnect-cancels: a client that drops the stream is taken to have cancelled.
      if (faults.has('disconnect-cancels') && !res.writableFinished) {
        session.transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id as string | number } });
      }
      if (session.exchanges.get(id) === exchange) session.exchanges.delete(id);
    });
  }

  /** Headers to change before the SDK sees a request, for the HTTP-level faults. */
  function overrideFor(id: string, req: IncomingMessage): Override {
    const override: Override = {};
    // Fault missing-session-accepted: the table lent us a session; tell the SDK it was named.
    if (req.headers['mcp-session-id'] === undefined) override['mcp-session-id'] = id;
    // Fault accept-ignored: Accept goes unchecked (the SDK would answer 406), so a client that accepts only JSON may get SSE.
    if (faults.has('accept-ignored') && req.method === 'POST') override['accept'] = 'application/json, text/event-stream';
    // Fault accept-any-protocol-version: the SDK would reject it, so it never sees the header.
    // The negotiated version stands in for it (not removal), so the SDK still sees 2025-11-25 and primes its streams.
    if (faults.has('accept-any-protocol-version')) {
      const found = sessions.lookup(id);
      override['mcp-protocol-version'] = 'session' in found ? found.session.revision : undefined;
    }
    return override;
  }

  async function post(req: IncomingMessage, res: ServerResponse, body: string | undefined): Promise<void> {
    const text = body ?? (await readBody(req, DEFAULT_MAX_BODY));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Fault bad-body-200: the error body stays, the status says all is well.
      return sendError(res, faults.has('bad-body-200') ? 200 : 400, ErrorCode.ParseError, 'Parse error: invalid JSON');
    }
    if (auth?.forbids(req, res, value)) return;
    const header = req.headers['mcp-session-id'] as string | undefined;
    let session: Session;
    let message: JsonRpcMessage | undefined;
    if (header === undefined && isInitialize(value)) {
      if (initializeRefusedWithoutVersion(faults, req, res, value)) return;
      const layer = new MessageLayer(layerFaults);
      const c = layer.classifyValue(value);
      if (c.kind !== 'message') return sendJson(res, 400, finish(layer, layer.rejection(c)!));
      message = c.message;
      session = await createSession(layer, message.id);
    } else {
      const found = sessions.lookup(header);
      if ('status' in found) return sendLookupError(res, found);
      session = found.session;
      if (refusedWithoutVersion(faults, req, res)) return;
    }
    const override = session.id ? overrideFor(session.id, req) : {};
    if (Array.isArray(value)) return postBatch(session, value, req, res, override);
    if (!message) {
      // FIX: the SDK answers invalid request objects -32700; JSON-RPC wants -32600, id echoed.
      const c = session.layer.classifyValue(value);
      // Fault notification-error-200: a rejected notification (no id) gets its error with 200.
      const status = faults.has('notification-error-200') && !(value && typeof value === 'object' && 'id' in value) ? 200 : 400;
      if (c.kind !== 'message') return sendJson(res, status, finish(session.layer, session.layer.rejection(c)!));
      message = c.message;
    }
    // Fault cancel-ignored: the cancellation is acknowledged and never reaches the SDK.
    if (session.layer.swallow(message)) return sendEmpty(res, 202);
    const exchange = exchangeController(res);
    if ('id' in message && typeof message.method === 'string') track(session, message.id, exchange, res);
    // Fault close-before-response: decided by the work the call asks for, not by how long it
    // took, so a loaded machine cannot push other checks' calls over the line.
    if (message.method === 'tools/call' && requestedWorkMs(message) >= SLOW_CALL_MS) session.started?.set(message.id, 0);
    if (message.method === 'tools/call') session.calls?.add(message.id);
    let response = await handOver(session, req, exchange, message, override);
    if (message.method !== 'initialize') response = await jsonFaults(response);
    if (faults.has('no-priming-event') || faults.has('sse-never-closes')) {
      response = rewriteSse(response, { dropPriming: faults.has('no-priming-event'), holdOpenMs: faults.has('sse-never-closes') ? HOLD_OPEN_MS : 0 });
    }
    if (message.method === 'notifications/cancelled') {
      // The SDK has aborted the handler; end the cancelled request's own POST as well.
      session.exchanges.get((message.params as { requestId?: unknown } | undefined)?.requestId)?.abort();
    }
    if (response.status === 202 && !('id' in message)) {
      const answer = session.layer.answerToNotification(message);
      if (answer) return sendJson(res, 200, finish(session.layer, answer));
      if (faults.has('notification-200')) return sendEmpty(res, 200);
    }
    return writeWebResponse(res, response, exchange.signal);
  }

  /** Faults json-array-response and error-status-400, on a JSON answer to one request. */
  async function jsonFaults(response: Response): Promise<Response> {
    const arrays = faults.has('json-array-response');
    if (!arrays && !faults.has('error-status-400')) return response;
    if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return response;
    const body = JSON.parse(await response.text()) as unknown;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    const isError = !!body && typeof body === 'object' && 'error' in body;
    const status = !arrays && isError ? 400 : response.status;
    return new Response(JSON.stringify(arrays ? [body] : body), { status, headers });
  }

  /** Run a rejection through the outgoing faults, both layers (it never went through send). */
  function finish(layer: MessageLayer, message: JsonRpcMessage): JsonRpcMessage {
    const out = layer.outgoing(message);
    return coerceIds ? coerce(out) : out;
  }

  async function postBatch(session: Session, items: unknown[], req: IncomingMessage, res: ServerResponse, override: Override): Promise<void> {
    // FIX: the SDK takes an array on any session; batching exists only in 2025-03-26.
    if (!acceptsBatch(session.revision, session.layer)) return sendJson(res, 400, batchRejection(session.revision));
    // FIX: the SDK answers an empty batch 202 and fails a whole batch with -32700 for one bad
    // element; JSON-RPC gives the empty batch one -32600 and each bad element its own error.
    const { valid, errors } = splitBatch(items, session.layer);
    const rejected = errors.map((e) => finish(session.layer, e));
    if (items.length === 0) return sendJson(res, 400, session.layer.has('empty-batch-array') ? rejected : rejected[0]!);
    if (valid.length === 0) return sendJson(res, 400, rejected);
    const response = await handOver(session, req, exchangeController(res), valid, override);
    if (response.status === 202 && rejected.length === 0) {
      if (session.layer.has('batch-notifications-answered')) return sendJson(res, 200, []);
      if (session.layer.has('batch-notifications-200')) return sendEmpty(res, 200);
    }
    if (rejected.length === 0) return writeWebResponse(res, response);
    if (response.status === 202) return sendJson(res, 200, rejected);
    if (!response.ok) return writeWebResponse(res, response);
    return writeWebResponse(res, await appendToBatch(response, rejected));
  }

  async function get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (faults.has('get-404')) return sendError(res, 404, ErrorCode.InvalidRequest, 'Not found: GET is not routed');
    const found = sessions.lookup(req.headers['mcp-session-id'] as string | undefined);
    if ('status' in found) return sendLookupError(res, found);
    // a resume (Last-Event-ID) is not the GET stream the fault refuses
    if (faults.has('get-409') && req.headers['last-event-id'] === undefined) return sendError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    const session = found.session;
    const resuming = req.headers['last-event-id'] !== undefined;
    // Fault get-resume-refused: the GET stream's own event ids are not accepted back.
    if (faults.has('get-resume-refused') && String(req.headers['last-event-id'] ?? '').startsWith(`${GET_STREAM_ID}.`)) {
      return sendError(res, 400, -32000, 'Bad Request: unknown Last-Event-ID');
    }
    // Fault second-get-409: the SDK's own answer to a second concurrent GET stream.
    if (faults.has('second-get-409') && session.getOpen && !resuming) {
      return sendError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    }
    // FIX: the SDK answers a second concurrent GET with 409; the spec allows only SSE or 405.
    // The newer stream wins: the old one is ended and the new one served. A resume (Last-Event-ID)
    // replays another stream and leaves the GET stream alone.
    if (!resuming) session.transport.closeStandaloneSSEStream();
    const exchange = exchangeController(res);
    let response = await handOver(session, req, exchange, undefined, overrideFor(found.id, req));
    if (!resuming && response.status === 200) {
      if (session.store && session.revision !== undefined && session.revision >= '2025-11-25') response = await primeGetStream(session.store, response, faults.has('no-retry') ? undefined : POLL_RETRY_MS);
      session.getOpen = true;
      res.once('close', () => {
        session.getOpen = false;
      });
      if (faults.has('response-on-get-stream')) response = rewriteSse(response, { onInjector: (write) => (session.injectGet = write) });
    }
    return writeWebResponse(res, response, exchange.signal);
  }

  async function del(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const found = sessions.lookup(req.headers['mcp-session-id'] as string | undefined);
    if ('status' in found) return sendLookupError(res, found);
    if (faults.has('delete-keeps-session')) return sendEmpty(res, 200);
    if (faults.has('delete-500')) return sendError(res, 500, ErrorCode.InternalError, 'Internal error: the session could not be terminated');
    return writeWebResponse(res, await handOver(found.session, req, exchangeController(res), undefined, overrideFor(found.id, req)));
  }

  async function route(req: IncomingMessage, res: ServerResponse, body?: string): Promise<void> {
    // FIX: the SDK does not validate Origin unless told to (and then only against exact strings).
    const rejected = checkOriginAndHost(req, port, faults, extraHosts);
    if (rejected) return sendJsonText(res, rejected.status, guardRejectionBody(rejected));
    if (auth?.intercept(req, res)) return;
    if (pathOf(req.url) !== MCP_PATH) return sendError(res, 404, ErrorCode.InvalidRequest, 'Not found: the MCP endpoint is /mcp');
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
      port = bound.port;
      origin = bound.origin;
      extraHosts = extraHostsFor(bound.host);
      const tokens = auth?.listening(bound.origin);
      return tokens ? { origin, tokens } : { origin };
    },
    close: endSessions,
  };
}

/** the SDK's internal stream id of the standalone GET stream, under which its events are stored */
const GET_STREAM_ID = '_GET_stream';

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
  const prefix = new TextEncoder().encode(`id: ${id}\n${retry}data: \n\n`);
  const withPrefix = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(prefix);
    },
  });
  return new Response(response.body.pipeThrough(withPrefix), { status: response.status, headers: response.headers });
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
  const prefix = new TextEncoder().encode(errors.map((e) => `event: message\ndata: ${JSON.stringify(e)}\n\n`).join(''));
  const withPrefix = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(prefix);
    },
  });
  return new Response(response.body!.pipeThrough(withPrefix), { status: response.status, headers });
}

function sendLookupError(res: ServerResponse, found: { status: 400 | 404; message: string }): void {
  sendError(res, found.status, found.status === 404 ? SESSION_NOT_FOUND : ErrorCode.InvalidRequest, found.message);
}
