/**
 * The legacy HTTP+SSE reference servers (SDK-based and hand-written), probed over real sockets
 * with undici: the clean behaviour, then each fault's defect as it shows on the wire.
 */
import { Agent, request } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { start as startMinimal } from '../reference-servers/minimal/legacy-sse.js';
import { start as startSdk } from '../reference-servers/sdk/legacy-sse.js';
import type { RunningServer, ServeOptions } from '../reference-servers/start.js';
import type { FaultName } from '../reference-servers/faults/index.js';

const agent = new Agent({ keepAliveTimeout: 100 });
const WAIT_MS = 3000;

interface SseEvent {
  event: string;
  data: string;
}

class EventStream {
  readonly events: SseEvent[] = [];
  ended = false;
  private buffer = '';
  private wake: (() => void) | undefined;
  private readonly pump: Promise<void>;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly contentType: string | undefined,
    body: AsyncIterable<Buffer>,
    private readonly abort: AbortController,
  ) {
    this.pump = (async () => {
      try {
        for await (const chunk of body) this.feed(chunk.toString('utf8'));
      } catch {
        // aborted by close()
      }
      this.ended = true;
      this.wake?.();
    })();
  }

  private feed(text: string): void {
    this.buffer += text.replace(/\r\n?/g, '\n');
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
    }
    this.wake?.();
  }

  /** The first event (in arrival order) that matches, waiting up to `ms`. */
  async waitFor(match: (e: SseEvent) => boolean, ms = WAIT_MS): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  messages(): JsonRpcMessage[] {
    return this.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as JsonRpcMessage);
  }

  async message(match: (m: JsonRpcMessage) => boolean, ms = WAIT_MS): Promise<JsonRpcMessage> {
    const e = await this.waitFor((ev) => ev.event === 'message' && match(JSON.parse(ev.data) as JsonRpcMessage), ms);
    return JSON.parse(e.data) as JsonRpcMessage;
  }

  response(id: unknown, ms = WAIT_MS): Promise<JsonRpcMessage> {
    return this.message((m) => m.method === undefined && 'id' in m && m.id === id, ms);
  }

  async endpoint(): Promise<string> {
    const e = await this.waitFor((ev) => ev.event === 'endpoint');
    return new URL(e.data, this.url).href;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.pump;
  }
}

const opened: EventStream[] = [];
const servers: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => agent.close());

async function openStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const res = await request(url, {
    method: 'GET',
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
    dispatcher: agent,
  });
  const type = res.headers['content-type'];
  const stream = new EventStream(url, res.statusCode, typeof type === 'string' ? type : undefined, res.body, abort);
  opened.push(stream);
  return stream;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher: agent,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

const INIT_PARAMS = { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'test', version: '0' } };

type Start = (opts: ServeOptions) => Promise<RunningServer>;

