/** The shared HTTP pieces of the reference servers: guard, body limit, byte-layer rewrite, sessions, batches. */
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { acceptsBatch, answerBatch, splitBatch } from '../reference-servers/http/batch.js';
import { type BodyError, readBody } from '../reference-servers/http/body.js';
import type { FaultName } from '../reference-servers/faults/index.js';
import { checkOriginAndHost } from '../reference-servers/http/guard.js';
import { closeServer, listen } from '../reference-servers/http/listen.js';
import { rewriteJsonText, SseRewriter } from '../reference-servers/http/rewrite.js';
import { SessionTable } from '../reference-servers/http/sessions.js';
import { MessageLayer } from '../reference-servers/message-layer.js';

const fakeReq = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const none = new Set<FaultName>();

describe('checkOriginAndHost', () => {
  it('allows an absent Origin and the server own origins, rejects foreign ones with 403', () => {
    const host = { host: '127.0.0.1:4000' };
    expect(checkOriginAndHost(fakeReq(host), 4000, none)).toBeUndefined();
    for (const origin of ['http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000', 'HTTP://LOCALHOST:4000']) {
      expect(checkOriginAndHost(fakeReq({ ...host, origin }), 4000, none), origin).toBeUndefined();
    }
    for (const origin of [
      'http://evil.example',
      'http://localhost:4001',
      'http://localhost',
      'null',
      'http://127.0.0.1:4000/x',
      'file://x',
    ]) {
      expect(checkOriginAndHost(fakeReq({ ...host, origin }), 4000, none)?.status, origin).toBe(403);
    }
  });

  it('rejects a foreign Host with 403 on its own, and accepts loopback names with or without the port', () => {
    expect(checkOriginAndHost(fakeReq({ host: 'evil.example' }), 4000, none)?.status).toBe(403);
    expect(checkOriginAndHost(fakeReq({ host: 'localhost:4001' }), 4000, none)?.status).toBe(403);
    for (const host of ['localhost', 'localhost:4000', '127.0.0.1:4000', '[::1]:4000']) {
      expect(checkOriginAndHost(fakeReq({ host }), 4000, none), host).toBeUndefined();
    }
    expect(checkOriginAndHost(fakeReq({ host: 'box.lan:4000' }), 4000, none, ['box.lan'])).toBeUndefined();
  });

  it('faults: no-origin-check lets foreign Origins through but keeps the Host check; origin-400 answers 400', () => {
    const evil = { host: 'localhost:4000', origin: 'http://evil.example' };
    expect(checkOriginAndHost(fakeReq(evil), 4000, new Set(['no-origin-check']))).toBeUndefined();
    expect(checkOriginAndHost(fakeReq({ host: 'evil.example' }), 4000, new Set(['no-origin-check']))?.status).toBe(403);
    expect(checkOriginAndHost(fakeReq(evil), 4000, new Set(['origin-400']))?.status).toBe(400);
  });
});

describe('readBody', () => {
  it('reads a body, and rejects an oversized one with 413 by Content-Length and while streaming', async () => {
    const seen: unknown[] = [];
    const server = createServer((req, res) => {
      readBody(req, 16).then(
        (text) => {
          seen.push(text);
          res.end('ok');
        },
        (err: BodyError) => {
          seen.push(err.status);
          res.writeHead(err.status, { connection: 'close' }).end();
        },
      );
    });
    const bound = await listen(server);
    try {
      const url = `${bound.origin}/`;
      expect((await request(url, { method: 'POST', body: '{"a":"名前"}' })).statusCode).toBe(200);
      expect((await request(url, { method: 'POST', body: 'x'.repeat(100) })).statusCode).toBe(413);
      async function* chunks() {
        for (let i = 0; i < 10; i++) yield Buffer.from('xxxxxxxx');
      }
      const streamed = await request(url, { method: 'POST', body: Readable.from(chunks()) });
      expect(streamed.statusCode).toBe(413);
      await streamed.body.dump();
      expect(seen).toEqual(['{"a":"名前"}', 413, 413]);
    } finally {
      await closeServer(server);
    }
  });
});

