/** The legacy HTTP+SSE driver (2024-11-05) against the v1 SDK's SSEServerTransport. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { createLegacySseDriver } from '../drivers/legacy-sse.js';
import { isNotification } from '../drivers/protocol.js';
import type { Driver, LegacySseSession } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import { openTcpHandles, type SdkLegacy, startSdkLegacy, startSilentServer } from './http-servers.js';

let server: SdkLegacy;
let driver: Driver;
let log: WireLog;

beforeAll(async () => {
  server = await startSdkLegacy();
  log = new WireLog();
  driver = createLegacySseDriver({ transport: 'sse', url: server.url }, log);
});

afterAll(async () => {
  await driver.close();
  await server.close();
  expect(await waitFor(() => openTcpHandles() === 0, 2000)).toBe(true);
});

describe('legacy HTTP+SSE driver against the v1 SDK', () => {
  it('resolves the endpoint event against the SSE URL, keeping its query, and initializes', async () => {
    const session = (await driver.open('2024-11-05')) as LegacySseSession;
    const endpoint = new URL(session.endpointUrl);
    expect(endpoint.origin).toBe(new URL(server.url).origin);
    expect(endpoint.pathname).toBe('/messages');
    expect(endpoint.searchParams.get('sessionId')).toMatch(/[0-9a-f-]{36}/);
    expect(session.stream.events[0]).toMatchObject({ event: 'endpoint' });
    expect(session.initializeResponse?.result).toMatchObject({ protocolVersion: '2024-11-05' });
    await session.close();
  });

  it('pairs responses on the stream with requests by id, with the POST status beside them', async () => {
    const session = await driver.open('2024-11-05');
    const ping = await session.request('ping');
    expect(ping.status).toBe(202);
    expect(ping.response).toMatchObject({ result: {} });
    const asString = await session.request('ping', undefined, { id: '1' });
    const asNumber = await session.request('ping', undefined, { id: 1 });
    expect(asString.response?.id).toBe('1');
    expect(asNumber.response?.id).toBe(1);
    const [a, b] = await Promise.all([session.request('ping', undefined, { id: 'a' }), session.request('ping', undefined, { id: 'b' })]);
    expect([a.response?.id, b.response?.id]).toEqual(['a', 'b']);
    await session.close();
  });

  it('collects progress notifications that arrive before the response', async () => {
    const session = await driver.open('2024-11-05');
    const reply = await session.request('tools/call', { name: 'progress', arguments: { steps: 2 } }, { meta: { progressToken: 7 } });
    expect(reply.response?.result).toBeDefined();
    const progress = reply.messages.filter((m) => isNotification(m) && m.method === 'notifications/progress');
    expect(progress.map((m) => (m.params as { progress: number }).progress)).toEqual([1, 2]);
    await session.close();
  });

  it('reports notify and raw sends with the POST status and what came back on the stream', async () => {
    const session = await driver.open('2024-11-05');
    const note = await session.notify('notifications/initialized', undefined, { timeoutMs: 200 });
    expect(note).toMatchObject({ status: 202, messages: [] });
    const raw = await session.sendRaw('{"jsonrpc":"2.0","id":"r","method":"harness/no_such"}');
    expect(raw.status).toBe(202);
    expect(raw.messages[0]).toMatchObject({ id: 'r', error: { code: -32601 } });
    const t0 = performance.now();
    const bad = await session.sendRaw('{bad', { timeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Invalid message');
    expect(bad.messages).toEqual([]);
    await session.close();
  });

  it('probes with a GET of the SSE URL that reads only the first event', async () => {
    const session = (await driver.open('2024-11-05')) as LegacySseSession;
    const mark = log.mark;
    const probe = await session.probe({ Origin: 'http://evil.example' });
    expect(probe.status).toBe(200);
    expect(probe.events).toHaveLength(1);
    expect(probe.events[0]!.event).toBe('endpoint');
    expect(probe.ended).toBe(false);
    expect(log.since(mark)[0]!.http!.requestHeaders).toEqual({ Accept: 'text/event-stream', Origin: 'http://evil.example' });
    await session.close();
  });

  it('closes the stream on close, and the server sees it go', async () => {
    const before = server.closedCount();
    const session = await driver.open('2024-11-05');
    await session.close();
    expect(await waitFor(() => server.closedCount() > before, 2000)).toBe(true);
  });

  it('refuses every revision but 2024-11-05', async () => {
    await expect(driver.open('2025-11-25')).rejects.toThrow(/2024-11-05/);
  });

  it('stops opening at once when the driver closes while the SSE URL never answers', async () => {
    const silent = await startSilentServer();
    const other = createLegacySseDriver({ transport: 'sse', url: silent.url }, new WireLog());
    const outcome = other.open('2024-11-05').then(
      () => 'opened',
      (err: Error) => err.message,
    );
    // the connect deadline is 10 s; closing the driver must not wait for it
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await other.close();
    expect(await outcome).toMatch(/did not open an event stream: closed by the harness/);
    expect(performance.now() - t0).toBeLessThan(1000);
    await silent.close();
  });
});
