/**
 * The 2026-07-28 stateless reference server (sdk-stateless, v2 SDK), probed with plain undici:
 * the modern rules it must keep when clean, and every fault's defect visible on the wire.
 */
import { describe, expect, it } from 'vitest';
import { META, NAMED_METHODS } from '../drivers/protocol.js';
import { faultsFor } from '../reference-servers/faults/index.js';
import { toolListing } from '../reference-servers/tools.js';
import type { Headers } from './server-http-helpers.js';
import { errorCode, initializeMessage, resultOf, originOf, post, response, send, withServer } from './server-http-helpers.js';

const KIND = 'sdk-stateless';
const MODERN = '2026-07-28';

function meta(version = MODERN): Record<string, unknown> {
  return { [META.protocolVersion]: version, [META.clientCapabilities]: {}, [META.clientInfo]: { name: 'server-http-test', version: '0' } };
}

/** A modern request: body with the `_meta` envelope, and the matching metadata headers. */
function req4(method: string, id: unknown, params: Record<string, unknown> = {}, version = MODERN) {
  const body = { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...meta(version), ...((params._meta as object) ?? {}) } } };
  const headers: Headers = { 'mcp-protocol-version': version, 'mcp-method': method };
  const named = NAMED_METHODS[method];
  if (named && typeof params[named] === 'string') headers['mcp-name'] = params[named] as string;
  return { body, headers };
}

async function call(
  url: string,
  method: string,
  id: unknown,
  params?: Record<string, unknown>,
  change: Record<string, string | undefined> = {},
) {
  const r = req4(method, id, params);
  const headers = { ...r.headers } as Record<string, string | undefined>;
  Object.assign(headers, change);
  for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
  return post(url, r.body, headers as Headers);
}

