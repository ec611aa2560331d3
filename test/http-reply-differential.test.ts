/**
 * The two HTTP clients against one table of responses: HttpClient (undici, with the wire log on,
 * as checks use it) and FastHttpClient (raw sockets, the load path) must return identical replies,
 * error texts included, for every case. A node:http server on 127.0.0.1 serves what a real server
 * sends; a raw `net` server serves what node:http cannot be made to send (resets, a FIN mid-body,
 * malformed heads, a server that never answers).
 *
 * Both clients hand their bytes to one ReplyReader (drivers/http-reply.ts), so what a reply means
 * is identical by construction; what is not is everything before it: each client's framing
 * (llhttp or the lean parser: Content-Length, chunks, close-delimited, HEAD, 1xx, malformed heads),
 * its socket events (a reset, a FIN, a close), its timers (the deadline fires before or after the
 * head, on an SSE body or not) and how it splits the body into reads. That is what the table
 * varies. And since two clients sharing a reader could agree on a wrong answer, each case also
 * names what the reply must be (`want`): a case fails when the clients differ, and when they
 * agree on something other than the policy. Only `entry` (the wire log's, undici only) and each
 * event's `at` (a timing) are left out of the comparison.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { HttpClient } from '../drivers/http-client.js';
import { FastHttpClient } from '../drivers/http-fast.js';
import { CLIENT_CLOSED, type SendTuning } from '../drivers/http-reply.js';
import { isResponse } from '../drivers/protocol.js';
import type { HttpReply, HttpRequestSpec } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import { openTcpHandles, type SilentServer, startSilentServer, unusedPort } from './http-servers.js';

/** What a case's reply must be, beyond the two clients agreeing. */
interface Want {
  status: number;
  /** the body kind the reply was read as */
  kind: 'json' | 'sse' | 'empty' | 'text';
  messages?: number;
  events?: number;
  ended?: boolean;
  /** the exact error text, or a pattern; absent: no error */
  error?: string | RegExp;
  timedOut?: boolean;
  truncated?: boolean;
  body?: string;
  headers?: Record<string, string>;
}

interface Case {
  name: string;
  /** 'http': node:http answers; 'raw': the raw server writes `raw`; 'silent', 'refused': no answer */
  server: 'http' | 'raw' | 'silent' | 'refused';
  http?: (req: IncomingMessage, res: ServerResponse) => unknown;
  raw?: (socket: Socket) => void;
  spec?: Partial<HttpRequestSpec>;
  /** stop at the response to id 1 (what the drivers' request path asks) */
  awaitResponse?: boolean;
  want: Want;
}

const RESPONSE = '{"jsonrpc":"2.0","id":1,"result":{"ok":true}}';
const PROGRESS = '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}';
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

function json(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
}

function sse(res: ServerResponse, text: string, type = 'text/event-stream'): void {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(text);
}

