/**
 * The 2025 stateful Streamable HTTP reference servers (sdk-http-json, sdk-http-sse, min-http),
 * probed with plain undici: every transport rule they must keep when clean, and every fault's
 * defect visible on the wire.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { faultsFor } from '../reference-servers/faults/index.js';
import type { ServerKind } from '../reference-servers/kinds.js';
import type { Opened } from './server-http-helpers.js';
import {
  errorCode,
  initializeMessage,
  resultOf,
  openSession,
  originOf,
  ping,
  post,
  response,
  send,
  withServer,
} from './server-http-helpers.js';

const KINDS = ['sdk-http-json', 'sdk-http-sse', 'min-http'] as const;
const hasGetStream = (kind: ServerKind) => kind !== 'min-http';
const streamsResponses = (kind: ServerKind) => kind === 'sdk-http-sse';

const getHeaders = (s: Opened) => ({ accept: 'text/event-stream', ...s.headers });

describe.each(KINDS)('%s (clean)', (kind) => {
  it('initializes with a visible-ASCII session id, negotiated version and serverInfo; sessions are distinct', async () => {
    await withServer(kind, [], async (url) => {
      const a = await openSession(url, '2025-06-18');
      const b = await openSession(url, '2025-06-18');
      expect(a.sessionId).toMatch(/^[\x21-\x7E]{16,}$/);
      expect(a.sessionId).not.toBe(b.sessionId);
      const result = resultOf(a.init, 1);
      expect(result.protocolVersion).toBe('2025-06-18');
      expect(result.serverInfo).toBeTruthy();
      expect(a.init.contentType).toMatch(streamsResponses(kind) ? /^text\/event-stream/ : /^application\/json/);
      const unsupported = await post(url, initializeMessage('1900-01-01'));
      expect(resultOf(unsupported, 1).protocolVersion).toBe('2025-11-25');
    });
  });

  it('answers a notification with 202 and no body', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      expect(s.initialized.status).toBe(202);
      const r = await post(url, { jsonrpc: '2.0', method: 'notifications/harness/unknown' }, s.headers);
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
    });
  });

  it('echoes request ids with their JSON type and answers ping with an empty result', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      for (const id of ['abc', 0, 9007199254740991, '1']) {
        const r = await post(url, ping(id), s.headers);
        expect(r.status).toBe(200);
        expect(response(r, id)?.result).toEqual({});
      }
    });
  });

  it('serves the shared tools, UTF-8 intact; unknown tool -32602; unknown method -32601 with the id', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      const list = await post(url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, s.headers);
      const names = (resultOf(list, 3) as { tools: { name: string }[] }).tools.map((t) => t.name);
      expect(names).toEqual(['echo', 'add', 'slow', 'progress', 'ping-client', 'large', 'fail', 'notify']);
      const text = '名前 ✓ 🎉';
      const echo = await post(
        url,
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: { text } } },
        s.headers,
      );
      expect((resultOf(echo, 4) as { content: { text: string }[] }).content[0]!.text).toBe(text);
      const missing = await post(url, { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: '__harness_missing__' } }, s.headers);
      expect(errorCode(response(missing, 5))).toBe(-32602);
      const unknown = await post(url, { jsonrpc: '2.0', id: 23, method: 'harness/no_such' }, s.headers);
      expect(unknown.status).toBe(200);
      expect(errorCode(response(unknown, 23))).toBe(-32601);
    });
  });

  it('sends progress for a progressToken (SSE) or just the response (JSON mode)', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      const call = {
        jsonrpc: '2.0',
        id: 6,
        method: 'tools/call',
        params: { name: 'progress', arguments: { steps: 3, intervalMs: 5 }, _meta: { progressToken: 'tok' } },
      };
      const r = await post(url, call, s.headers);
      expect(r.status).toBe(200);
      expect(response(r, 6)?.result).toBeTruthy();
      const progress = r.messages.filter((m) => m.method === 'notifications/progress');
      if (kind === 'sdk-http-json') {
        expect(r.contentType).toMatch(/^application\/json/);
        expect(progress).toHaveLength(0);
      } else {
        expect(r.contentType).toMatch(/^text\/event-stream/);
        expect(progress.map((m) => (m.params as { progressToken: unknown; progress: number }).progress)).toEqual([1, 2, 3]);
        expect(progress.every((m) => (m.params as { progressToken: unknown }).progressToken === 'tok')).toBe(true);
        expect(r.messages.at(-1)?.id).toBe(6);
      }
    });
  });

  it('notifications/cancelled ends the cancelled request without a response', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      const started = Date.now();
      const slow = post(
        url,
        { jsonrpc: '2.0', id: 50, method: 'tools/call', params: { name: 'slow', arguments: { ms: 4000 } } },
        s.headers,
        { sseMs: 3000 },
      );
      await new Promise((r) => setTimeout(r, 200));
      const cancel = await post(url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 50 } }, s.headers);
      expect(cancel.status).toBe(202);
      const r = await slow;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(response(r, 50)).toBeUndefined();
      expect((await post(url, ping(51), s.headers)).status).toBe(200);
    });
  });

  it('rejects invalid request objects with 400/-32600 and unparseable JSON with 400/-32700', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      const cases: [unknown, unknown][] = [
        [{ jsonrpc: '1.0', id: 21, method: 'ping' }, 21],
        [{ jsonrpc: '2.0', id: 22, method: 7 }, 22],
        [{ jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }, null],
        [{ jsonrpc: '2.0', id: null, method: 'ping' }, null],
      ];
      for (const [body, id] of cases) {
        const r = await post(url, body, s.headers, { untilId: id });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.messages[0]?.id).toBe(id);
        expect(errorCode(r.messages[0])).toBe(-32600);
      }
      const notification = await post(url, { jsonrpc: '2.0', method: 123 }, s.headers);
      expect(notification.status).toBe(400);
      const bad = await post(url, '{"jsonrpc":"2.0","id":1,', s.headers);
      expect(bad.status).toBe(400);
      expect(errorCode(bad.messages[0])).toBe(-32700);
      expect(bad.messages[0]?.id ?? null).toBeNull();
      expect((await post(url, ping(24), s.headers)).status).toBe(200);
    });
  });

  it('session ids: missing → 400, never issued → 404, after DELETE → 404 on POST and GET', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      expect((await post(url, ping(), { 'mcp-protocol-version': '2025-11-25' })).status).toBe(400);
      expect((await send(url, 'GET', { accept: 'text/event-stream' })).status).toBe(400);
      expect((await post(url, ping(), { 'mcp-session-id': randomUUID() })).status).toBe(404);
      const deleted = await send(url, 'DELETE', s.headers);
      expect(deleted.status).toBeGreaterThanOrEqual(200);
      expect(deleted.status).toBeLessThan(300);
      expect((await post(url, ping(), s.headers)).status).toBe(404);
      expect((await send(url, 'GET', getHeaders(s))).status).toBe(404);
    });
  });

  it('MCP-Protocol-Version: unsupported or invalid → 400 (POST and GET); absent → accepted; not needed on initialize', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url, '2025-06-18');
      for (const v of ['1900-01-01', 'banana']) {
        expect((await post(url, ping(), { ...s.headers, 'mcp-protocol-version': v })).status).toBe(400);
        expect((await send(url, 'GET', { ...getHeaders(s), 'mcp-protocol-version': v })).status).toBe(400);
      }
      const { 'mcp-protocol-version': _omit, ...noVersion } = s.headers;
      expect((await post(url, ping(), noVersion)).status).toBe(200);
    });
  });

  it('batches: accepted on 2025-03-26 with JSON-RPC semantics, rejected 400/-32600 on 2025-06-18 and later', async () => {
    await withServer(kind, [], async (url) => {
      for (const v of ['2025-06-18', '2025-11-25']) {
        const s = await openSession(url, v);
        const r = await post(url, [ping(31)], s.headers);
        expect(r.status).toBe(400);
        expect(errorCode(r.messages[0])).toBe(-32600);
      }
      const old = await openSession(url, '2025-03-26');
      const both = await post(url, [ping(31), ping(32)], old.headers, { untilId: 32 });
      expect(both.status).toBe(200);
      expect(response(both, 31)?.result).toEqual({});
      expect(response(both, 32)?.result).toEqual({});
      const empty = await post(url, [], old.headers);
      expect(Array.isArray(empty.json)).toBe(false);
      expect(errorCode(empty.messages[0])).toBe(-32600);
      const mixed = await post(url, [ping(41), { foo: 1 }], old.headers, { untilId: 41 });
      expect(response(mixed, 41)?.result).toEqual({});
      expect(mixed.messages.some((m) => m.id === null && errorCode(m) === -32600)).toBe(true);
      const notes = await post(url, [{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x' } }], old.headers);
      expect(notes.status).toBe(202);
    });
  });

  it(hasGetStream(kind) ? 'GET opens an SSE stream, a second concurrent GET too' : 'GET answers 405', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      if (!hasGetStream(kind)) {
        expect((await send(url, 'GET', getHeaders(s))).status).toBe(405);
        return;
      }
      const first = send(url, 'GET', getHeaders(s), undefined, { sseMs: 600 });
      await new Promise((r) => setTimeout(r, 150));
      const second = await send(url, 'GET', getHeaders(s), undefined, { sseMs: 200 });
      expect(second.status).toBe(200);
      expect(second.contentType).toMatch(/^text\/event-stream/);
      expect((await first).status).toBe(200);
    });
  });

  it('Origin: foreign → 403; own origin as localhost or 127.0.0.1 → served. Host: foreign → 403', async () => {
    await withServer(kind, [], async (url) => {
      const s = await openSession(url);
      const port = new URL(url).port;
      expect((await post(url, ping(), { ...s.headers, origin: 'http://evil.example' })).status).toBe(403);
      expect((await send(url, 'GET', { ...getHeaders(s), origin: 'http://evil.example' })).status).toBe(403);
      expect((await post(url, initializeMessage('2025-11-25'), { origin: 'http://evil.example' })).status).toBe(403);
      expect((await post(url, ping(), { ...s.headers, origin: `http://localhost:${port}` })).status).toBe(200);
      expect((await post(url, ping(), { ...s.headers, origin: originOf(url) })).status).toBe(200);
      expect((await post(url, ping(), { ...s.headers, host: 'evil.example' })).status).toBe(403);
      expect((await post(url, ping(), { ...s.headers, host: `localhost:${port}` })).status).toBe(200);
    });
  });

  it('answers other HTTP methods 405 and other paths 404', async () => {
    await withServer(kind, [], async (url) => {
      expect((await send(url, 'PUT', {})).status).toBe(405);
      expect((await send(url.replace('/mcp', '/other'), 'GET', {})).status).toBe(404);
    });
  });
});

/** One probe per fault: the defect must be visible on the wire. */
const FAULT_PROBES: Record<string, (url: string, kind: ServerKind) => Promise<void>> = {
  async 'id-type-coerce'(url) {
    const s = await openSession(url);
    const numeric = await post(url, ping(7), s.headers, { untilId: '7' });
    expect(numeric.messages.find((m) => m.method === undefined)?.id).toBe('7');
    const text = await post(url, ping('8'), s.headers, { untilId: 8 });
    expect(text.messages.find((m) => m.method === undefined)?.id).toBe(8);
  },
  async 'invalid-request-accepted'(url) {
    const s = await openSession(url);
    const r = await post(url, { jsonrpc: '1.0', id: 21, method: 'ping' }, s.headers);
    expect(r.status).toBe(200);
    expect(response(r, 21)?.result).toEqual({});
  },
  async 'unknown-method-wrong-code'(url) {
    const s = await openSession(url);
    expect(errorCode(response(await post(url, { jsonrpc: '2.0', id: 23, method: 'harness/no_such' }, s.headers), 23))).toBe(-32603);
  },
  async 'answer-notifications'(url) {
    const s = await openSession(url);
    expect(s.initialized.status).toBe(200);
    const r = await post(url, { jsonrpc: '2.0', method: 'notifications/harness/unknown' }, s.headers);
    expect(r.status).toBe(200);
    expect(r.messages).toHaveLength(1);
  },
  async 'echo-unsupported-version'(url) {
    const r = await post(url, initializeMessage('1900-01-01'));
    expect(resultOf(r, 1).protocolVersion).toBe('1900-01-01');
  },
  async 'counter-offer-oldest'(url) {
    const r = await post(url, initializeMessage('1900-01-01'));
    expect(resultOf(r, 1).protocolVersion).toBe('2024-11-05');
  },
  async 'no-server-info'(url) {
    const r = await post(url, initializeMessage('2025-11-25'));
    expect(response(r, 1)?.result).not.toHaveProperty('serverInfo');
  },
  async 'ping-non-empty'(url) {
    const s = await openSession(url);
    expect(response(await post(url, ping(9), s.headers), 9)?.result).toEqual({ pong: true });
  },
  async 'notification-200'(url) {
    const s = await openSession(url);
    expect(s.initialized.status).toBe(200);
    expect(s.initialized.text).toBe('');
  },
  async 'bad-body-200'(url) {
    const s = await openSession(url);
    const r = await post(url, '{"jsonrpc":"2.0","id":1,', s.headers);
    expect(r.status).toBe(200);
    expect(errorCode(r.messages[0])).toBe(-32700);
  },
  async 'get-409'(url) {
    const s = await openSession(url);
    expect((await send(url, 'GET', getHeaders(s))).status).toBe(409);
  },
  async 'session-id-non-ascii'(url) {
    const s = await openSession(url);
    expect(s.sessionId).toContain(' ');
    expect((await post(url, ping(), s.headers)).status).toBe(200);
  },
  async 'missing-session-accepted'(url) {
    await openSession(url);
    const r = await post(url, ping(12), { 'mcp-protocol-version': '2025-11-25' });
    expect(r.status).toBe(200);
    expect(response(r, 12)?.result).toEqual({});
  },
  async 'unknown-session-400'(url) {
    const s = await openSession(url);
    expect((await post(url, ping(), { 'mcp-session-id': randomUUID() })).status).toBe(400);
    await send(url, 'DELETE', s.headers);
    expect((await post(url, ping(), s.headers)).status).toBe(404);
  },
  async 'delete-keeps-session'(url) {
    const s = await openSession(url);
    expect((await send(url, 'DELETE', s.headers)).status).toBe(200);
    expect((await post(url, ping(), s.headers)).status).toBe(200);
  },
  async 'accept-any-protocol-version'(url) {
    const s = await openSession(url);
    expect((await post(url, ping(), { ...s.headers, 'mcp-protocol-version': 'banana' })).status).toBe(200);
  },
  async 'no-origin-check'(url) {
    const s = await openSession(url);
    expect((await post(url, ping(), { ...s.headers, origin: 'http://evil.example' })).status).toBe(200);
    expect((await post(url, ping(), { ...s.headers, host: 'evil.example' })).status).toBe(403);
  },
  async 'origin-400'(url) {
    const s = await openSession(url);
    expect((await post(url, ping(), { ...s.headers, origin: 'http://evil.example' })).status).toBe(400);
  },
};

describe.each(KINDS)('%s faults', (kind) => {
  // Smoke probes for the transport's own faults; every fault is proven through its checks in faults-http.test.ts.
  it.each(
    faultsFor(kind)
      .map((f) => f.name)
      .filter((n) => n in FAULT_PROBES),
  )('%s is visible on the wire', async (fault) => {
    await withServer(kind, [fault], (url) => FAULT_PROBES[fault]!(url, kind));
  });
});