describe(`${KIND} (clean)`, () => {
  it('server/discover → complete result listing supportedVersions, id echoed', async () => {
    await withServer(KIND, [], async (url) => {
      const r = await call(url, 'server/discover', 'd1');
      expect(r.status).toBe(200);
      const result = response(r, 'd1')?.result as Record<string, unknown>;
      expect(result.resultType).toBe('complete');
      expect(result.supportedVersions).toContain(MODERN);
      expect(r.headers['mcp-session-id']).toBeUndefined();
    });
  });

  it('serves the shared tools on a first request; progress streams as SSE ending with the response', async () => {
    await withServer(KIND, [], async (url) => {
      const list = await call(url, 'tools/list', 1);
      // every shared tool, beside the 2026-07-28 servers' own fixture tools
      const names = (resultOf(list, 1) as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(toolListing().map((t) => t.name)));
      const echo = await call(url, 'tools/call', 2, { name: 'echo', arguments: { text: '名前 ✓ 🎉' } });
      expect((resultOf(echo, 2) as { content: { text: string }[] }).content[0]!.text).toBe('名前 ✓ 🎉');
      const progress = await call(url, 'tools/call', 3, {
        name: 'progress',
        arguments: { steps: 2, intervalMs: 5 },
        _meta: { progressToken: 'tok' },
      });
      expect(progress.contentType).toMatch(/^text\/event-stream/);
      expect(progress.messages.filter((m) => m.method === 'notifications/progress')).toHaveLength(2);
      expect(progress.messages.at(-1)?.id).toBe(3);
      const missing = await call(url, 'tools/call', 4, { name: '__harness_missing__' });
      expect(errorCode(response(missing, 4))).toBe(-32602);
    });
  });

  it('unknown method → 404 + -32601 with the id', async () => {
    await withServer(KIND, [], async (url) => {
      const r = await call(url, 'harness/no_such', 23);
      expect(r.status).toBe(404);
      expect(errorCode(response(r, 23))).toBe(-32601);
    });
  });

  it('unsupported version in header and _meta → 400 + -32022 with data.supported and data.requested', async () => {
    await withServer(KIND, [], async (url) => {
      const { body, headers } = req4('server/discover', 5, {}, '1900-01-01');
      const r = await post(url, body, headers);
      expect(r.status).toBe(400);
      const m = response(r, 5);
      expect(errorCode(m)).toBe(-32022);
      const data = (m?.error as { data?: { supported: string[]; requested: string } } | undefined)?.data;
      expect(data?.requested).toBe('1900-01-01');
      expect(data?.supported).toContain(MODERN);
    });
  });

  it('metadata headers: missing version, version mismatch, missing Mcp-Method, missing Mcp-Name → 400 + -32020, id echoed', async () => {
    await withServer(KIND, [], async (url) => {
      const cases = [
        await call(url, 'server/discover', 6, {}, { 'mcp-protocol-version': undefined }),
        await call(url, 'server/discover', 6, {}, { 'mcp-protocol-version': '2025-11-25' }),
        await call(url, 'tools/list', 6, {}, { 'mcp-method': undefined }),
        await call(url, 'tools/list', 6, {}, { 'mcp-method': 'TOOLS/LIST' }),
        await call(url, 'tools/call', 6, { name: 'echo', arguments: { text: 'x' } }, { 'mcp-name': undefined }),
      ];
      for (const r of cases) {
        expect(r.status).toBe(400);
        expect(errorCode(response(r, 6))).toBe(-32020);
      }
      const b64 = await call(
        url,
        'tools/call',
        7,
        { name: 'echo', arguments: { text: 'x' } },
        { 'mcp-name': `=?base64?${Buffer.from('echo').toString('base64')}?=` },
      );
      expect(b64.status).toBe(200);
    });
  });

  it('notification → 202 empty; GET and DELETE → 405; arrays → 400/-32600', async () => {
    await withServer(KIND, [], async (url) => {
      const n = await post(
        url,
        { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x', _meta: meta() } },
        { 'mcp-protocol-version': MODERN, 'mcp-method': 'notifications/cancelled' },
      );
      expect(n.status).toBe(202);
      expect(n.text).toBe('');
      expect((await send(url, 'GET', { accept: 'text/event-stream' })).status).toBe(405);
      expect((await send(url, 'DELETE', {})).status).toBe(405);
      const batch = await post(url, [req4('server/discover', 8).body], req4('server/discover', 8).headers);
      expect(batch.status).toBe(400);
      expect(errorCode(batch.messages[0])).toBe(-32600);
    });
  });

  it('invalid request objects → 400/-32600 with the readable id; unparseable → 400/-32700', async () => {
    await withServer(KIND, [], async (url) => {
      const { headers } = req4('server/discover', 0);
      const wrongVersion = await post(url, { jsonrpc: '1.0', id: 21, method: 'server/discover', params: { _meta: meta() } }, headers);
      expect(wrongVersion.status).toBe(400);
      expect(errorCode(response(wrongVersion, 21))).toBe(-32600);
      const numericMethod = await post(url, { jsonrpc: '2.0', id: 22, method: 7, params: { _meta: meta() } }, headers);
      expect(numericMethod.status).toBe(400);
      expect(errorCode(response(numericMethod, 22))).toBe(-32600);
      const bad = await post(url, '{"jsonrpc":"2.0","id":1,', headers);
      expect(bad.status).toBe(400);
      expect(errorCode(bad.messages[0])).toBe(-32700);
    });
  });

  it('a legacy initialize is refused with -32022 naming 2026-07-28', async () => {
    await withServer(KIND, [], async (url) => {
      const r = await post(url, initializeMessage('2025-11-25'));
      expect(r.status).toBe(400);
      expect(errorCode(response(r, 1))).toBe(-32022);
      expect(JSON.stringify(response(r, 1)?.error)).toContain(MODERN);
    });
  });

  it('Origin: foreign → 403, own → served; Host: foreign → 403; Mcp-Session-Id ignored and never echoed', async () => {
    await withServer(KIND, [], async (url) => {
      const port = new URL(url).port;
      expect((await call(url, 'server/discover', 9, {}, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await call(url, 'server/discover', 9, {}, { origin: originOf(url) })).status).toBe(200);
      expect((await call(url, 'server/discover', 9, {}, { origin: `http://localhost:${port}` })).status).toBe(200);
      expect((await call(url, 'server/discover', 9, {}, { host: 'evil.example' })).status).toBe(403);
      const withSession = await call(url, 'server/discover', 10, {}, { 'mcp-session-id': 'abc' });
      expect(withSession.status).toBe(200);
      expect(withSession.headers['mcp-session-id']).toBeUndefined();
    });
  });
});

const FAULT_PROBES: Record<string, (url: string) => Promise<void>> = {
  async 'id-type-coerce'(url) {
    expect((await call(url, 'server/discover', 7)).messages[0]?.id).toBe('7');
    expect((await call(url, 'server/discover', '8')).messages[0]?.id).toBe(8);
  },
  async 'invalid-request-accepted'(url) {
    const r = await post(
      url,
      { jsonrpc: '1.0', id: 21, method: 'server/discover', params: { _meta: meta() } },
      req4('server/discover', 21).headers,
    );
    expect(r.status).toBe(200);
    expect(response(r, 21)?.result).toBeTruthy();
  },
  async 'unknown-method-wrong-code'(url) {
    const r = await call(url, 'harness/no_such', 23);
    expect(r.status).toBe(404);
    expect(errorCode(response(r, 23))).toBe(-32603);
  },
  async 'answer-notifications'(url) {
    const r = await post(
      url,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x', _meta: meta() } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'notifications/cancelled' },
    );
    expect(r.status).toBe(200);
    expect(r.messages).toHaveLength(1);
  },
  async 'notification-200'(url) {
    const r = await post(
      url,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'x', _meta: meta() } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'notifications/cancelled' },
    );
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  },
  async 'no-origin-check'(url) {
    expect((await call(url, 'server/discover', 9, {}, { origin: 'http://evil.example' })).status).toBe(200);
    expect((await call(url, 'server/discover', 9, {}, { host: 'evil.example' })).status).toBe(403);
  },
  async 'origin-400'(url) {
    expect((await call(url, 'server/discover', 9, {}, { origin: 'http://evil.example' })).status).toBe(400);
  },
  async 'unknown-method-200'(url) {
    const r = await call(url, 'harness/no_such', 23);
    expect(r.status).toBe(200);
    expect(errorCode(response(r, 23))).toBe(-32601);
  },
  async 'version-error-no-data'(url) {
    const { body, headers } = req4('server/discover', 5, {}, '1900-01-01');
    const r = await post(url, body, headers);
    expect(r.status).toBe(400);
    expect(errorCode(response(r, 5))).toBe(-32022);
    expect(response(r, 5)?.error).not.toHaveProperty('data');
  },
};

describe(`${KIND} faults`, () => {
  // Smoke probes for the transport's own faults; every fault is proven through its checks in faults-http.test.ts.
  it.each(
    faultsFor(KIND)
      .map((f) => f.name)
      .filter((n) => n in FAULT_PROBES),
  )('%s is visible on the wire', async (fault) => {
    await withServer(KIND, [fault], (url) => FAULT_PROBES[fault]!(url));
  });
});
