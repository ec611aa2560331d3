/**
 * What the two legacy HTTP+SSE (2024-11-05) reference servers share: the HTTP server, routing,
 * the Origin/Host guard, the session table, the SSE event text, and the POST handling around
 * MessageLayer.classify. A server only supplies `open`, which starts one session on a GET
 * stream; SDK-based and hand-written servers therefore differ only in their MCP logic.
 *
 * POST handling decisions, the same on both servers:
 * - every POST that reaches a session is acknowledged 202, even when its body is rejected: the
 *   JSON-RPC answer of this transport belongs on the stream, never in the HTTP body;
 * - unparseable input gets -32700 (id null) and an invalid object -32600 on the stream;
 * - a JSON array gets -32600: batches arrived with 2025-03-26, a 2024-11-05 message is one object;
 * - an unknown sessionId is 404, a missing one 400, a foreign Origin or Host 403;
 * - a Content-Type other than application/json is 415, before the body is read (the SDK
 *   transport would say 400; the spec names no status);
 * - POSTs are taken at the path the endpoint event names, as written (a client POSTs there).
 *
 * Defects hook in at the stream writer seam (every event written to a stream), the session seam
 * (an unknown sessionId), the response head seam (a POST's acknowledgement) and the request guard.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { sharedSeamsFor } from '../faults/hooks/index.js';
import { errorResponse, MessageLayer } from '../message-layer.js';
import type { ComposedResponseHeadSeam, ComposedStreamWriterSeam, StreamEventContext } from '../seams.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { BodyError, DEFAULT_MAX_BODY, readBody } from './body.js';
import { checkOriginAndHost, guardRejectionBody } from './guard.js';

export const SSE_PATH = '/sse';
export const MESSAGES_PATH = '/messages';
/** Each session holds an open socket; past this many, new streams are refused with 503. */
export const MAX_SESSIONS = 10_000;

export interface WireSession {
  /** the sessionId the endpoint event carries */
  readonly id: string;
  readonly layer: MessageLayer;
  /** Put one message on the stream as an `event: message`, after `layer.outgoing`. */
  send(message: JsonRpcMessage): void;
  /** Hand over one valid message; must answer the POST (202). */
  deliver(message: JsonRpcMessage, req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  /** Stop work in flight and end the stream; called once, when the stream closes or the server stops. */
  close(): void;
}

/**
 * Start a session on a GET: write the stream head and the endpoint event
 * (`endpointUri(id)`), and return the session. The wire registers it and removes it when the
 * stream closes.
 */
export type OpenSession = (res: ServerResponse, layer: MessageLayer) => WireSession | Promise<WireSession>;

export const EVENT_STREAM_HEAD = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
} as const;

export function newSessionId(): string {
  return randomUUID();
}

/** The relative POST URI the endpoint event names; the client resolves it against the SSE URL. */
export function endpointUri(sessionId: string): string {
  return `${MESSAGES_PATH}?sessionId=${sessionId}`;
}

export function endpointEvent(uri: string): string {
  return `event: endpoint\ndata: ${uri}\n\n`;
}

/** `json` must be JSON.stringify output: it escapes every line break, so one data line holds it. */
export function messageEvent(json: string): string {
  return `event: message\ndata: ${json}\n\n`;
}

const LEGACY_STREAM: StreamEventContext = { stream: 'legacy', priming: false };
const ENDPOINT_PATH = /^event: endpoint\r?\ndata: ([^?\r\n]*)/m;

/**
 * Run every text written to `res` through the stream writer seam (each write is one SSE event
 * on both servers, and the SDK transport writes its head and endpoint event itself, in one go):
 * so a hook changes events whichever server, SDK or hand-written, wrote them. `opening` goes
 * ahead of the first write. `announced` learns the POST path of the endpoint event as written.
 */
function writeThroughSeam(res: ServerResponse, seam: ComposedStreamWriterSeam, announced: (path: string) => void): void {
  const write = res.write as (...a: unknown[]) => boolean;
  let opening = seam.opening();
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (opening !== undefined) {
      write.call(res, opening);
      opening = undefined;
    }
    if (typeof chunk !== 'string') return write.call(res, chunk, ...rest);
    const text = seam.event(chunk, LEGACY_STREAM);
    const path = ENDPOINT_PATH.exec(text)?.[1];
    if (path !== undefined) announced(path);
    return write.call(res, text, ...rest);
  }) as ServerResponse['write'];
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

