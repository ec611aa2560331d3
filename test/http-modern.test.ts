/** The Streamable HTTP driver in its 2026-07-28 (stateless) shape, against a server that enforces the header rules. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { META } from '../drivers/protocol.js';
import type { Driver, HttpSession } from '../drivers/session.js';
import { createStreamableHttpDriver } from '../drivers/streamable-http.js';
import { WireLog } from '../drivers/wire-log.js';
import { type ModernServer, openTcpHandles, startModernServer } from './http-servers.js';

let server: ModernServer;
let driver: Driver;
let session: HttpSession;

beforeAll(async () => {
  server = await startModernServer();
  driver = createStreamableHttpDriver({ transport: 'http', url: server.url, headers: { 'X-Gateway': 'g' } }, new WireLog());
  session = (await driver.open('2026-07-28', { capabilities: { roots: {} } })) as HttpSession;
});

afterAll(async () => {
  await driver.close();
  await server.close();
  expect(await waitFor(() => openTcpHandles() === 0, 2000)).toBe(true);
});

describe('Streamable HTTP 2026-07-28', () => {
  it('opens without a handshake and sends the required _meta and headers on every request', async () => {
    expect(server.seen).toHaveLength(0);
    const reply = await session.request('server/discover', undefined, { meta: { 'x.test/marker': 1 } });
    expect(reply.status).toBe(200);
    expect(reply.response?.result).toMatchObject({ resultType: 'complete' });
    const seen = server.seen.at(-1)!;
    expect(seen.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(seen.headers['mcp-method']).toBe('server/discover');
    expect(seen.headers['mcp-name']).toBeUndefined();
    expect(seen.headers['x-gateway']).toBe('g');
    expect(JSON.parse(seen.body).params._meta).toEqual({
      [META.protocolVersion]: '2026-07-28',
      [META.clientCapabilities]: { roots: {} },
      [META.clientInfo]: { name: 'mcp-harness', version: '0.1.0' },
      'x.test/marker': 1,
    });
    expect(session.sessionId).toBeUndefined();
  });

  it('mirrors params.name into Mcp-Name, with the base64 sentinel when the name is not header-safe', async () => {
    const plain = await session.request('tools/call', { name: 'echo', arguments: {} });
    expect(plain.status).toBe(200);
    expect(server.seen.at(-1)!.headers['mcp-name']).toBe('echo');
    const accented = await session.request('tools/call', { name: 'café', arguments: {} });
    expect(accented.response?.result).toBeDefined();
    expect(server.seen.at(-1)!.headers['mcp-name']).toBe('=?base64?Y2Fmw6k=?=');
    // the SSE answer carried a log notification before the response
    expect(accented.messages.map((m) => m.method ?? 'response')).toEqual(['notifications/message', 'response']);
    expect(session.headersFor('resources/read', { uri: 'file:///x' })['Mcp-Name']).toBe('file:///x');
  });

  it('removes a header on request, so the server sees it missing', async () => {
    const reply = await session.request('tools/list', {}, { headers: { 'Mcp-Method': undefined } });
    expect(reply.status).toBe(400);
    expect(reply.response).toMatchObject({ error: { code: -32020 } });
    expect(server.seen.at(-1)!.headers['mcp-method']).toBeUndefined();
  });

  it('probes with server/discover and one header changed', async () => {
    expect((await session.probe({})).status).toBe(200);
    const probe = await session.probe({ 'MCP-Protocol-Version': '2025-11-25' });
    expect(probe.status).toBe(400);
    expect(probe.messages[0]).toMatchObject({ error: { code: -32020 } });
  });

  it('posts notifications with Mcp-Method and takes the method headers of a raw body from the body', async () => {
    const note = await session.notify('notifications/cancelled', { requestId: 1 });
    expect(note.status).toBe(202);
    expect(server.seen.at(-1)!.headers['mcp-method']).toBe('notifications/cancelled');
    const raw = await session.sendRaw(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 'raw',
        method: 'tools/call',
        params: { name: 'x', _meta: { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} } },
      }),
    );
    expect(raw.status).toBe(200);
    expect(server.seen.at(-1)!.headers['mcp-name']).toBe('x');
    const junk = await session.sendRaw('{bad');
    expect(junk.status).toBe(400);
    expect(server.seen.at(-1)!.headers['mcp-method']).toBeUndefined();
  });
});
