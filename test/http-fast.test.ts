/**
 * The lean HTTP/1.1 client of the load path (drivers/http-fast.ts), against real servers on
 * 127.0.0.1: framing (Content-Length, chunked, close-delimited), SSE responses read up to the
 * awaited id, socket reuse and replacement, deadlines, resets, and no handle left open. Then the
 * drivers with the wire log off, to show they take this path and still answer the same way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { isResponse } from '../drivers/protocol.js';
import { FastHttpClient } from '../drivers/http-fast.js';
import { createLegacySseDriver } from '../drivers/legacy-sse.js';
import type { HttpSession } from '../drivers/session.js';
import { createStreamableHttpDriver } from '../drivers/streamable-http.js';
import { WireLog } from '../drivers/wire-log.js';
import {
  openTcpHandles,
  type SdkLegacy,
  type SdkStreamable,
  startSdkLegacy,
  startSdkStreamable,
  startSilentServer,
  type SilentServer,
  unusedPort,
} from './http-servers.js';

interface TestServer {
  url: string;
  /** TCP connections accepted / closed so far */
  connections: () => number;
  closedConnections: () => number;
  close(): Promise<void>;
}

function idOf(body: string): unknown {
  return (JSON.parse(body) as { id?: unknown }).id;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** node:http, routes by path; every answer is a JSON-RPC response to the POSTed id. */
async function startFramingServer(): Promise<TestServer> {
  let connections = 0;
  let closed = 0;
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const id = JSON.stringify(idOf(body));
      const answer = `{"jsonrpc":"2.0","id":${id},"result":{"ok":true}}`;
      switch (new URL(req.url ?? '/', 'http://x').pathname) {
        case '/json':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
          return;
        case '/chunked':
          // no Content-Length: node:http frames it chunked; two writes, two chunks
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(answer.slice(0, 10));
          await tick();
          res.end(answer.slice(10));
          return;
        case '/close':
          res
            .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer), connection: 'close' })
            .end(answer);
          return;
        case '/sse-progress':
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (let i = 1; i <= 3; i++) {
            res.write(
              `event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":${i}}}\n\n`,
            );
            await tick();
          }
          // the response split across two writes, mid-event
          res.write(`data: ${answer.slice(0, 7)}`);
          await tick();
          res.end(`${answer.slice(7)}\n\n`);
          return;
        case '/sse-open':
          // the response, then the stream stays open: the client must not wait for its end
          open.add(res);
          res.on('close', () => open.delete(res));
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(`data: ${answer}\n\n`);
          return;
        default:
          res.writeHead(404).end();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => connections,
    closedConnections: () => closed,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw TCP server: `answer` decides what to do with each request's bytes. */
