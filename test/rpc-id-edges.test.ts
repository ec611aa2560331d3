/**
 * The core's id rule (drivers/rpc/ids.ts) at its edges, on all three transports against real
 * peers: one scripted peer (test/fixtures/rpc-edge-peer.ts) run as a stdio child, and served
 * in-process over Streamable HTTP and legacy HTTP+SSE on loopback. Each case is asserted the
 * same way on every transport, so a driver that matched ids its own way would fail here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../drivers/deadline.js';
import { createLegacySseDriver } from '../drivers/legacy-sse.js';
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import type { Driver, RpcSession } from '../drivers/session.js';
import { createStdioDriver } from '../drivers/stdio.js';
import { createStreamableHttpDriver } from '../drivers/streamable-http.js';
import { WireLog } from '../drivers/wire-log.js';
import { createAnswerer, type Payload } from './fixtures/rpc-edge-peer.js';

const PEER = fileURLToPath(new URL('./fixtures/rpc-edge-peer.ts', import.meta.url));
/** how long a request that nothing answers waits: the cases that expect silence take this long */
const SILENT_MS = 300;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

async function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Streamable HTTP (2025 shape, no session): one payload is a JSON body, several an SSE stream, none a 202. */
function streamableServer(): Server {
  const answer = createAnswerer();
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    void readBody(req).then((body) => {
      const payloads = answer(parse(body));
      if (payloads.length === 0) res.writeHead(202).end();
      else if (payloads.length === 1) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payloads[0]));
      else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(payloads.map((p) => `data: ${JSON.stringify(p)}\n\n`).join(''));
      }
    });
  });
}

/** Legacy HTTP+SSE: GET /sse opens a session's stream; its POSTs get 202 and the answers go on that stream. */
function legacySseServer(): Server {
  const streams = new Map<string, { res: ServerResponse; answer: (input: unknown) => Payload[] }>();
  let next = 0;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const id = String(++next);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`event: endpoint\ndata: /messages?s=${id}\n\n`);
      streams.set(id, { res, answer: createAnswerer() });
      req.on('close', () => streams.delete(id));
      return;
    }
    const stream = streams.get(url.searchParams.get('s') ?? '');
    if (req.method !== 'POST' || url.pathname !== '/messages' || !stream) {
      res.writeHead(404).end();
      return;
    }
    void readBody(req).then((body) => {
      res.writeHead(202).end();
      for (const p of stream.answer(parse(body))) stream.res.write(`event: message\ndata: ${JSON.stringify(p)}\n\n`);
    });
  });
}

interface Transport {
  name: string;
  revision: Revision;
  /** stdio and legacy SSE carry every answer on one channel: ordering and cross-request batches apply */
  sharedChannel: boolean;
  driver: Driver;
  server?: Server;
  /** one session for every case (a stdio session is a process: one spawn, not one per case) */
  session?: RpcSession;
}

const transports: Transport[] = [];

beforeAll(async () => {
  const log = new WireLog();
  transports.push({
    name: 'stdio',
    revision: '2025-11-25',
    sharedChannel: true,
    driver: createStdioDriver({ transport: 'stdio', command: process.execPath, args: ['--import', 'tsx', PEER] }, log),
  });
  const http = streamableServer();
  transports.push({
    name: 'http',
    revision: '2025-11-25',
    sharedChannel: false,
    server: http,
    driver: createStreamableHttpDriver({ transport: 'http', url: `${await listen(http)}/mcp` }, log),
  });
  const sse = legacySseServer();
  transports.push({
    name: 'sse',
    revision: '2024-11-05',
    sharedChannel: true,
    server: sse,
    driver: createLegacySseDriver({ transport: 'sse', url: `${await listen(sse)}/sse` }, log),
  });
});

afterAll(async () => {
  for (const t of transports) {
    await t.session?.close();
    await t.driver.close();
    if (t.server) await shut(t.server);
  }
});

/**
 * Run `fn` on each transport's session, opened on first use without a handshake (the peer knows
 * only the edge methods) and answered once before any case runs, so that a case's short wait
 * never includes the peer's start-up.
 */
async function onEach(fn: (s: RpcSession, t: Transport) => Promise<void>): Promise<void> {
  expect(transports).toHaveLength(3);
  for (const t of transports) {
    if (!t.session) {
      t.session = await t.driver.open(t.revision, { initialize: false });
      const ready = await t.session.request('edge/echo', {}, { timeoutMs: 20_000 });
      expect(ready.response, `${t.name} peer answers`).toBeDefined();
    }
    try {
      await fn(t.session, t);
    } catch (err) {
      throw new Error(`${t.name}: ${(err as Error).message}`, { cause: err });
    }
  }
}

const resultOf = (m: JsonRpcMessage | undefined) => m?.result as Record<string, unknown> | undefined;

