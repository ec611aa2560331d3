/**
 * The two clean stdio reference servers, driven as child processes through the stdio driver:
 * the MCP basics, JSON-RPC error answers, stream framing, and shutdown on stdin EOF.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, errorOf, LEGACY_REVISIONS } from '../drivers/protocol.js';
import type { StdioSession } from '../drivers/session.js';
import { openStdio } from '../drivers/stdio.js';
import { WireLog } from '../drivers/wire-log.js';
import { serverTarget, STDIO_KINDS } from './stdio-helpers.js';

const REVISION = '2025-06-18';

async function withServer<T>(kind: string, fn: (s: StdioSession) => Promise<T>): Promise<T> {
  const s = await openStdio(serverTarget(kind), new WireLog(), REVISION);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function textOf(result: unknown): string | undefined {
  return (result as { content?: Array<{ text?: string }> } | undefined)?.content?.[0]?.text;
}

const ping = (id: number) => `{"jsonrpc":"2.0","id":${id},"method":"ping"}`;

for (const kind of STDIO_KINDS) {
  describe.concurrent(`${kind} (clean)`, () => {
    it('initializes, answers ping, lists tools and calls echo', async () => {
      await withServer(kind, async (s) => {
        const init = s.initializeResponse!.result as { protocolVersion: string; serverInfo?: unknown; capabilities: unknown };
        expect(init.protocolVersion).toBe(REVISION);
        expect(init.serverInfo).toMatchObject({ name: 'mcp-harness-reference' });
        expect(init.capabilities).toMatchObject({ tools: {} });
        expect((await s.request('ping')).response?.result).toEqual({});
        const list = await s.request('tools/list');
        expect((list.response!.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toContain('echo');
        const echo = await s.request('tools/call', { name: 'echo', arguments: { text: '名前 ✓ 🎉\nline two' } });
        expect(textOf(echo.response!.result)).toBe('名前 ✓ 🎉\nline two');
      });
    });

    it('counter-offers its latest version for one it does not support', async () => {
      const s = await openStdio(serverTarget(kind), new WireLog(), REVISION, { offerVersion: '1999-01-01' });
      try {
        const result = s.initializeResponse!.result as { protocolVersion: string };
        expect(result.protocolVersion).toBe(LEGACY_REVISIONS.at(-1));
      } finally {
        await s.close();
      }
    });

    it('sends progress notifications for a request with a progressToken', async () => {
      await withServer(kind, async (s) => {
        const reply = await s.request(
          'tools/call',
          { name: 'progress', arguments: { steps: 3, intervalMs: 5 } },
          { meta: { progressToken: 'tok-1' } },
        );
        const progress = reply.messages.filter((m) => m.method === 'notifications/progress');
        expect(progress.map((m) => (m.params as { progress: number }).progress)).toEqual([1, 2, 3]);
        expect(progress.every((m) => (m.params as { progressToken: unknown }).progressToken === 'tok-1')).toBe(true);
        expect(reply.messages.at(-1)).toBe(reply.response);
      });
    });

    it('answers a ping while a slow tool runs, and stops a cancelled call without answering it', async () => {
      await withServer(kind, async (s) => {
        let slowDone = false;
        const slow = s.request('tools/call', { name: 'slow', arguments: { ms: 1500 } }).finally(() => {
          slowDone = true;
        });
        expect((await s.request('ping')).timedOut).toBe(false);
        expect(slowDone).toBe(false);
        expect(textOf((await slow).response?.result)).toBe('waited 1500 ms');

        const cancelled = s.request('tools/call', { name: 'slow', arguments: { ms: 5000 } }, { id: 'cancel-me', timeoutMs: 1500 });
        await s.notify('notifications/cancelled', { requestId: 'cancel-me', reason: 'test' }, { timeoutMs: 100 });
        expect((await cancelled).timedOut).toBe(true);
      });
    });

    it('answers unparseable input -32700, an invalid request -32600, a batch -32600, an unknown method -32601', async () => {
      await withServer(kind, async (s) => {
        const parse = await s.sendRaw('{"jsonrpc":"2.0","id":1,');
        expect(errorOf(parse.messages[0])?.code).toBe(ErrorCode.ParseError);
        expect(parse.messages[0]!.id ?? null).toBeNull();
        expect((await s.request('ping')).timedOut).toBe(false);

        const invalid = await s.sendRaw('{"jsonrpc":"1.0","id":21,"method":"ping"}');
        expect(errorOf(invalid.messages[0])?.code).toBe(ErrorCode.InvalidRequest);
        expect(invalid.messages[0]!.id).toBe(21);
        const nullId = await s.sendRaw('{"jsonrpc":"2.0","id":null,"method":"ping"}');
        expect(errorOf(nullId.messages[0])?.code).toBe(ErrorCode.InvalidRequest);

        const batch = await s.sendRaw(`[${ping(31)},${ping(32)}]`);
        expect(batch.messages).toHaveLength(1);
        expect(errorOf(batch.messages[0])?.code).toBe(ErrorCode.InvalidRequest);

        const unknown = await s.request('harness/no_such', undefined, { id: 23 });
        expect(errorOf(unknown.response)?.code).toBe(ErrorCode.MethodNotFound);
        expect(unknown.response!.id).toBe(23);
        const missingTool = await s.request('tools/call', { name: '__harness_missing__', arguments: {} });
        expect(errorOf(missingTool.response)?.code).toBe(ErrorCode.InvalidParams);
      });
    });

    it('keeps response ids exactly, type included', async () => {
      await withServer(kind, async (s) => {
        for (const id of ['abc', 0, 9007199254740991, '1']) {
          const reply = await s.request('ping', undefined, { id });
          expect(reply.response!.id).toBe(id);
        }
      });
    });

    it('does not answer notifications', async () => {
      await withServer(kind, async (s) => {
        const reply = await s.notify('notifications/harness/unknown', undefined, { timeoutMs: 300 });
        expect(reply.messages).toEqual([]);
        expect(reply.nonJson).toEqual([]);
      });
    });

    it('reads stdin as a stream: half a message then the rest, two in one write, CRLF', async () => {
      await withServer(kind, async (s) => {
        const before = s.received.length;
        await s.writeBytes('{"jsonrpc":"2.0","id":101,');
        await new Promise((r) => setTimeout(r, 200));
        await s.writeBytes('"method":"ping"}\n');
        await s.writeBytes(`${ping(102)}\n${ping(103)}\n`);
        await s.writeBytes(`${ping(104)}\r\n`);
        await expect.poll(() => s.received.length - before, { timeout: 5000 }).toBe(4);
        const ids = s.received.slice(before).map((m) => m.id);
        expect(ids.sort()).toEqual([101, 102, 103, 104]);
        expect(s.received.slice(before).every((m) => m.error === undefined)).toBe(true);
      });
    });

    it('writes nothing but JSON-RPC messages on stdout', async () => {
      await withServer(kind, async (s) => {
        await s.request('tools/call', { name: 'progress', arguments: { steps: 2, intervalMs: 1 } }, { meta: { progressToken: 1 } });
        await s.sendRaw('garbage');
        expect(s.stdoutLines.length).toBeGreaterThan(3);
        for (const line of s.stdoutLines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
      });
    });

    it('exits promptly by itself when stdin closes, and answers what came just before', async () => {
      await withServer(kind, async (s) => {
        const last = s.request('ping', undefined, { id: 'last' });
        const exit = await s.closeStdin(5000);
        expect((await last).response?.id).toBe('last');
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(exit!.afterMs!).toBeLessThan(2500);
      });
    });

    it('exits within the grace period when stdin closes while a slow tool runs', async () => {
      await withServer(kind, async (s) => {
        void s.request('tools/call', { name: 'slow', arguments: { ms: 30_000 } });
        await new Promise((r) => setTimeout(r, 50));
        const exit = await s.closeStdin(5000);
        expect(exit).toMatchObject({ code: 0, signal: null });
        // STDIO-SHUT-01 allows 5 s; the servers' grace for work in flight is 1 s.
        expect(exit!.afterMs!).toBeLessThan(4500);
      });
    });
  });
}