async function startTcp(
  answer: (socket: Socket, request: string) => void,
): Promise<{ url: string; server: TcpServer; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      const request = text.slice(end + 4, end + 4 + length);
      text = '';
      answer(socket, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/mcp`,
    server,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

function post(client: FastHttpClient, url: string, id: number, timeoutMs = 5_000) {
  const promise = client.trySend(
    { method: 'POST', url, headers: HEADERS, body: `{"jsonrpc":"2.0","id":${id},"method":"ping"}`, timeoutMs },
    { untilMessage: (m) => isResponse(m) && m.id === id },
  );
  if (promise === undefined) throw new Error('the fast client declined a plain POST');
  return promise;
}

let framing: TestServer;
let silent: SilentServer;

beforeAll(async () => {
  framing = await startFramingServer();
  silent = await startSilentServer();
});

afterAll(async () => {
  await framing.close();
  await silent.close();
  expect(await waitFor(() => openTcpHandles() === 0, 3000)).toBe(true);
});

describe('FastHttpClient framing', () => {
  it('reads a JSON body by Content-Length and reuses the socket', async () => {
    const client = new FastHttpClient();
    try {
      const before = framing.connections();
      for (let id = 1; id <= 3; id++) {
        const reply = await post(client, `${framing.url}/json`, id);
        expect(reply.status).toBe(200);
        expect(reply.error).toBeUndefined();
        expect(reply.ended).toBe(true);
        expect(reply.headers['content-type']).toBe('application/json');
        expect(reply.messages).toEqual([{ jsonrpc: '2.0', id, result: { ok: true } }]);
      }
      expect(framing.connections() - before).toBe(1);
      expect(client.socketCount).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('reads a chunked JSON body', async () => {
    const client = new FastHttpClient();
    try {
      for (let id = 1; id <= 2; id++) {
        const reply = await post(client, `${framing.url}/chunked`, id);
        expect(reply.status).toBe(200);
        expect(reply.ended).toBe(true);
        expect(reply.messages[0]).toMatchObject({ id, result: { ok: true } });
      }
      expect(client.socketCount).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('reads an SSE response with progress before the response, and reuses the socket after its end', async () => {
    const client = new FastHttpClient();
    try {
      const before = framing.connections();
      for (let id = 1; id <= 2; id++) {
        const reply = await post(client, `${framing.url}/sse-progress`, id);
        expect(reply.status).toBe(200);
        expect(reply.contentType).toBe('text/event-stream');
        expect(reply.messages.map((m) => m.method ?? m.id)).toEqual([
          'notifications/progress',
          'notifications/progress',
          'notifications/progress',
          id,
        ]);
        expect(reply.events).toHaveLength(4);
        // the stream's end follows the response: wait for the socket to be drained back into the pool
        await waitFor(() => client.socketCount === 1 && framing.connections() - before === 1, 1000);
      }
      expect(framing.connections() - before).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('settles an SSE response that stays open at the awaited id, then closes and replaces that socket', async () => {
    // earlier tests' sockets finish closing first, so that only this test's closes are counted
    expect(await waitFor(() => framing.connections() === framing.closedConnections(), 2000)).toBe(true);
    const client = new FastHttpClient();
    try {
      const before = framing.connections();
      const closedBefore = framing.closedConnections();
      const t0 = performance.now();
      const reply = await post(client, `${framing.url}/sse-open`, 7);
      expect(performance.now() - t0).toBeLessThan(500);
      expect(reply.status).toBe(200);
      expect(reply.ended).toBe(false);
      expect(reply.timedOut).toBeUndefined();
      expect(reply.messages).toEqual([{ jsonrpc: '2.0', id: 7, result: { ok: true } }]);
      // the first socket is still streaming: the next request gets a new one
      const next = await post(client, `${framing.url}/json`, 8);
      expect(next.messages[0]).toMatchObject({ id: 8 });
      expect(framing.connections() - before).toBe(2);
      // the open stream's socket is closed after the drain grace
      expect(await waitFor(() => framing.closedConnections() - closedBefore === 1, 3000)).toBe(true);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(900);
      expect(await waitFor(() => client.socketCount === 1, 1000)).toBe(true);
      const last = await post(client, `${framing.url}/json`, 9);
      expect(last.messages[0]).toMatchObject({ id: 9 });
      expect(framing.connections() - before).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('closes the socket after a Connection: close response, and the next request opens another', async () => {
    const client = new FastHttpClient();
    try {
      const before = framing.connections();
      for (let id = 1; id <= 3; id++) {
        const reply = await post(client, `${framing.url}/close`, id);
        expect(reply.status).toBe(200);
        expect(reply.error).toBeUndefined();
        expect(reply.messages[0]).toMatchObject({ id });
      }
      expect(framing.connections() - before).toBe(3);
      expect(await waitFor(() => client.socketCount === 0, 1000)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('reads a close-delimited body (no Content-Length, no chunking) to the end of the connection', async () => {
    const tcp = await startTcp((socket, request) => {
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"jsonrpc":"2.0","id":${idOf(request)},"result":{}}`);
    });
    const client = new FastHttpClient();
    try {
      for (let id = 1; id <= 2; id++) {
        const reply = await post(client, tcp.url, id);
        expect(reply.status).toBe(200);
        expect(reply.ended).toBe(true);
        expect(reply.messages[0]).toMatchObject({ id });
      }
      expect(await waitFor(() => client.socketCount === 0, 1000)).toBe(true);
    } finally {
      await client.close();
      await tcp.close();
    }
  });

  it('skips a 1xx head and reads the final response that follows in the same segment', async () => {
    const tcp = await startTcp((socket, request) => {
      const body = `{"jsonrpc":"2.0","id":${idOf(request)},"result":{}}`;
      socket.write(
        `HTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\ncontent-type: application/json\r\n\r\n${body}`,
      );
    });
    const client = new FastHttpClient();
    try {
      const reply = await post(client, tcp.url, 5);
      expect(reply.status).toBe(200);
      expect(reply.messages[0]).toMatchObject({ id: 5 });
    } finally {
      await client.close();
      await tcp.close();
    }
  });
});

