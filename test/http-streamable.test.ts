/**
 * The Streamable HTTP driver (2025 shape) against the official v1 SDK server transport, in both
 * of its response modes (SSE streams and JSON bodies).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { HttpClient } from '../drivers/http-client.js';
import { isNotification } from '../drivers/protocol.js';
import type { Driver, HttpSession } from '../drivers/session.js';
import { createStreamableHttpDriver } from '../drivers/streamable-http.js';
import { WireLog } from '../drivers/wire-log.js';
import { openTcpHandles, type SdkStreamable, startSdkStreamable, startSilentServer } from './http-servers.js';

const opened: Array<{ close(): Promise<void> }> = [];

async function setup(jsonResponse: boolean): Promise<{ server: SdkStreamable; driver: Driver; log: WireLog }> {
  const server = await startSdkStreamable({ jsonResponse, dnsProtection: true });
  const log = new WireLog();
  const driver = createStreamableHttpDriver({ transport: 'http', url: server.url }, log);
  opened.push(driver, server);
  return { server, driver, log };
}

afterAll(async () => {
  // drivers before servers, so that a DELETE still finds its server
  for (const thing of opened) await thing.close();
  expect(await waitFor(() => openTcpHandles() === 0, 2000)).toBe(true);
});

describe.each([
  ['SSE responses', false],
  ['JSON responses', true],
])('Streamable HTTP 2025-11-25 against the v1 SDK (%s)', (_mode, jsonResponse) => {
  it('initializes, keeps the session id, pings, and carries the negotiated version', async () => {
    const { driver, log } = await setup(jsonResponse);
    const session = (await driver.open('2025-11-25')) as HttpSession;
    expect(session.sessionId).toMatch(/^[\x21-\x7E]+$/);
    expect(session.initializeResponse?.result).toMatchObject({ protocolVersion: '2025-11-25' });
    const mark = log.mark;
    const ping = await session.request('ping');
    expect(ping.status).toBe(200);
    expect(ping.timedOut).toBe(false);
    expect(ping.response).toMatchObject({ jsonrpc: '2.0', result: {} });
    const sent = log.since(mark)[0]!.http!.requestHeaders;
    expect(sent['Mcp-Session-Id']).toBe(session.sessionId);
    expect(sent['MCP-Protocol-Version']).toBe('2025-11-25');
    expect(sent['Accept']).toBe('application/json, text/event-stream');
    expect(session.headersFor('ping')).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'Mcp-Session-Id': session.sessionId,
      'MCP-Protocol-Version': '2025-11-25',
    });
    await session.close();
  });

  it('returns the response of a tool that reports progress, with the progress before it on SSE', async () => {
    const { driver } = await setup(jsonResponse);
    const session = await driver.open('2025-11-25');
    const reply = await session.request('tools/call', { name: 'progress', arguments: { steps: 3 } }, { meta: { progressToken: 'p1' } });
    expect(reply.response?.result).toEqual({ content: [{ type: 'text', text: 'done progress' }] });
    const progress = reply.messages.filter((m) => isNotification(m) && m.method === 'notifications/progress');
    // the SDK drops request-related notifications when it answers with JSON
    expect(progress).toHaveLength(jsonResponse ? 0 : 3);
    expect(reply.messages.at(-1)).toBe(reply.response);
    expect(session.received).toContain(reply.response);
    await session.close();
  });

  it('keeps the id type of a string "1" and a number 1', async () => {
    const { driver } = await setup(jsonResponse);
    const session = await driver.open('2025-11-25');
    const asString = await session.request('ping', undefined, { id: '1' });
    const asNumber = await session.request('ping', undefined, { id: 1 });
    expect(asString.response?.id).toBe('1');
    expect(asNumber.response?.id).toBe(1);
    await session.close();
  });

  it('answers a notification with 202, and bad JSON with 400 and an id-less parse error', async () => {
    const { driver } = await setup(jsonResponse);
    const session = await driver.open('2025-11-25');
    const note = await session.notify('notifications/initialized');
    expect(note.status).toBe(202);
    expect(note.body).toBe('');
    expect(note.messages).toEqual([]);
    const bad = await session.sendRaw('{bad');
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/application\/json/);
    expect(bad.messages[0]).toMatchObject({ id: null, error: { code: -32700 } });
    await session.close();
  });

  it('changes exactly one header per probe: Origin, Host, the session id', async () => {
    const { driver, log, server } = await setup(jsonResponse);
    const session = (await driver.open('2025-11-25')) as HttpSession;
    expect((await session.probe({})).status).toBe(200);
    expect((await session.probe({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await session.probe({ Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    const host = await session.probe({ Host: 'evil.example' });
    expect(host.status).toBe(403);
    expect(host.body).toContain('Invalid Host header: evil.example');

    const mark = log.mark;
    const missing = await session.probe({ 'Mcp-Session-Id': undefined });
    expect(missing.status).toBe(400);
    const sent = log.since(mark)[0]!.http!.requestHeaders;
    expect(Object.keys(sent).map((k) => k.toLowerCase())).not.toContain('mcp-session-id');
    expect(sent['MCP-Protocol-Version']).toBe('2025-11-25');

    const unknown = await session.probe({ 'mcp-session-id': 'never-issued' });
    expect(unknown.status).toBe(404);
    const request = await session.request('ping', undefined, { headers: { 'MCP-Protocol-Version': '1900-01-01' } });
    expect(request.status).toBe(400);
    await session.close();
  });

  it('sends DELETE with the session id on close, after which the id is unknown', async () => {
    const { driver, log, server } = await setup(jsonResponse);
    const session = (await driver.open('2025-11-25')) as HttpSession & { deleteStatus?: number };
    const id = session.sessionId!;
    const headers = session.headersFor('ping');
    await session.close();
    expect(session.deleteStatus).toBe(200);
    expect(server.closedSessions.has(id)).toBe(true);
    const del = log.entries().find((e) => e.http?.method === 'DELETE')!.http!;
    expect(del.requestHeaders['Mcp-Session-Id']).toBe(id);
    const client = new HttpClient();
    const after = await client.send({ method: 'POST', url: server.url, headers, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' }, log);
    await client.close();
    expect(after.status).toBe(404);
  });

  it('lets a check handshake itself and continues in the session it got', async () => {
    const { driver } = await setup(jsonResponse);
    const session = (await driver.open('2025-06-18', { initialize: false })) as HttpSession;
    expect(session.sessionId).toBeUndefined();
    expect(session.headersFor()['Mcp-Session-Id']).toBeUndefined();
    const init = await session.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 't', version: '0' },
    });
    expect(init.response?.result).toBeDefined();
    expect(session.sessionId).toBeDefined();
    expect(session.headersFor()['MCP-Protocol-Version']).toBe('2025-06-18');
    expect((await session.notify('notifications/initialized')).status).toBe(202);
    expect((await session.request('ping')).status).toBe(200);
    await session.close();
  });

  it('opens a GET stream with the session headers; the SDK refuses a second one', async () => {
    const { driver } = await setup(jsonResponse);
    const session = (await driver.open('2025-11-25')) as HttpSession;
    const headers: Record<string, string> = { ...session.headersFor(), Accept: 'text/event-stream' };
    delete headers['Content-Type'];
    const first = await session.openStream({ method: 'GET', headers });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/event-stream/);
    const second = await session.openStream({ method: 'GET', headers });
    expect(second.status).toBe(409);
    await session.close();
    // closed with the session (the SDK may end it first, on the DELETE): nothing more arrives
    const count = first.events.length;
    expect(await first.next(100, () => false)).toBeUndefined();
    expect(first.events.length).toBe(count);
  });
});

describe('Streamable HTTP driver edge cases', () => {
  it('refuses 2024-11-05, which has no Streamable HTTP', async () => {
    const log = new WireLog();
    const driver = createStreamableHttpDriver({ transport: 'http', url: 'http://127.0.0.1:9/mcp' }, log);
    await expect(driver.open('2024-11-05')).rejects.toThrow(/legacy HTTP\+SSE/);
    await driver.close();
  });

  it('gives a timed-out reply, not a hang, when the server never answers', async () => {
    const silent = await startSilentServer();
    const driver = createStreamableHttpDriver({ transport: 'http', url: silent.url }, new WireLog());
    const session = await driver.open('2025-11-25', { initialize: false });
    const t0 = performance.now();
    const reply = await session.request('ping', undefined, { timeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(reply).toMatchObject({ status: 0, timedOut: true, messages: [] });
    await driver.close();
    await silent.close();
  });

  it('fails open() with the evidence when initialize is refused', async () => {
    const silent = await startSilentServer();
    await silent.close();
    const driver = createStreamableHttpDriver({ transport: 'http', url: silent.url }, new WireLog());
    await expect(driver.open('2025-11-25')).rejects.toThrow(/initialize failed: HTTP 0/);
    await driver.close();
  });
});
