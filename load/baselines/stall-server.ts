/**
 * A node:http JSON-RPC server that stalls for `stallMs` once every `periodMs`: any answer that
 * would go out during a stall is held until the stall ends, as if the process were paused (a GC
 * pause, a blocked event loop). It answers initialize like an MCP server and everything else
 * with an empty result, so the same server works through the Streamable HTTP driver.
 * Loopback only; close() ends every socket.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StallServer {
  url: string;
  close(): Promise<void>;
}

export async function startStallServer(opts: { periodMs?: number; stallMs?: number } = {}): Promise<StallServer> {
  const periodMs = opts.periodMs ?? 1000;
  const stallMs = opts.stallMs ?? 100;
  const origin = performance.now();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let id: unknown = null;
      let method: unknown;
      try {
        const msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown; method?: unknown };
        id = msg.id;
        method = msg.method;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const result =
        method === 'initialize'
          ? { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'stall', version: '0' } }
          : {};
      const body = JSON.stringify({ jsonrpc: '2.0', id, result });
      const respond = (): void => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      };
      const phase = (performance.now() - origin) % periodMs;
      if (phase < stallMs) setTimeout(respond, stallMs - phase);
      else respond();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