describe('byte-layer rewrite', () => {
  const bump = (m: JsonRpcMessage): JsonRpcMessage => ({ ...m, id: typeof m.id === 'number' ? m.id + 1 : m.id });

  it('rewrites a JSON object or array body and leaves non-JSON alone', () => {
    expect(JSON.parse(rewriteJsonText('{"jsonrpc":"2.0","id":1,"result":{}}', bump)).id).toBe(2);
    expect(JSON.parse(rewriteJsonText('[{"id":1},{"id":5}]', bump)).map((m: { id: number }) => m.id)).toEqual([2, 6]);
    expect(rewriteJsonText('not json', bump)).toBe('not json');
  });

  it('rewrites SSE data payloads across arbitrary chunk boundaries, keeping other fields and comments', () => {
    const input = ': keepalive\n\nid: 7\nevent: message\ndata: {"id":1}\n\ndata: {"id":\ndata: 2}\r\n\r\nid: prime\ndata: \n\n';
    for (const size of [1, 3, 7, input.length]) {
      const sse = new SseRewriter(bump);
      let out = '';
      for (let i = 0; i < input.length; i += size) out += sse.push(input.slice(i, i + size));
      out += sse.flush();
      expect(out, `chunk size ${size}`).toBe(
        ': keepalive\n\nid: 7\nevent: message\ndata: {"id":2}\n\ndata: {"id":3}\n\nid: prime\ndata: \n\n',
      );
    }
  });
});

describe('SessionTable', () => {
  it('answers missing 400, unknown 404, terminated 404; faults change exactly their case', () => {
    const clean = new SessionTable<string>(none);
    clean.add('a', 'A');
    expect(clean.lookup(undefined)).toMatchObject({ status: 400 });
    expect(clean.lookup('zzz')).toMatchObject({ status: 404 });
    expect(clean.lookup('a')).toEqual({ session: 'A', id: 'a' });
    clean.terminate('a');
    expect(clean.lookup('a')).toMatchObject({ status: 404 });

    const lenient = new SessionTable<string>(new Set<FaultName>(['missing-session-accepted', 'unknown-session-400']));
    lenient.add('a', 'A');
    lenient.add('b', 'B');
    expect(lenient.lookup(undefined)).toEqual({ session: 'B', id: 'b' });
    expect(lenient.lookup('zzz')).toMatchObject({ status: 400 });
    lenient.terminate('a');
    expect(lenient.lookup('a')).toMatchObject({ status: 404 });
  });

  it('mints random visible-ASCII ids, with a space under session-id-non-ascii', () => {
    const id = new SessionTable(none).newId();
    expect(id).toMatch(/^[\x21-\x7E]{36}$/);
    expect(new SessionTable(new Set<FaultName>(['session-id-non-ascii'])).newId()).toContain(' ');
  });
});

describe('batch policy', () => {
  it('accepts arrays only on 2025-03-26 sessions', () => {
    expect(acceptsBatch('2025-03-26')).toBe(true);
    for (const v of ['2024-11-05', '2025-06-18', '2025-11-25', undefined]) expect(acceptsBatch(v)).toBe(false);
  });

  it('answers per element, one error object for an empty batch, nothing for notifications only', async () => {
    const layer = new MessageLayer();
    const handle = async (m: JsonRpcMessage) => ('id' in m ? { jsonrpc: '2.0', id: m.id, result: {} } : undefined);
    expect(await answerBatch([], layer, handle)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await answerBatch([{ jsonrpc: '2.0', method: 'notifications/x' }], layer, handle)).toBeUndefined();
    const mixed = (await answerBatch([{ jsonrpc: '2.0', id: 41, method: 'ping' }, { foo: 1 }], layer, handle)) as JsonRpcMessage[];
    expect(mixed).toEqual([
      { jsonrpc: '2.0', id: 41, result: {} },
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600 }) }),
    ]);
    const { errors } = splitBatch([{ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }], layer);
    expect(errors[0]).toMatchObject({ id: 1, error: { code: -32600 } });
  });
});