/** Whether a message is a request or notification; responses from the client need no answer. */
function hasMethod(message: JsonRpcMessage): boolean {
  return 'method' in message;
}

async function handlePost(req: IncomingMessage, res: ServerResponse, session: WireSession, head: ComposedResponseHeadSeam): Promise<void> {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) {
    req.resume();
    return answer(res, 415, 'Content-Type must be application/json');
  }
  let body: string;
  try {
    body = await readBody(req, DEFAULT_MAX_BODY);
  } catch (err) {
    const status = err instanceof BodyError ? err.status : 400;
    return answer(res, status, (err as Error).message, status === 413 ? { connection: 'close' } : {});
  }
  const layer = session.layer;
  const c = layer.classify(body);
  // The acknowledgement is 202 without a body; a head hook that answers in the body gets the message too.
  const ack = head.head({ status: 202, headers: {} }, { req, occasion: 'accepted', request: c.kind === 'message' ? c.message : undefined });
  if (c.kind === 'message' && ack.body !== undefined) {
    res.writeHead(ack.status, ack.headers).end(ack.body);
    session.send(JSON.parse(ack.body) as JsonRpcMessage);
    return;
  }
  if (c.kind === 'message') {
    // The SDK serves any request before initialize; the lifecycle makes initialize the first interaction.
    const refused = layer.gate(c.message);
    if (refused || layer.swallow(c.message)) {
      res.writeHead(202).end();
      if (refused) session.send(refused);
      return;
    }
    // A response without an id has no method either, and is no notification to answer.
    const bogus = hasMethod(c.message) ? layer.answerToNotification(c.message) : undefined;
    await session.deliver(c.message, req, res);
    if (bogus) session.send(bogus);
    for (const extra of layer.extraAfterReceive(c.message)) session.send(extra);
    return;
  }
  res.writeHead(202).end();
  const reply =
    c.kind === 'batch'
      ? errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request: a 2024-11-05 message is a single object, not a batch')
      : layer.rejection(c);
  if (reply) session.send(reply);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Serve legacy HTTP+SSE on `opts.host:opts.port`; `url` is the SSE stream URL. */
export async function serveLegacySse(opts: ServeOptions, open: OpenSession): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults;
  const seams = sharedSeamsFor(faults);
  const sessions = new Map<string, WireSession>();
  /** where POSTs are taken: the paths the endpoint events named */
  const postPaths = new Set<string>([MESSAGES_PATH]);
  const extraHosts = ['127.0.0.1', 'localhost', '::1'].includes(host) ? [] : [urlHost(host).toLowerCase()];
  let port = 0;

  async function openStream(res: ServerResponse): Promise<void> {
    if (sessions.size >= MAX_SESSIONS) return answer(res, 503, 'too many open streams');
    if (seams.stream.active) writeThroughSeam(res, seams.stream, (path) => postPaths.add(path));
    let session: WireSession | undefined;
    let gone = false;
    res.once('close', () => {
      gone = true;
      if (session && sessions.get(session.id) === session) {
        sessions.delete(session.id);
        session.close();
      }
    });
    session = await open(res, new MessageLayer(faults));
    if (gone) session.close();
    else sessions.set(session.id, session);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rejected = checkOriginAndHost(req, port, faults, extraHosts);
    if (rejected) {
      req.resume();
      res.writeHead(rejected.status, { 'content-type': 'application/json' }).end(guardRejectionBody(rejected));
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (postPaths.has(path) && req.method === 'POST') {
      const id = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('sessionId');
      const session = id ? sessions.get(id) : undefined;
      if (session) return handlePost(req, res, session, seams.head);
      req.resume();
      if (!id) return answer(res, 400, 'sessionId missing');
      const refusal = seams.session.unknownSession({ status: 404, message: 'unknown session' });
      return answer(res, refusal.status, refusal.message);
    }
    if (path === SSE_PATH && req.method === 'GET') return openStream(res);
    req.resume();
    if (path === MESSAGES_PATH) return answer(res, 405, 'use POST', { allow: 'POST' });
    if (path === SSE_PATH) return answer(res, 405, 'use GET', { allow: 'GET' });
    answer(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, 500, String((err as Error)?.message ?? err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(host)}:${port}${SSE_PATH}`,
    async close() {
      for (const session of sessions.values()) session.close();
      sessions.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
