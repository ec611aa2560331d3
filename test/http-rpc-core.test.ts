import { describe, expect, it } from 'vitest';
import { headerValue, mcpHeaderValue, mergeHeaders } from '../drivers/http-headers.js';
import { META } from '../drivers/protocol.js';
import { idsMatch, MessageRouter, parsePayload, requestParams, withMeta } from '../drivers/rpc-core.js';

describe('idsMatch', () => {
  it('matches loosely across string and number, never a null or missing id', () => {
    expect(idsMatch(1, '1')).toBe(true);
    expect(idsMatch('a', 'a')).toBe(true);
    expect(idsMatch(1, 2)).toBe(false);
    // id null is the id of an error about an unreadable message: it answers no request (ids.ts)
    expect(idsMatch(null, null)).toBe(false);
    expect(idsMatch(null, 'null')).toBe(false);
    expect(idsMatch(undefined, undefined)).toBe(false);
    expect(idsMatch({ a: 1 }, { a: 1 })).toBe(true);
  });
});

describe('MessageRouter', () => {
  it('pairs a response with its pending request, preferring the one whose id has the same type', async () => {
    const router = new MessageRouter();
    const asString = router.expect('1', 1000);
    const asNumber = router.expect(1, 1000);
    router.deliver({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } });
    router.deliver({ jsonrpc: '2.0', id: 1, result: {} });
    router.deliver({ jsonrpc: '2.0', id: '1', result: {} });
    const [s, n] = await Promise.all([asString.reply, asNumber.reply]);
    expect(n.response?.id).toBe(1);
    expect(s.response?.id).toBe('1');
    expect(n.messages).toHaveLength(2);
    expect(router.received).toHaveLength(3);
  });

  it('settles a pending request on its deadline, or at once when the channel closes', async () => {
    const router = new MessageRouter();
    const t0 = performance.now();
    const late = await router.expect(5, 50).reply;
    expect(late.timedOut).toBe(true);
    expect(late.response).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
    const pending = router.expect(6, 60_000);
    router.close();
    const closed = await pending.reply;
    expect(closed.timedOut).toBe(false);
    expect(closed.response).toBeUndefined();
  });

  it('collects until the first message, or for the whole quiet window, with non-JSON payloads', async () => {
    const router = new MessageRouter();
    const first = router.collect('message', 60_000);
    const quiet = router.collect('quiet', 80);
    router.deliverNonJson('oops');
    router.deliver({ jsonrpc: '2.0', method: 'a' });
    router.deliver({ jsonrpc: '2.0', method: 'b' });
    expect((await first.done).messages).toHaveLength(1);
    const all = await quiet.done;
    expect(all.messages).toHaveLength(2);
    expect(all.nonJson).toEqual(['oops']);
  });
});

describe('payloads and params', () => {
  it('parses objects, batches and junk', () => {
    expect(parsePayload('{"id":1}').messages).toHaveLength(1);
    expect(parsePayload('[{"id":1},{"id":2},3]').messages).toHaveLength(2);
    expect(parsePayload('{bad')).toEqual({ messages: [], nonJson: ['{bad'] });
    expect(parsePayload('42')).toEqual({ messages: [], nonJson: ['42'] });
  });

  it('builds the modern _meta and lets a check override or drop a key', () => {
    const base = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} };
    const params = requestParams('2026-07-28', { name: 't', _meta: { progressToken: 1 } }, { [META.clientCapabilities]: undefined }, base);
    expect(params).toEqual({
      name: 't',
      _meta: { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: undefined, progressToken: 1 },
    });
    expect(JSON.stringify(params)).not.toContain('clientCapabilities');
    expect(requestParams('2025-11-25', undefined, undefined, base)).toBeUndefined();
    expect(withMeta(undefined, { progressToken: 'p' })).toEqual({ _meta: { progressToken: 'p' } });
  });
});

describe('header helpers', () => {
  it('overrides any spelling of a header, removes on undefined, and leaves the base alone', () => {
    const base = { 'Mcp-Session-Id': 's', Accept: 'a' };
    const merged = mergeHeaders(base, { 'mcp-session-id': 'other', Accept: undefined, Origin: 'http://evil.example' });
    expect(merged).toEqual({ 'mcp-session-id': 'other', Origin: 'http://evil.example' });
    expect(base).toEqual({ 'Mcp-Session-Id': 's', Accept: 'a' });
    expect(headerValue(merged, 'MCP-SESSION-ID')).toBe('other');
  });

  it('encodes Mcp-Name values that are not header-safe, and values that look like the sentinel', () => {
    expect(mcpHeaderValue('get_weather')).toBe('get_weather');
    expect(mcpHeaderValue('file:///a b.txt')).toBe('file:///a b.txt');
    expect(mcpHeaderValue('Hello, 世界')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(mcpHeaderValue(' padded ')).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(mcpHeaderValue('line1\nline2')).toBe('=?base64?bGluZTEKbGluZTI=?=');
    expect(mcpHeaderValue('=?base64?literal?=')).toBe('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
  });
});