describe('FastHttpClient failures', () => {
  it('gives a timed-out reply within the deadline when the server never answers, and closes that socket', async () => {
    const client = new FastHttpClient();
    try {
      const t0 = performance.now();
      const reply = await post(client, silent.url, 1, 300);
      const elapsed = performance.now() - t0;
      expect(reply.status).toBe(0);
      expect(reply.timedOut).toBe(true);
      expect(reply.error).toMatch(/no response within 300 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
      expect(await waitFor(() => client.socketCount === 0, 1000)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('gives a timed-out reply when the body stalls after the headers', async () => {
    const tcp = await startTcp((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"jsonrpc"');
    });
    const client = new FastHttpClient();
    try {
      const reply = await post(client, tcp.url, 1, 300);
      expect(reply.status).toBe(200);
      expect(reply.timedOut).toBe(true);
      expect(reply.error).toMatch(/response incomplete after 300 ms/);
    } finally {
      await client.close();
      await tcp.close();
    }
  });

  it('reports a reset as status 0 and answers the next request on a new socket', async () => {
    let n = 0;
    const tcp = await startTcp((socket, request) => {
      if (n++ === 0) {
        socket.resetAndDestroy();
        return;
      }
      const body = `{"jsonrpc":"2.0","id":${idOf(request)},"result":{}}`;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    });
    const client = new FastHttpClient();
    try {
      const reply = await post(client, tcp.url, 1);
      expect(reply.status).toBe(0);
      expect(reply.timedOut).toBeUndefined();
      expect(reply.error).toMatch(/ECONNRESET|closed/);
      const again = await post(client, tcp.url, 2);
      expect(again.status).toBe(200);
      expect(again.messages[0]).toMatchObject({ id: 2 });
    } finally {
      await client.close();
      await tcp.close();
    }
  });

  it('reports a refused connection as status 0', async () => {
    const client = new FastHttpClient();
    try {
      const reply = await post(client, `http://127.0.0.1:${await unusedPort()}/mcp`, 1);
      expect(reply.status).toBe(0);
      expect(reply.error).toMatch(/ECONNREFUSED/);
    } finally {
      await client.close();
    }
  });

  it('stops at maxBytes and closes the socket', async () => {
    const tcp = await startTcp((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(100_000)}`);
    });
    const client = new FastHttpClient();
    try {
      const reply = await client.trySend({ method: 'POST', url: tcp.url, headers: {}, body: '{}', maxBytes: 1000 })!;
      expect(reply.truncated).toBe(true);
      expect(reply.body).toHaveLength(1000);
      expect(await waitFor(() => client.socketCount === 0, 1000)).toBe(true);
    } finally {
      await client.close();
      await tcp.close();
    }
  });

  it('resolves requests in flight when the client closes', async () => {
    const client = new FastHttpClient();
    const pending = post(client, silent.url, 1, 10_000);
    await waitFor(() => silent.accepted() > 0, 1000);
    await client.close();
    const reply = await pending;
    expect(reply.status).toBe(0);
    expect(reply.error).toBeDefined();
    expect(client.trySend({ method: 'POST', url: silent.url, headers: {}, body: '{}' })).toBeUndefined();
  });

  it('declines what it would not send exactly as undici does', () => {
    const client = new FastHttpClient();
    const base = { method: 'POST', url: `${framing.url}/json`, body: '{}' };
    expect(client.trySend({ ...base, url: 'https://127.0.0.1:1/mcp', headers: {} })).toBeUndefined();
    expect(client.trySend({ ...base, headers: { 'Transfer-Encoding': 'chunked' } })).toBeUndefined();
    expect(client.trySend({ ...base, headers: { Host: 'elsewhere' } })).toBeUndefined();
    expect(client.trySend({ ...base, headers: { 'X-Bad': 'a\r\nb' } })).toBeUndefined();
    expect(client.trySend({ ...base, headers: {}, readMs: 100 })).toBeUndefined();
    expect(client.socketCount).toBe(0);
  });
});

describe('FastHttpClient concurrency', () => {
  it('answers 100 requests over 4 sockets, each with its own id', async () => {
    const client = new FastHttpClient();
    try {
      const before = framing.connections();
      let next = 1;
      const wrong: unknown[] = [];
      let answered = 0;
      const worker = async () => {
        for (let i = 0; i < 25; i++) {
          const id = next++;
          const reply = await post(client, `${framing.url}/json`, id);
          if (reply.messages[0]?.id === id) answered++;
          else wrong.push([id, reply.messages[0]?.id, reply.error]);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      expect(wrong).toEqual([]);
      expect(answered).toBe(100);
      expect(framing.connections() - before).toBe(4);
      expect(client.socketCount).toBe(4);
    } finally {
      await client.close();
    }
  });
});

describe('drivers with the wire log off', () => {
  let sdk: SdkStreamable;
  let sdkJson: SdkStreamable;
  let legacy: SdkLegacy;

  beforeAll(async () => {
    sdk = await startSdkStreamable({ jsonResponse: false });
    sdkJson = await startSdkStreamable({ jsonResponse: true });
    legacy = await startSdkLegacy();
  });

  afterAll(async () => {
    await sdk.close();
    await sdkJson.close();
    await legacy.close();
  });

  it('Streamable HTTP (SSE answers): initialize, progress then the response, DELETE, all on the lean client', async () => {
    const spy = vi.spyOn(FastHttpClient.prototype, 'trySend');
    try {
      const driver = createStreamableHttpDriver({ transport: 'http', url: sdk.url }, new WireLog({ enabled: false }));
      try {
        const session = (await driver.open('2025-11-25')) as HttpSession;
        expect(session.sessionId).toBeDefined();
        const reply = await session.request('tools/call', { name: 'progress', arguments: { steps: 3 } }, { meta: { progressToken: 'p1' } });
        expect(reply.timedOut).toBe(false);
        expect(reply.status).toBe(200);
        expect(reply.response?.result).toMatchObject({ content: [{ text: 'done progress' }] });
        expect(reply.messages.filter((m) => m.method === 'notifications/progress')).toHaveLength(3);
        const pings = await Promise.all(Array.from({ length: 20 }, () => session.request('ping')));
        expect(pings.every((p) => p.response?.result !== undefined)).toBe(true);
        const id = session.sessionId!;
        await session.close();
        expect(sdk.closedSessions.has(id)).toBe(true);
      } finally {
        await driver.close();
      }
      // initialize, initialized, the call, 20 pings, DELETE
      expect(spy.mock.calls.length).toBe(24);
    } finally {
      spy.mockRestore();
    }
  });

  it('Streamable HTTP (JSON answers) with the log off, and the log on still uses undici', async () => {
    const spy = vi.spyOn(FastHttpClient.prototype, 'trySend');
    try {
      for (const enabled of [false, true]) {
        const driver = createStreamableHttpDriver({ transport: 'http', url: sdkJson.url }, new WireLog({ enabled }));
        try {
          const session = await driver.open('2025-11-25');
          const reply = await session.request('tools/list');
          expect(reply.response?.result).toMatchObject({ tools: [{ name: 'progress' }] });
          expect(session.log.entries().length > 0).toBe(enabled);
        } finally {
          await driver.close();
        }
        if (!enabled) expect(spy.mock.calls.length).toBeGreaterThan(0);
        else expect(spy.mock.calls.length).toBe(0);
        spy.mockClear();
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('legacy HTTP+SSE: POSTs on the lean client, responses from the stream', async () => {
    const spy = vi.spyOn(FastHttpClient.prototype, 'trySend');
    try {
      const driver = createLegacySseDriver({ transport: 'sse', url: legacy.url }, new WireLog({ enabled: false }));
      try {
        const session = await driver.open('2024-11-05');
        const replies = await Promise.all(Array.from({ length: 10 }, () => session.request('ping')));
        expect(replies.every((r) => r.status === 202 && r.response?.result !== undefined)).toBe(true);
      } finally {
        await driver.close();
      }
      expect(spy.mock.calls.length).toBe(12);
    } finally {
      spy.mockRestore();
    }
  });
});
