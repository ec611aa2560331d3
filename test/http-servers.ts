/**
 * Small real servers for the HTTP driver tests, each on 127.0.0.1 port 0, each closing every
 * socket it accepted: the official v1 SDK's Streamable HTTP and SSE server transports (what the
 * drivers must interoperate with), a hand-written 2026-07-28 endpoint, and hostile servers (one
 * that never answers, an endless SSE stream, a huge body).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;

/** A v1 low-level Server with one tool, `progress`, that reports progress `steps` times when given a token. */
function mcpServer(): Server {
  const server = new Server({ name: 'http-driver-test', version: '0.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'progress', inputSchema: { type: 'object', properties: { steps: { type: 'number' } } } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const steps = Number(request.params.arguments?.['steps'] ?? 3);
    const token = request.params._meta?.progressToken;
    if (token !== undefined) {
      for (let i = 1; i <= steps; i++) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: steps },
        });
      }
    }
    return { content: [{ type: 'text', text: `done ${request.params.name}` }] };
  });
  return server;
}

async function listen(server: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function closeHttp(server: HttpServer): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function isInitialize(value: unknown): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.some((m) => m && typeof m === 'object' && (m as { method?: unknown }).method === 'initialize');
}

export interface SdkStreamableOptions {
  jsonResponse: boolean;
  /** the SDK's DNS-rebinding protection with this server's own Host and Origin allowed */
  dnsProtection?: boolean;
}

export interface SdkStreamable extends Running {
  /** session ids whose transport has closed (DELETE honoured) */
  readonly closedSessions: ReadonlySet<string>;
  readonly openSessions: () => number;
}

/**
 * The v1 SDK's stateful StreamableHTTPServerTransport, one transport and Server per session.
 * Routing is the only hand-written part: an initialize without a session header makes a session,
 * a known session id goes to its transport, and anything else goes to the newest transport, so
 * that the SDK itself answers a missing or unknown session id.
 */
export async function startSdkStreamable(options: SdkStreamableOptions): Promise<SdkStreamable> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const closedSessions = new Set<string>();
  const servers = new Set<Server>();
  let newest: StreamableHTTPServerTransport | undefined;
  let port = 0;

  const newTransport = async (): Promise<StreamableHTTPServerTransport> => {
    const protection = options.dnsProtection
      ? {
          enableDnsRebindingProtection: true,
          allowedHosts: [`127.0.0.1:${port}`],
          allowedOrigins: [`http://127.0.0.1:${port}`],
        }
      : {};
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.jsonResponse,
      onsessioninitialized: (id) => {
        transports.set(id, transport);
      },
      onsessionclosed: (id) => {
        transports.delete(id);
        closedSessions.add(id);
      },
      ...protection,
    });
    const server = mcpServer();
    servers.add(server);
    await server.connect(transport);
    newest = transport;
    return transport;
  };

  const http = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sessionHeader = req.headers['mcp-session-id'];
    const sessionId = typeof sessionHeader === 'string' ? sessionHeader : undefined;
    if (sessionId !== undefined) {
      // the SDK reads the body itself, so it reports bad JSON in its own words
      await (transports.get(sessionId) ?? newest ?? (await newTransport())).handleRequest(req, res);
      return;
    }
    // without a session header, only the body says whether this starts a session
    let parsed: unknown;
    const text = req.method === 'POST' ? await readBody(req) : '';
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    const transport = isInitialize(parsed) ? await newTransport() : (newest ?? (await newTransport()));
    await transport.handleRequest(req, res, req.method === 'POST' ? parsed : undefined);
  };
  port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    closedSessions,
    openSessions: () => transports.size,
    async close() {
      await Promise.all([...servers].map((s) => s.close()));
      await closeHttp(http);
    },
  };
}

export interface SdkLegacy extends Running {
  readonly sessions: () => number;
  /** sessions whose stream the server saw close */
  readonly closedCount: () => number;
}