function fixture(start: Start) {
  async function serve(faults: FaultName[] = []): Promise<RunningServer & { url: string; port: number }> {
    const server = await start({ faults: new Set(faults), host: '127.0.0.1', port: 0 });
    servers.push(server);
    const url = server.url!;
    return { ...server, url, port: Number(new URL(url).port) };
  }

  /** A server with an open stream, its endpoint, and an initialized session. */
  async function connect(faults: FaultName[] = [], initialize = true) {
    const server = await serve(faults);
    const stream = await openStream(server.url);
    const endpoint = await stream.endpoint();
    const send = (body: unknown, headers?: Record<string, string>) => post(endpoint, body, headers);
    const call = async (id: unknown, method: string, params?: unknown) => {
      const msg: Record<string, unknown> = { jsonrpc: '2.0', id, method };
      if (params !== undefined) msg.params = params;
      const { status } = await send(msg);
      expect(status).toBe(202);
      return stream.response(id);
    };
    if (initialize) {
      await call('init', 'initialize', INIT_PARAMS);
      expect((await send({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    }
    return { server, stream, endpoint, send, call };
  }

  return { serve, connect };
}

describe.each([
  ['sdk-sse', startSdk],
  ['min-sse', startMinimal],
] as const)('%s', (_kind, start) => {
  const { serve, connect } = fixture(start);

  describe('clean', () => {
    it('opens an event stream whose first event is the endpoint', async () => {
      const server = await serve();
      const stream = await openStream(server.url);
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      await stream.endpoint();
      expect(stream.events[0]!.event).toBe('endpoint');
      expect(stream.events[0]!.data).toMatch(/^\/messages\?sessionId=[0-9a-f-]{36}$/);
    });

    it('answers initialize as a message event with the same id, after a 202', async () => {
      const { stream, send } = await connect([], false);
      const { status } = await send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT_PARAMS });
      expect(status).toBe(202);
      const res = await stream.response(1);
      const result = res.result as { protocolVersion: string; serverInfo: { name: string }; capabilities: unknown };
      expect(res.jsonrpc).toBe('2.0');
      expect(result.protocolVersion).toBe('2024-11-05');
      expect(result.serverInfo.name).toBe('mcp-harness-reference');
      expect(result.capabilities).toHaveProperty('tools');
    });

    it('answers ping with an empty result, keeping the id type', async () => {
      const { call } = await connect();
      expect((await call('1', 'ping')).result).toEqual({});
      expect((await call(0, 'ping')).result).toEqual({});
    });

    it('lists and calls tools', async () => {
      const { call } = await connect();
      const list = (await call(2, 'tools/list')).result as { tools: Array<{ name: string }> };
      expect(list.tools.map((t) => t.name)).toContain('echo');
      const res = await call(3, 'tools/call', { name: 'echo', arguments: { text: 'héllo ✓' } });
      expect(res.result).toEqual({ content: [{ type: 'text', text: 'héllo ✓' }] });
      const missing = await call(4, 'tools/call', { name: '__missing__', arguments: {} });
      expect(missing.error).toMatchObject({ code: -32602 });
    });

    it('sends progress notifications before the result', async () => {
      const { stream, call } = await connect();
      const res = await call(5, 'tools/call', {
        name: 'progress',
        arguments: { steps: 3, intervalMs: 1 },
        _meta: { progressToken: 'tok' },
      });
      expect(res.result).toBeDefined();
      const progress = stream.messages().filter((m) => m.method === 'notifications/progress');
      expect(progress.map((m) => (m.params as { progress: number }).progress)).toEqual([1, 2, 3]);
      expect(progress.every((m) => (m.params as { progressToken: unknown }).progressToken === 'tok')).toBe(true);
      const order = stream.messages();
      expect(order.findIndex((m) => m.id === 5)).toBeGreaterThan(order.findIndex((m) => m.method === 'notifications/progress'));
    });

    it('stops a cancelled call without answering it', async () => {
      const { stream, send, call } = await connect();
      const slow = { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'slow', arguments: { ms: 300 } } };
      expect((await send(slow)).status).toBe(202);
      await new Promise((r) => setTimeout(r, 50));
      const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 6, reason: 'test' } };
      expect((await send(cancel)).status).toBe(202);
      await call(7, 'ping');
      // past the moment the call would have finished had it not been stopped
      await new Promise((r) => setTimeout(r, 400));
      expect(stream.messages().some((m) => m.id === 6)).toBe(false);
    });

    it('sends -32700 with id null on the stream for unparseable input, and acknowledges 202', async () => {
      const { stream, send } = await connect();
      expect((await send('{"jsonrpc":"2.0","id":1,')).status).toBe(202);
      const err = await stream.message((m) => 'error' in m);
      expect(err).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    });

    it.each([
      ['jsonrpc 1.0', { jsonrpc: '1.0', id: 21, method: 'ping' }, 21],
      ['non-string method', { jsonrpc: '2.0', id: 22, method: 7 }, 22],
      ['object id', { jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }, null],
      ['null id', { jsonrpc: '2.0', id: null, method: 'ping' }, null],
      ['batch', [{ jsonrpc: '2.0', id: 24, method: 'ping' }], null],
    ])('sends -32600 on the stream for an invalid request (%s), and acknowledges 202', async (_name, body, id) => {
      const { stream, send } = await connect();
      expect((await send(body)).status).toBe(202);
      const err = await stream.message((m) => 'error' in m);
      expect(err).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600 } });
      expect(stream.messages().some((m) => 'result' in m && m.id !== 'init')).toBe(false);
    });

    it('answers an unknown method with -32601 and a notification with nothing', async () => {
      const { stream, send, call } = await connect();
      expect((await call(23, 'harness/no_such')).error).toMatchObject({ code: -32601 });
      expect((await send({ jsonrpc: '2.0', method: 'notifications/harness/unknown' })).status).toBe(202);
      await call(24, 'ping');
      expect(
        stream
          .messages()
          .filter((m) => 'id' in m && m.method === undefined)
          .map((m) => m.id),
      ).toEqual(['init', 23, 24]);
    });

    it('answers 404 for an unknown session, 400 for a missing one, 415 for a non-JSON body type', async () => {
      const { server, send } = await connect([], false);
      const base = new URL(server.url);
      expect((await post(new URL('/messages?sessionId=nope', base).href, { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(404);
      expect((await post(new URL('/messages', base).href, { jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(400);
      expect((await send('{}', { 'content-type': 'text/plain' })).status).toBe(415);
    });

    it('forgets a session when its stream closes', async () => {
      const { stream, send } = await connect([], false);
      await stream.close();
      const deadline = Date.now() + WAIT_MS;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await send({ jsonrpc: '2.0', id: 1, method: 'ping' })).status;
        if (status === 404) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(404);
    });

    it('rejects a foreign Origin with 403 on the GET and on a POST', async () => {
      const { server, stream, send } = await connect();
      const evil = await openStream(server.url, { origin: 'http://evil.example' });
      expect(evil.status).toBe(403);
      expect((await send({ jsonrpc: '2.0', id: 30, method: 'ping' }, { origin: 'http://evil.example' })).status).toBe(403);
      await new Promise((r) => setTimeout(r, 50));
      expect(stream.messages().some((m) => m.id === 30)).toBe(false);
    });

    it('accepts its own loopback Origins and rejects a foreign Host', async () => {
      const { server, stream, send } = await connect();
      for (const origin of [`http://localhost:${server.port}`, `http://127.0.0.1:${server.port}`]) {
        expect((await openStream(server.url, { origin })).status).toBe(200);
      }
      expect((await send({ jsonrpc: '2.0', id: 31, method: 'ping' }, { origin: `http://localhost:${server.port}` })).status).toBe(202);
      await stream.response(31);
      expect((await openStream(server.url, { host: 'evil.example' })).status).toBe(403);
      expect((await send({ jsonrpc: '2.0', id: 32, method: 'ping' }, { host: 'evil.example' })).status).toBe(403);
    });
  });

  describe('faults', () => {
    it('id-type-coerce: response ids change JSON type', async () => {
      const { stream, send } = await connect(['id-type-coerce'], false);
      await send({ jsonrpc: '2.0', id: '7', method: 'ping' });
      await send({ jsonrpc: '2.0', id: 8, method: 'ping' });
      expect(await stream.response(7)).toMatchObject({ result: {} });
      expect(await stream.response('8')).toMatchObject({ result: {} });
    });

    it('parse-error-silent: no -32700 for unparseable input', async () => {
      const { stream, send, call } = await connect(['parse-error-silent']);
      expect((await send('{"jsonrpc":')).status).toBe(202);
      await call(9, 'ping');
      expect(stream.messages().some((m) => 'error' in m)).toBe(false);
    });

    it('invalid-request-accepted: a jsonrpc 1.0 request is executed', async () => {
      const { stream, send } = await connect(['invalid-request-accepted']);
      await send({ jsonrpc: '1.0', id: 21, method: 'ping' });
      expect(await stream.response(21)).toMatchObject({ result: {} });
    });

    it('unknown-method-wrong-code: -32603 instead of -32601', async () => {
      const { call } = await connect(['unknown-method-wrong-code']);
      expect((await call(23, 'harness/no_such')).error).toMatchObject({ code: -32603 });
    });

    it('answer-notifications: a notification gets a response', async () => {
      const { stream, send } = await connect(['answer-notifications'], false);
      await send({ jsonrpc: '2.0', method: 'notifications/harness/unknown' });
      expect(await stream.response(null)).toMatchObject({ result: {} });
    });

    it('echo-unsupported-version: initialize echoes an unknown version', async () => {
      const { call } = await connect(['echo-unsupported-version'], false);
      const res = await call(1, 'initialize', { ...INIT_PARAMS, protocolVersion: '1999-01-01' });
      expect(res.result).toMatchObject({ protocolVersion: '1999-01-01' });
    });

    it('counter-offer-oldest: the oldest version is counter-offered', async () => {
      const clean = await connect([], false);
      const latest = await clean.call(1, 'initialize', { ...INIT_PARAMS, protocolVersion: '1999-01-01' });
      expect(latest.result).toMatchObject({ protocolVersion: '2025-11-25' });
      const { call } = await connect(['counter-offer-oldest'], false);
      const res = await call(1, 'initialize', { ...INIT_PARAMS, protocolVersion: '1999-01-01' });
      expect(res.result).toMatchObject({ protocolVersion: '2024-11-05' });
    });

    it('no-server-info: initialize has no serverInfo', async () => {
      const { call } = await connect(['no-server-info'], false);
      const res = await call(1, 'initialize', INIT_PARAMS);
      expect(res.result).toMatchObject({ protocolVersion: '2024-11-05' });
      expect(res.result).not.toHaveProperty('serverInfo');
    });

    it('ping-non-empty: ping answers {"pong":true}', async () => {
      const { call } = await connect(['ping-non-empty']);
      expect((await call(10, 'ping')).result).toEqual({ pong: true });
    });

    it('no-origin-check: a foreign Origin is served on the GET and on a POST', async () => {
      const { server } = await connect(['no-origin-check'], false);
      const evil = await openStream(server.url, { origin: 'http://evil.example' });
      expect(evil.status).toBe(200);
      const endpoint = await evil.endpoint();
      expect((await post(endpoint, { jsonrpc: '2.0', id: 11, method: 'ping' }, { origin: 'http://evil.example' })).status).toBe(202);
      expect(await evil.response(11)).toMatchObject({ result: {} });
    });

    it('endpoint-not-first: another event precedes the endpoint event', async () => {
      const { stream, call } = await connect(['endpoint-not-first']);
      expect(stream.events[0]!.event).not.toBe('endpoint');
      expect(stream.events[1]!.event).toBe('endpoint');
      expect((await call(12, 'ping')).result).toEqual({});
    });
  });
});

describe('sdk-sse only', () => {
  const { connect } = fixture(startSdk);

  it('answers -32600 on the stream, not a bare 400, for JSON-RPC the SDK schema refuses', async () => {
    const { stream, send } = await connect();
    expect((await send({ jsonrpc: '2.0', id: 25, method: 'ping', params: [1] })).status).toBe(202);
    expect(await stream.response(25)).toMatchObject({ error: { code: -32600 } });
  });
});
