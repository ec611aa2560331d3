/**
 * The minimal node:http server for calibration: every POST gets a fixed JSON-RPC result
 * (`{}`, or a valid initialize result) with the request's id; notifications get 202. Bare
 * node:http, no framework, no sessions: the ceiling that an MCP server over HTTP on this
 * machine can approach, and what both autocannon and the engine load side by side.
 *
 * Run as a child with an IPC channel: it listens on 127.0.0.1, a free port, and sends
 * { url } to its parent. It exits when the parent disconnects.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const INIT = '{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"fixed","version":"0"}}';

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let msg: { id?: unknown; method?: unknown };
    try {
      msg = JSON.parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const body = `{"jsonrpc":"2.0","id":${JSON.stringify(msg.id)},"result":${msg.method === 'initialize' ? INIT : '{}'}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/mcp`;
  if (process.send) process.send({ url });
  else process.stdout.write(`${url}\n`);
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.on('SIGTERM', () => process.exit(0));
