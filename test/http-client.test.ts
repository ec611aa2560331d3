import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../drivers/deadline.js';
import { HttpClient } from '../drivers/http-client.js';
import { WireLog } from '../drivers/wire-log.js';
import { openTcpHandles, type RawServer, type SilentServer, startRawServer, startSilentServer, unusedPort } from './http-servers.js';

let raw: RawServer;
let silent: SilentServer;
let client: HttpClient;

beforeAll(async () => {
  raw = await startRawServer();
  silent = await startSilentServer();
  client = new HttpClient();
});

afterAll(async () => {
  await client.close();
  await raw.close();
  await silent.close();
  expect(await waitFor(() => openTcpHandles() === 0, 2000)).toBe(true);
});

describe('HttpClient.send', () => {
  it('resolves with status 0 and timedOut within the deadline when the server never answers', async () => {
    const log = new WireLog();
    const t0 = performance.now();
    const reply = await client.send({ method: 'POST', url: silent.url, headers: {}, body: '{}', timeoutMs: 300 }, log);
    const elapsed = performance.now() - t0;
    expect(reply.status).toBe(0);
    expect(reply.timedOut).toBe(true);
    expect(reply.error).toMatch(/no response within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
    expect(silent.accepted()).toBeGreaterThan(0);
    expect(reply.entry?.http?.error).toMatch(/no response/);
  });

  it('resolves with status 0 and the reason when the connection is refused', async () => {
    const port = await unusedPort();
    const reply = await client.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }, new WireLog());
    expect(reply.status).toBe(0);
    expect(reply.error).toMatch(/ECONNREFUSED/);
    expect(reply.timedOut).toBeUndefined();
  });

  it('sends exactly the given headers, with Host overridable', async () => {
    const reply = await client.send(
      { method: 'POST', url: `${raw.url}/echo`, headers: { Host: 'evil.example', 'X-Probe': 'one' }, body: 'hi' },
      new WireLog(),
    );
    const echoed = JSON.parse(reply.body) as { headers: Record<string, string>; body: string };
    expect(echoed.headers['host']).toBe('evil.example');
    expect(echoed.headers['x-probe']).toBe('one');
    expect(echoed.body).toBe('hi');
    // undici's own additions, documented in http-client.ts
    expect(Object.keys(echoed.headers).sort()).toEqual(['connection', 'content-length', 'host', 'x-probe']);
  });

  it('reports a header undici refuses to send as status 0 with the reason', async () => {
    const reply = await client.send({ method: 'GET', url: `${raw.url}/echo`, headers: { 'X-Bad': 'a\r\nb' } }, new WireLog());
    expect(reply.status).toBe(0);
    expect(reply.error).toMatch(/invalid X-Bad header/);
  });

  it('stops an endless SSE response after readMs, with ended=false and no error', async () => {
    const t0 = performance.now();
    const reply = await client.send({ method: 'GET', url: `${raw.url}/endless`, headers: {}, readMs: 200 }, new WireLog());
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(reply.status).toBe(200);
    expect(reply.ended).toBe(false);
    expect(reply.error).toBeUndefined();
    expect(reply.events.length).toBeGreaterThan(0);
    expect(reply.messages.length).toBe(reply.events.length);
  });

  it('stops after maxEvents, and when `until` says so', async () => {
    const five = await client.send({ method: 'GET', url: `${raw.url}/endless`, headers: {}, maxEvents: 5 }, new WireLog());
    expect(five.events).toHaveLength(5);
    const until = await client.send({ method: 'GET', url: `${raw.url}/endless`, headers: {}, until: (e) => e.id === '2' }, new WireLog());
    expect(until.events.map((e) => e.id)).toEqual(['0', '1', '2']);
  });

  it('reads at most maxBytes of a huge body and marks it truncated', async () => {
    const reply = await client.send({ method: 'GET', url: `${raw.url}/huge`, headers: {}, maxBytes: 1 << 20 }, new WireLog());
    expect(reply.status).toBe(200);
    expect(reply.truncated).toBe(true);
    expect(reply.ended).toBe(false);
    expect(reply.body.length).toBe(1 << 20);
  });

  it('parses an SSE body to its end: priming event, comments, CRLF, multi-line data', async () => {
    const reply = await client.send({ method: 'GET', url: `${raw.url}/sse-then-end`, headers: {} }, new WireLog());
    expect(reply.ended).toBe(true);
    expect(reply.events.map((e) => [e.id, e.event, e.data])).toEqual([
      ['prime-1', undefined, ''],
      [undefined, 'message', '{"jsonrpc":"2.0","id":1,\n"result":{}}'],
      [undefined, undefined, 'tail'],
    ]);
    expect(reply.messages).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('records one wire-log entry per exchange, and nothing when the log is off', async () => {
    const on = new WireLog();
    const reply = await client.send({ method: 'GET', url: `${raw.url}/echo`, headers: { Authorization: 'Bearer secret' } }, on);
    expect(on.entries()).toHaveLength(1);
    const http = on.entries()[0]!.http!;
    expect(http.status).toBe(200);
    expect(http.requestHeaders['Authorization']).toBe('Bearer <redacted 6 chars>');
    expect(http.responseBody).toContain('"method":"GET"');
    expect(http.durationMs).toBeGreaterThanOrEqual(0);
    expect(on.entries()[0]!.summary).toBe('GET /echo -> 200');
    expect(reply.entry).toBe(on.entries()[0]);

    const off = new WireLog({ enabled: false });
    const quiet = await client.send({ method: 'GET', url: `${raw.url}/echo`, headers: {} }, off);
    expect(quiet.status).toBe(200);
    expect(quiet.entry).toBeUndefined();
    expect(off.entries()).toHaveLength(0);
  });
});

describe('HttpClient.openStream', () => {
  it('resolves at the headers, then next() walks the events without missing early ones', async () => {
    const stream = await client.openStream({ method: 'GET', url: `${raw.url}/endless`, headers: {} }, new WireLog());
    expect(stream.status).toBe(200);
    const first = await stream.next(2000);
    expect(first?.id).toBe('0');
    const third = await stream.next(2000, (e) => e.id === '3');
    expect(third?.id).toBe('3');
    const after = await stream.next(2000);
    expect(after?.id).toBe('4');
    await stream.close();
    expect(stream.ended).toBe(false);
    const count = stream.events.length;
    expect(await stream.next(50)).toBeUndefined();
    expect(stream.events.length).toBe(count);
  });

  it('reads a response that is not SSE to its end before resolving', async () => {
    const log = new WireLog();
    const stream = await client.openStream({ method: 'GET', url: `${raw.url}/echo`, headers: {} }, log);
    expect(stream.status).toBe(200);
    expect(stream.ended).toBe(true);
    expect(log.entries()[0]!.http!.responseBody).toContain('"method":"GET"');
  });

  it('gives status 0 and the reason when the stream cannot open', async () => {
    const stream = await client.openStream({ method: 'GET', url: silent.url, headers: {}, timeoutMs: 200 }, new WireLog());
    expect(stream.status).toBe(0);
    expect(stream.error).toMatch(/no response within 200 ms/);
    expect(await stream.next(10)).toBeUndefined();
  });
});