/** A raw response head and body, as bytes. */
function head(status: string, headers: string[]): string {
  return `HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

const CASES: Case[] = [
  // ---- statuses and JSON bodies ----
  {
    name: '200 JSON object (Content-Length)',
    server: 'http',
    http: (_req, res) => json(res, 200, RESPONSE),
    want: { status: 200, kind: 'json', messages: 1, ended: true, body: RESPONSE },
  },
  {
    name: '200 JSON batch array',
    server: 'http',
    http: (_req, res) => json(res, 200, `[${RESPONSE},{"jsonrpc":"2.0","id":2,"result":{}},7]`),
    // the 7 is not a message: it is dropped, the body keeps it
    want: { status: 200, kind: 'json', messages: 2, ended: true },
  },
  {
    name: '200 invalid JSON',
    server: 'http',
    http: (_req, res) => json(res, 200, '{"jsonrpc":"2.0","id":1,'),
    want: { status: 200, kind: 'json', messages: 0, ended: true, body: '{"jsonrpc":"2.0","id":1,' },
  },
  {
    name: '200 JSON after leading whitespace',
    server: 'http',
    http: (_req, res) => json(res, 200, `\r\n\t ${RESPONSE}`),
    want: { status: 200, kind: 'json', messages: 1, ended: true },
  },
  {
    name: '200 JSON chunked over several writes',
    server: 'http',
    http: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < RESPONSE.length; i += 9) {
        res.write(RESPONSE.slice(i, i + 9));
        await tick();
      }
      res.end();
    },
    want: { status: 200, kind: 'json', messages: 1, ended: true, body: RESPONSE, headers: { 'transfer-encoding': 'chunked' } },
  },
  {
    name: '202 empty body',
    server: 'http',
    http: (_req, res) => res.writeHead(202).end(),
    want: { status: 202, kind: 'empty', ended: true, body: '' },
  },
  {
    name: '204 no content',
    server: 'http',
    http: (_req, res) => res.writeHead(204).end(),
    want: { status: 204, kind: 'empty', ended: true },
  },
  {
    name: '400 with a JSON-RPC error body',
    server: 'http',
    http: (_req, res) => json(res, 400, '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"bad"}}'),
    want: { status: 400, kind: 'json', messages: 1, ended: true },
  },
  {
    name: '404 plain text',
    server: 'http',
    http: (_req, res) => json(res, 404, 'Not Found', 'text/plain'),
    want: { status: 404, kind: 'text', messages: 0, ended: true, body: 'Not Found' },
  },
  {
    name: '405 with Allow and no body',
    server: 'http',
    http: (_req, res) => res.writeHead(405, { allow: 'POST, DELETE', 'content-length': 0 }).end(),
    want: { status: 405, kind: 'empty', ended: true, headers: { allow: 'POST, DELETE' } },
  },
  {
    name: '500 HTML page',
    server: 'http',
    http: (_req, res) => json(res, 500, '<html><body>oops</body></html>', 'text/html'),
    want: { status: 500, kind: 'text', messages: 0, ended: true },
  },
  {
    name: 'JSON body labelled text/plain (read as JSON all the same)',
    server: 'http',
    http: (_req, res) => json(res, 200, RESPONSE, 'text/plain'),
    want: { status: 200, kind: 'json', messages: 1, ended: true },
  },
  {
    name: 'SSE text labelled application/json (no events)',
    server: 'http',
    http: (_req, res) => json(res, 200, `data: ${RESPONSE}\n\n`),
    want: { status: 200, kind: 'text', messages: 0, events: 0, ended: true },
  },
  {
    name: 'no Content-Type, empty 200',
    server: 'http',
    http: (_req, res) => res.writeHead(200, { 'content-length': 0 }).end(),
    want: { status: 200, kind: 'empty', ended: true },
  },
  {
    // raw: undici closes the connection after a HEAD (and says so), which node:http would echo
    name: 'HEAD: a Content-Length and no body',
    server: 'raw',
    spec: { method: 'HEAD', body: undefined },
    raw: (s) => s.write(head('200 OK', ['content-type: application/json', 'content-length: 45'])),
    want: { status: 200, kind: 'empty', ended: true, headers: { 'content-length': '45' } },
  },
  // ---- SSE bodies ----
  {
    name: 'SSE single event',
    server: 'http',
    http: (_req, res) => sse(res, `data: ${RESPONSE}\n\n`),
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: true, body: `data: ${RESPONSE}\n\n` },
  },
  {
    name: 'SSE several events written apart',
    server: 'http',
    http: async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 3; i++) {
        res.write(`event: message\ndata: ${PROGRESS}\n\n`);
        await tick();
      }
      res.end(`data: ${RESPONSE}\n\n`);
    },
    want: { status: 200, kind: 'sse', events: 4, messages: 4, ended: true },
  },
  {
    name: 'SSE multi-line data, CRLF line ends',
    server: 'http',
    http: (_req, res) => sse(res, 'data: {"jsonrpc":"2.0",\r\ndata: "id":1,\r\ndata: "result":{}}\r\n\r\n'),
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: true },
  },
  {
    name: 'SSE comments, ids, retry, a priming event without data',
    server: 'http',
    http: (_req, res) => sse(res, `: keep-alive\nid: prime-1\nretry: 500\n\n: another\nid: 2\nevent: message\ndata: ${RESPONSE}\n\n`),
    want: { status: 200, kind: 'sse', events: 2, messages: 1, ended: true },
  },
  {
    name: 'SSE events that are not messages (another type, not JSON, empty data)',
    server: 'http',
    http: (_req, res) => sse(res, `event: ping\ndata: ${RESPONSE}\n\ndata: hello\n\ndata:\n\n`),
    want: { status: 200, kind: 'sse', events: 3, messages: 0, ended: true },
  },
  {
    name: 'SSE Content-Type with parameters and upper case',
    server: 'http',
    http: (_req, res) => sse(res, `data: ${RESPONSE}\n\n`, 'Text/Event-Stream; charset=utf-8'),
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: true },
  },
  {
    name: 'SSE with a UTF-8 character split across writes, and a BOM',
    server: 'http',
    http: async (_req, res) => {
      const bytes = Buffer.from(`\ufeffdata: {"jsonrpc":"2.0","id":1,"result":{"text":"é✓"}}\n\n`, 'utf8');
      const cut = bytes.indexOf(0xa9); // the second byte of é
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(bytes.subarray(0, cut));
      await tick();
      res.end(bytes.subarray(cut));
    },
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: true },
  },
  {
    name: 'SSE unterminated last event (discarded)',
    server: 'http',
    http: (_req, res) => sse(res, `data: ${PROGRESS}\n\ndata: ${RESPONSE}`),
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: true },
  },
  {
    name: 'SSE read up to the awaited response, the stream left open',
    server: 'http',
    awaitResponse: true,
    http: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${PROGRESS}\n\ndata: ${RESPONSE}\n\n`);
      setTimeout(() => res.end(), 1500).unref();
    },
    want: { status: 200, kind: 'sse', events: 2, messages: 2, ended: false },
  },
  {
    name: 'SSE stopped at maxEvents',
    server: 'http',
    spec: { maxEvents: 3 },
    http: (_req, res) => sse(res, Array.from({ length: 10 }, (_, i) => `id: ${i}\ndata: ${PROGRESS}\n\n`).join('')),
    want: { status: 200, kind: 'sse', events: 3, messages: 3, ended: false },
  },
  // ---- limits ----
  {
    name: 'JSON body over maxBytes',
    server: 'http',
    spec: { maxBytes: 1000 },
    http: (_req, res) => json(res, 200, `{"pad":"${'x'.repeat(100_000)}"}`),
    want: { status: 200, kind: 'json', messages: 0, ended: false, truncated: true },
  },
  {
    name: 'SSE body over maxBytes',
    server: 'http',
    spec: { maxBytes: 300 },
    http: (_req, res) => sse(res, Array.from({ length: 20 }, () => `data: ${PROGRESS}\n\n`).join('')),
    // 300 bytes hold two whole 105-byte events and part of a third
    want: { status: 200, kind: 'sse', events: 2, messages: 2, ended: false, truncated: true },
  },
  {
    name: "a 20 KiB header (over undici's own 16 KiB default, under the policy's 64 KiB)",
    server: 'raw',
    raw: (s) => s.write(`${head('200 OK', [`x-big: ${'a'.repeat(20_000)}`, 'content-length: 0'])}`),
    want: { status: 200, kind: 'empty', ended: true },
  },
  {
    name: 'a head over 64 KiB',
    server: 'raw',
    raw: (s) => s.write(`${head('200 OK', [`x-big: ${'a'.repeat(70_000)}`, 'content-length: 0'])}`),
    want: { status: 0, kind: 'empty', error: 'response head larger than 64 KiB' },
  },
  // ---- framing the raw server writes ----
  {
    name: 'close-delimited JSON body (no Content-Length, no chunking)',
    server: 'raw',
    raw: (s) => s.end(`${head('200 OK', ['content-type: application/json'])}${RESPONSE}`),
    want: { status: 200, kind: 'json', messages: 1, ended: true },
  },
  {
    name: 'a 1xx head before the final one',
    server: 'raw',
    raw: (s) =>
      s.write(
        `${head('103 Early Hints', ['link: </x>'])}${head('200 OK', ['content-type: application/json', `content-length: ${RESPONSE.length}`])}${RESPONSE}`,
      ),
    want: { status: 200, kind: 'json', messages: 1, ended: true, headers: { 'content-type': 'application/json' } },
  },
  {
    name: 'repeated headers, OWS, upper-case names, a Latin-1 byte',
    server: 'raw',
    raw: (s) =>
      s.write(
        Buffer.from(head('200 OK', ['X-Dup: one', 'x-dup:two  ', 'X-Pad: \t v \t', 'x-latin: caf\xe9', 'content-length: 0']), 'latin1'),
      ),
    want: { status: 200, kind: 'empty', ended: true, headers: { 'x-dup': 'one, two', 'x-pad': 'v', 'x-latin': 'caf\xe9' } },
  },
  {
    name: 'HTTP/1.0 response',
    server: 'raw',
    raw: (s) => s.end(`HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n${RESPONSE}`),
    want: { status: 200, kind: 'json', messages: 1, ended: true },
  },
  {
    name: 'an unusual status (299)',
    server: 'raw',
    raw: (s) => s.write(head('299 Whatever', ['content-length: 2']) + '{}'),
    want: { status: 299, kind: 'json', messages: 1, ended: true },
  },
  // ---- failures ----
  {
    name: 'reset mid-body',
    server: 'raw',
    raw: (s) => {
      s.write(`${head('200 OK', ['content-type: application/json', 'content-length: 100'])}{"jsonrpc"`);
      setTimeout(() => s.resetAndDestroy(), 30);
    },
    want: { status: 200, kind: 'json', messages: 0, ended: false, error: 'ECONNRESET: read ECONNRESET', body: '{"jsonrpc"' },
  },
  {
    name: 'reset mid-SSE (chunked)',
    server: 'raw',
    raw: (s) => {
      s.write(
        `${head('200 OK', ['content-type: text/event-stream', 'transfer-encoding: chunked'])}${(`data: ${PROGRESS}\n\n`.length).toString(16)}\r\ndata: ${PROGRESS}\n\n\r\n`,
      );
      setTimeout(() => s.resetAndDestroy(), 30);
    },
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: false, error: 'ECONNRESET: read ECONNRESET' },
  },
  {
    name: 'reset before the response',
    server: 'raw',
    raw: (s) => s.resetAndDestroy(),
    want: { status: 0, kind: 'empty', error: 'ECONNRESET: read ECONNRESET' },
  },
  {
    name: 'FIN mid-body',
    server: 'raw',
    raw: (s) => {
      s.write(`${head('200 OK', ['content-type: application/json', 'content-length: 100'])}{"jsonrpc"`);
      setTimeout(() => s.end(), 30);
    },
    want: { status: 200, kind: 'json', ended: false, error: 'connection closed before the response completed' },
  },
  {
    name: 'FIN before the response',
    server: 'raw',
    raw: (s) => s.end(),
    want: { status: 0, kind: 'empty', error: 'connection closed before the response arrived' },
  },
  {
    name: 'refused connection',
    server: 'refused',
    want: { status: 0, kind: 'empty', error: /^ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+$/ },
  },
  {
    name: 'a server that never answers (deadline)',
    server: 'silent',
    spec: { timeoutMs: 300 },
    want: { status: 0, kind: 'empty', error: 'no response within 300 ms', timedOut: true },
  },
  {
    name: 'a JSON body that stalls after the head (deadline)',
    server: 'raw',
    spec: { timeoutMs: 300 },
    raw: (s) => s.write(`${head('200 OK', ['content-type: application/json', 'content-length: 100'])}{"jsonrpc"`),
    want: { status: 200, kind: 'json', ended: false, error: 'response incomplete after 300 ms', timedOut: true },
  },
  {
    name: 'an SSE stream that stalls before the awaited response (deadline)',
    server: 'raw',
    spec: { timeoutMs: 300 },
    awaitResponse: true,
    raw: (s) => s.write(`${head('200 OK', ['content-type: text/event-stream'])}data: ${PROGRESS}\n\n`),
    want: { status: 200, kind: 'sse', events: 1, messages: 1, ended: false, error: 'response incomplete after 300 ms', timedOut: true },
  },
  // ---- malformed responses: refused by both parsers, in one wording ----
  {
    name: 'malformed status line',
    server: 'raw',
    raw: (s) => s.write('HTTX/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'),
    want: { status: 0, kind: 'empty', error: 'malformed response: status line' },
  },
  {
    name: 'a header line with no colon',
    server: 'raw',
    raw: (s) => s.write(head('200 OK', ['bogus', 'content-length: 0'])),
    want: { status: 0, kind: 'empty', error: 'malformed response: header line' },
  },
  {
    name: 'a Content-Length that is not a number',
    server: 'raw',
    raw: (s) => s.write(head('200 OK', ['content-length: 12abc'])),
    want: { status: 0, kind: 'empty', error: 'malformed response: Content-Length' },
  },
  {
    name: 'two Content-Length headers',
    server: 'raw',
    raw: (s) => s.write(`${head('200 OK', ['content-length: 2', 'content-length: 2'])}{}`),
    want: { status: 0, kind: 'empty', error: 'malformed response: Content-Length' },
  },
  {
    name: 'Content-Length and Transfer-Encoding together',
    server: 'raw',
    raw: (s) => s.write(`${head('200 OK', ['content-length: 2', 'transfer-encoding: chunked'])}2\r\n{}\r\n0\r\n\r\n`),
    want: { status: 0, kind: 'empty', error: 'malformed response: Content-Length' },
  },
  {
    name: 'a bad chunk size',
    server: 'raw',
    raw: (s) => s.write(`${head('200 OK', ['content-type: application/json', 'transfer-encoding: chunked'])}zz\r\n{}\r\n0\r\n\r\n`),
    want: { status: 200, kind: 'empty', ended: false, error: 'malformed response: chunked framing' },
  },
  {
    name: 'a protocol switch (101)',
    server: 'raw',
    raw: (s) => s.write(head('101 Switching Protocols', ['upgrade: x', 'connection: upgrade'])),
    want: { status: 0, kind: 'empty', error: 'unexpected protocol switch (101)' },
  },
];