/** The v1 SDK's deprecated SSEServerTransport: GET /sse, POST /messages?sessionId=… */
export async function startSdkLegacy(): Promise<SdkLegacy> {
  const transports = new Map<string, SSEServerTransport>();
  const servers = new Set<Server>();
  let closed = 0;
  const http = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      transport.onclose = () => {
        if (transports.delete(transport.sessionId)) closed++;
      };
      const server = mcpServer();
      servers.add(server);
      await server.connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (!transport) {
        res.writeHead(404).end('unknown session');
        return;
      }
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  };
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/sse`,
    port,
    sessions: () => transports.size,
    closedCount: () => closed,
    async close() {
      await Promise.all([...servers].map((s) => s.close()));
      await closeHttp(http);
    },
  };
}

export interface SeenRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ModernServer extends Running {
  readonly seen: readonly SeenRequest[];
}

const MODERN = '2026-07-28';

/**
 * A hand-written 2026-07-28 endpoint that enforces the header rules the driver must follow:
 * MCP-Protocol-Version equal to `_meta`, Mcp-Method equal to the method, Mcp-Name (decoded from
 * the base64 sentinel) equal to params.name/uri. Answers server/discover and tools/call.
 */
export async function startModernServer(): Promise<ModernServer> {
  const seen: SeenRequest[] = [];
  const http = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      answerModern(req, body, res);
    });
  });
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    seen,
    close: () => closeHttp(http),
  };
}

function answerModern(req: IncomingMessage, body: string, res: ServerResponse): void {
  const answer = modernAnswer(req, body);
  if (typeof answer === 'number') {
    res.writeHead(answer).end();
  } else if (answer.sse) {
    // an SSE answer, so the modern shape is exercised over both media types
    res.writeHead(answer.status, { 'content-type': 'text/event-stream' });
    res.end(answer.sse.map((m) => `data: ${JSON.stringify(m)}\n\n`).join(''));
  } else {
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
  }
}

type ModernAnswer = number | { status: number; json?: unknown; sse?: unknown[] };

function modernAnswer(req: IncomingMessage, body: string): ModernAnswer {
  const error = (status: number, id: unknown, code: number, message: string): ModernAnswer => ({
    status,
    json: { jsonrpc: '2.0', id: id ?? null, error: { code, message } },
  });
  if (req.method !== 'POST') return 405;
  let message: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
  try {
    message = JSON.parse(body);
  } catch {
    return error(400, null, -32700, 'parse error');
  }
  if (!('id' in message)) return 202;
  const meta = (message.params?.['_meta'] ?? {}) as Record<string, unknown>;
  if (req.headers['mcp-protocol-version'] !== MODERN) return error(400, message.id, -32020, 'MCP-Protocol-Version');
  if (meta['io.modelcontextprotocol/protocolVersion'] !== MODERN) return error(400, message.id, -32020, '_meta protocolVersion');
  if (meta['io.modelcontextprotocol/clientCapabilities'] === undefined) {
    return error(400, message.id, -32602, 'clientCapabilities');
  }
  if (req.headers['mcp-method'] !== message.method) return error(400, message.id, -32020, 'Mcp-Method');
  const named = message.method === 'tools/call' ? message.params?.['name'] : undefined;
  if (named !== undefined && decodeSentinel(String(req.headers['mcp-name'] ?? '')) !== named) {
    return error(400, message.id, -32020, 'Mcp-Name');
  }
  if (message.method === 'server/discover') {
    const result = { resultType: 'complete', supportedVersions: [MODERN], capabilities: { tools: {} } };
    return { status: 200, json: { jsonrpc: '2.0', id: message.id, result } };
  }
  if (message.method === 'tools/call') {
    return {
      status: 200,
      sse: [
        { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
        { jsonrpc: '2.0', id: message.id, result: { content: [] } },
      ],
    };
  }
  return error(404, message.id, -32601, 'method not found');
}

function decodeSentinel(value: string): string {
  const m = /^=\?base64\?(.*)\?=$/.exec(value);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value;
}

export interface SilentServer extends Running {
  readonly accepted: () => number;
}

/** Accepts TCP connections and never answers a byte. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/mcp`,
    port: address.port,
    accepted: () => accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawServer extends Running {
  /** requests seen, with their headers as Node received them */
  readonly seen: readonly SeenRequest[];
}

/**
 * A server for raw client tests, by path:
 * /endless: an SSE stream writing an event every 2 ms until the client leaves;
 * /huge: a 64 MiB text body streamed in 64 KiB chunks, stopping when the client leaves;
 * /echo: a JSON body with the request's method, headers and body;
 * /sse-then-end: three events (a priming one with empty data first), then the end.
 */
export async function startRawServer(): Promise<RawServer> {
  const seen: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const http = createServer((req, res) => {
    void readBody(req).then((body) => {
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let n = 0;
        const timer = setInterval(() => {
          res.write(`id: ${n}\ndata: {"jsonrpc":"2.0","method":"tick","params":{"n":${n++}}}\n\n`);
        }, 2);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      if (path === '/huge') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let left = 1024;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            left--;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      if (path === '/sse-then-end') {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        res.write('id: prime-1\ndata:\n\n');
        res.write(': keep-alive\r\n\r\n');
        res.write(`event: message\r\ndata: {"jsonrpc":"2.0","id":1,\r\ndata: "result":{}}\r\n\r\n`);
        res.end('data: tail\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
    });
  });
  const port = await listen(http);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      for (const t of timers) clearInterval(t);
      await closeHttp(http);
    },
  };
}

/** A port with nothing listening on it (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Sockets and servers still open in this process (TCP only): the tests end with none of theirs. */
export function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length;
}