describe('the id rule on stdio, Streamable HTTP and legacy SSE', () => {
  it('a response with id null answers no request, but reaches the request in flight and the history', async () => {
    await onEach(async (s) => {
      const reply = await s.request('edge/null-id', {}, { timeoutMs: SILENT_MS });
      expect(reply.response).toBeUndefined();
      const nullError = expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600 }) });
      expect(reply.messages).toContainEqual(nullError);
      expect(s.received).toContainEqual(nullError);
    });
  });

  it('id null answers nothing even when the request itself was sent with id null', async () => {
    await onEach(async (s) => {
      const reply = await s.request('edge/echo', {}, { id: null, timeoutMs: SILENT_MS });
      expect(reply.response).toBeUndefined();
      expect(reply.messages).toContainEqual({ jsonrpc: '2.0', id: null, result: { echoed: true } });
    });
  });

  it('a response without an id member answers nothing', async () => {
    await onEach(async (s) => {
      const reply = await s.request('edge/missing-id', {}, { timeoutMs: SILENT_MS });
      expect(reply.response).toBeUndefined();
      expect(reply.messages).toContainEqual({ jsonrpc: '2.0', result: { orphan: true } });
    });
  });

  it('a number and the string of its digits match loosely, and the response keeps the id the server sent', async () => {
    await onEach(async (s) => {
      const asNumber = await s.request('edge/coerce', {}, { id: 7, timeoutMs: 3000 });
      expect(asNumber.response?.id).toBe('7');
      expect(resultOf(asNumber.response)).toEqual({ coerced: true });
      const asString = await s.request('edge/coerce', {}, { id: '9', timeoutMs: 3000 });
      expect(asString.response?.id).toBe(9);
      // loose is the same digits, not the same number: "01" comes back as 1, which is not "01"
      const other = await s.request('edge/coerce', {}, { id: '01', timeoutMs: SILENT_MS });
      expect(other.response).toBeUndefined();
      expect(other.messages).toContainEqual({ jsonrpc: '2.0', id: 1, result: { coerced: true } });
    });
  });

  it('with 8 and "8" both in flight, each response goes to the request whose id has its type', async () => {
    await onEach(async (s, t) => {
      if (!t.sharedChannel) return; // each Streamable HTTP POST carries its own answer
      const asNumber = s.request('edge/hold', {}, { id: 8, timeoutMs: 3000 });
      // the held request must be in before the release, or the peer has nothing to answer with it
      await sleep(50);
      const asString = s.request('edge/release-reversed', {}, { id: '8', timeoutMs: 3000 });
      const [n, str] = await Promise.all([asNumber, asString]);
      expect(n.response).toMatchObject({ id: 8, result: { answered: 'edge/hold', idType: 'number' } });
      expect(str.response).toMatchObject({ id: '8', result: { answered: 'edge/release-reversed', idType: 'string' } });
    });
  });

  it('a batch payload answering several requests is split: each element answers its own request', async () => {
    await onEach(async (s, t) => {
      if (!t.sharedChannel) return;
      const held = s.request('edge/hold', {}, { id: 'held', timeoutMs: 3000 });
      await sleep(50);
      const release = s.request('edge/release-reversed', {}, { id: 'release', timeoutMs: 3000 });
      const [a, b] = await Promise.all([held, release]);
      expect(a.response).toMatchObject({ id: 'held', result: { answered: 'edge/hold' } });
      expect(b.response).toMatchObject({ id: 'release', result: { answered: 'edge/release-reversed' } });
    });
  });

  it('a raw batch gets its answers back as separate messages', async () => {
    await onEach(async (s) => {
      const batch = [
        { jsonrpc: '2.0', id: 'b1', method: 'ping' },
        { jsonrpc: '2.0', id: 'b2', method: 'ping' },
      ];
      const reply = await s.sendRaw(JSON.stringify(batch), { until: 'quiet', timeoutMs: SILENT_MS });
      expect(reply.messages.map((m) => m.id)).toEqual(['b1', 'b2']);
      expect(reply.messages.every((m) => resultOf(m)?.['batched'] === 'ping')).toBe(true);
    });
  });

  it('a response to an id nobody asked for answers nothing and is handed to the request in flight', async () => {
    await onEach(async (s) => {
      const reply = await s.request('edge/unknown-first', {}, { id: 'asked', timeoutMs: 3000 });
      expect(reply.response).toMatchObject({ id: 'asked', result: { real: true } });
      expect(reply.messages).toContainEqual({ jsonrpc: '2.0', id: 'nobody-asked', result: { stray: true } });
      expect(s.received).toContainEqual({ jsonrpc: '2.0', id: 'nobody-asked', result: { stray: true } });
    });
  });

  it('one request answered twice: the first answer counts, the second answers nothing', async () => {
    await onEach(async (s, t) => {
      const reply = await s.request('edge/twice', {}, { id: 'once', timeoutMs: 3000 });
      expect(reply.response).toMatchObject({ id: 'once', result: { first: true } });
      if (!t.sharedChannel) return; // an HTTP reply is read up to its answer
      expect(await waitFor(() => s.received.some((m) => resultOf(m)?.['second'] === true), 2000)).toBe(true);
      const after = await s.request('edge/count', {}, { id: 'once', timeoutMs: 3000 });
      expect(resultOf(after.response)).toMatchObject({ n: expect.any(Number) });
    });
  });

  it('two requests with the same id in flight are answered first sent, first answered', async () => {
    await onEach(async (s, t) => {
      const [a, b] = await Promise.all([
        s.request('edge/count', {}, { id: 'dup', timeoutMs: 3000 }),
        s.request('edge/count', {}, { id: 'dup', timeoutMs: 3000 }),
      ]);
      const na = resultOf(a.response)?.['n'] as number;
      const nb = resultOf(b.response)?.['n'] as number;
      expect(typeof na).toBe('number');
      expect(typeof nb).toBe('number');
      expect(na).not.toBe(nb);
      // on one channel the order is the wire's; two HTTP POSTs may reach the peer either way round
      if (t.sharedChannel) expect(na).toBeLessThan(nb);
    });
  });
});