/** The reply without what only one client can have (the wire entry) or what is a timing (`at`). */
function comparable(reply: HttpReply): Omit<HttpReply, 'entry'> {
  const { entry: _entry, ...rest } = reply;
  return { ...rest, events: reply.events.map(({ at: _at, ...event }) => event) };
}

function kindOf(reply: HttpReply): Want['kind'] {
  if (reply.events.length > 0 || reply.contentType.toLowerCase().includes('text/event-stream')) return 'sse';
  if (reply.body.length === 0) return 'empty';
  return /^\s*[[{]/.test(reply.body) ? 'json' : 'text';
}

function check(reply: HttpReply, want: Want): void {
  expect(reply.status).toBe(want.status);
  expect(kindOf(reply)).toBe(want.kind);
  if (want.messages !== undefined) expect(reply.messages).toHaveLength(want.messages);
  if (want.events !== undefined) expect(reply.events).toHaveLength(want.events);
  if (want.ended !== undefined) expect(reply.ended).toBe(want.ended);
  if (want.error === undefined) expect(reply.error).toBeUndefined();
  else if (typeof want.error === 'string') expect(reply.error).toBe(want.error);
  else expect(reply.error).toMatch(want.error);
  expect(reply.timedOut).toBe(want.timedOut);
  expect(reply.truncated).toBe(want.truncated);
  if (want.body !== undefined) expect(reply.body).toBe(want.body);
  if (want.headers !== undefined) expect(reply.headers).toMatchObject(want.headers);
}

// ---- the servers ----

let httpServer: Server;
let httpUrl: string;
let rawServer: TcpServer;
let rawUrl: string;
let silent: SilentServer;
const rawSockets = new Set<Socket>();
const byIndex = new Map(CASES.map((c, i) => [String(i), c]));

function caseOf(url: string | undefined): Case | undefined {
  return byIndex.get(new URL(url ?? '/', 'http://x').pathname.split('/')[2] ?? '');
}

async function listen(server: Server | TcpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** Requests on one raw connection, one after another (a client may reuse the socket). */
function serveRaw(socket: Socket): void {
  rawSockets.add(socket);
  socket.on('close', () => rawSockets.delete(socket));
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (c: Buffer) => {
    text += c.toString('latin1');
    for (;;) {
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      const target = /^[A-Z]+ (\S+)/.exec(text)?.[1];
      text = text.slice(end + 4 + length);
      caseOf(target)?.raw?.(socket);
    }
  });
}

beforeAll(async () => {
  httpServer = createServer((req, res) => {
    // a Date header could tick between the two clients' requests
    res.sendDate = false;
    req.resume();
    req.on('end', () => void caseOf(req.url)?.http?.(req, res));
  });
  httpUrl = await listen(httpServer);
  rawServer = createTcpServer(serveRaw);
  rawUrl = await listen(rawServer);
  silent = await startSilentServer();
});

afterAll(async () => {
  httpServer.closeAllConnections();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  for (const s of rawSockets) s.destroy();
  await new Promise<void>((resolve) => rawServer.close(() => resolve()));
  await silent.close();
  expect(await waitFor(() => openTcpHandles() === 0, 3000)).toBe(true);
});

async function urlFor(c: Case, index: number): Promise<string> {
  switch (c.server) {
    case 'http':
      return `${httpUrl}/case/${index}`;
    case 'raw':
      return `${rawUrl}/case/${index}`;
    case 'silent':
      return silent.url;
    case 'refused':
      return `http://127.0.0.1:${await unusedPort()}/mcp`;
  }
}

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
const awaitingId1: SendTuning = { untilMessage: (m) => isResponse(m) && m.id === 1 };

describe('HttpClient and FastHttpClient read every response the same way', () => {
  it('has a table worth the name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  CASES.forEach((c, index) => {
    it(c.name, async () => {
      const spec: HttpRequestSpec = {
        method: 'POST',
        url: await urlFor(c, index),
        headers: HEADERS,
        body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
        timeoutMs: 5_000,
        ...c.spec,
      };
      if (spec.body === undefined) delete spec.body;
      const tuning = c.awaitResponse ? awaitingId1 : undefined;
      // fresh clients: a socket one case left behind must not carry into the next
      const undici = new HttpClient();
      const fast = new FastHttpClient();
      try {
        const log = new WireLog();
        const viaUndici = await undici.send(spec, log, tuning);
        const pending = fast.trySend(spec, tuning);
        expect(pending, 'the lean client declined the request').toBeDefined();
        const viaFast = await pending!;
        expect(comparable(viaFast)).toEqual(comparable(viaUndici));
        check(viaUndici, c.want);
        // the evidence path recorded the exchange, and its note is the same failure text
        expect(log.entries()).toHaveLength(1);
        if (viaUndici.error !== undefined) expect(log.entries()[0]!.http!.error).toContain(viaUndici.error);
      } finally {
        await fast.close();
        await undici.close();
      }
    });
  });

  it('a request in flight when its client closes resolves with the same text on both', async () => {
    const spec: HttpRequestSpec = { method: 'POST', url: silent.url, headers: HEADERS, body: '{}', timeoutMs: 10_000 };
    const undici = new HttpClient();
    const fast = new FastHttpClient();
    const accepted = silent.accepted();
    const viaUndici = undici.send(spec, new WireLog());
    const viaFast = fast.trySend(spec)!;
    expect(await waitFor(() => silent.accepted() - accepted >= 2, 2000)).toBe(true);
    await Promise.all([undici.close(), fast.close()]);
    const [a, b] = await Promise.all([viaUndici, viaFast]);
    expect(comparable(b)).toEqual(comparable(a));
    check(a, { status: 0, kind: 'empty', error: CLIENT_CLOSED });
  });

  it('the lean client hands SSE messages to onMessage as they arrive, as undici does', async () => {
    const index = CASES.findIndex((c) => c.name === 'SSE read up to the awaited response, the stream left open');
    const url = `${httpUrl}/case/${index}`;
    const seen: Record<string, unknown[]> = { undici: [], fast: [] };
    const undici = new HttpClient();
    const fast = new FastHttpClient();
    try {
      const spec: HttpRequestSpec = { method: 'POST', url, headers: HEADERS, body: '{}' };
      await undici.send(spec, new WireLog(), { ...awaitingId1, onMessage: (m) => seen['undici']!.push(m) });
      await fast.trySend(spec, { ...awaitingId1, onMessage: (m) => seen['fast']!.push(m) });
      expect(seen['undici']).toHaveLength(2);
      expect(seen['fast']).toEqual(seen['undici']);
    } finally {
      await fast.close();
      await undici.close();
    }
  });
});
