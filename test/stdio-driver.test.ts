/**
 * The stdio driver against small peer programs (node -e): framing as the harness sees it,
 * deadlines, and shutdown that leaves no process behind. The reference servers have their own
 * files (stdio-servers, stdio-faults).
 */
import { describe, expect, it } from 'vitest';
import { MODERN_REVISION, META } from '../drivers/protocol.js';
import type { SpawnedStdioSession } from '../drivers/stdio.js';
import { createStdioDriver, openStdio } from '../drivers/stdio.js';
import { WireLog } from '../drivers/wire-log.js';
import { ECHO_PEER, gone, isAlive, nodeTarget } from './stdio-helpers.js';

const LEGACY = '2025-06-18';
const HANG = 'setInterval(() => {}, 1000)';

async function withSession<T>(source: string, fn: (s: SpawnedStdioSession, log: WireLog) => Promise<T>, log = new WireLog()): Promise<T> {
  const s = await openStdio(nodeTarget(source), log, LEGACY, { initialize: false });
  try {
    return await fn(s, log);
  } finally {
    await s.close();
  }
}

describe.concurrent('stdio driver: JSON-RPC level', () => {
  it('matches a response by id and sends the modern _meta on every request, with no handshake', async () => {
    // initialize: false also leaves out the readiness server/discover a modern session opens with
    const s = await openStdio(nodeTarget(ECHO_PEER), new WireLog(), MODERN_REVISION, { initialize: false });
    try {
      const reply = await s.request('tools/list', { cursor: 'c1' }, { meta: { progressToken: 'p1' } });
      expect(reply.timedOut).toBe(false);
      const result = reply.response!.result as { method: string; params: { cursor: string; _meta: Record<string, unknown> } };
      expect(result.method).toBe('tools/list');
      expect(result.params.cursor).toBe('c1');
      expect(result.params._meta[META.protocolVersion]).toBe(MODERN_REVISION);
      expect(result.params._meta[META.clientCapabilities]).toEqual({});
      expect(result.params._meta[META.clientInfo]).toMatchObject({ name: 'mcp-harness' });
      expect(result.params._meta.progressToken).toBe('p1');
      expect(s.received, JSON.stringify(s.received)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('waits for a modern server to answer server/discover before the first request', async () => {
    const s = await openStdio(nodeTarget(ECHO_PEER), new WireLog(), MODERN_REVISION);
    try {
      expect(s.received.map((m) => (m.result as { method?: string } | undefined)?.method)).toEqual(['server/discover']);
    } finally {
      await s.close();
    }
  });

  it('sends no _meta in the legacy era unless asked, and matches an id whose type the peer changed', async () => {
    const coerce = ECHO_PEER.replace('id: m.id', 'id: String(m.id)');
    await withSession(coerce, async (s) => {
      const plain = await s.request('ping');
      expect((plain.response!.result as { params: unknown }).params).toBeNull();
      const reply = await s.request('ping', undefined, { id: 42 });
      expect(reply.timedOut).toBe(false);
      expect(reply.response!.id).toBe('42');
    });
  });

  it('collects progress notifications that carry the request progressToken', async () => {
    const peer = `
      require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
        const m = JSON.parse(line);
        const token = m.params._meta.progressToken;
        const out = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
        out({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'other', progress: 1 } });
        out({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
        out({ jsonrpc: '2.0', id: m.id, result: {} });
      });`;
    await withSession(peer, async (s) => {
      const reply = await s.request('tools/call', { name: 'x' }, { meta: { progressToken: 7 } });
      expect(reply.messages.map((m) => m.method ?? 'response')).toEqual(['notifications/progress', 'response']);
      expect(s.received).toHaveLength(3);
    });
  });

  it('times out a request to a process that never answers, within its deadline', async () => {
    await withSession(HANG, async (s) => {
      const t0 = performance.now();
      const reply = await s.request('ping', undefined, { timeoutMs: 300 });
      const elapsed = performance.now() - t0;
      expect(reply.timedOut).toBe(true);
      expect(reply.response).toBeUndefined();
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
    });
  });

  it('ends a waiting request promptly when the process exits', async () => {
    await withSession("process.stdin.once('data', () => process.exit(3))", async (s) => {
      const t0 = performance.now();
      const reply = await s.request('ping');
      expect(reply.timedOut).toBe(true);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(s.exited).toMatchObject({ code: 3, signal: null });
      // After the exit: no wait at all, and raw writes say why they fail.
      const again = await s.request('ping');
      expect(again.timedOut).toBe(true);
      await expect(s.writeBytes('x\n')).rejects.toThrow(/closed|failed/);
    });
  });

  it('notify reports what came back within the quiet window; sendRaw stops at the first message', async () => {
    const peer = `
      require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
        process.stdout.write('not json\\n');
        process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: null, result: { echo: line } }) + '\\n');
      });`;
    await withSession(peer, async (s) => {
      const r = await s.sendRaw('hello', { until: 'message', timeoutMs: 5000 });
      expect(r.nonJson).toEqual(['not json']);
      expect((r.messages[0]!.result as { echo: string }).echo).toBe('hello');
      // The peer is up now, so the quiet window measures the peer and not its start-up.
      const t0 = performance.now();
      const n = await s.notify('notifications/harness/unknown', undefined, { timeoutMs: 500 });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(490);
      expect(n.messages).toHaveLength(1);
      expect(n.nonJson).toEqual(['not json']);
    });
  });

  it('rejects open() promptly when the command does not exist', async () => {
    const t0 = performance.now();
    const target = { transport: 'stdio' as const, command: '/nonexistent/mcp-server', args: [] };
    await expect(openStdio(target, new WireLog(), LEGACY)).rejects.toThrow(/cannot start.*ENOENT/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('rejects open() with the exit and stderr when the process dies before initialize is answered', async () => {
    const source = "process.stderr.write('boom: no config\\n'); process.exit(4)";
    await expect(openStdio(nodeTarget(source), new WireLog(), LEGACY)).rejects.toThrow(/initialize failed.*code 4.*boom: no config/);
  });
});

describe.concurrent('stdio driver: raw level', () => {
  it('records every stdout line exactly: CR kept, blank lines, non-JSON, invalid UTF-8', async () => {
    const peer = `
      process.stdout.write('banner\\r\\n\\n{"jsonrpc":"2.0","method":"n"}\\r\\n[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]\\n');
      process.stdout.write(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]));
      setInterval(() => {}, 1000);`;
    await withSession(peer, async (s, log) => {
      expect(await s.waitForLines(5, 5000)).toBe(true);
      expect(s.stdoutLines.slice(0, 4)).toEqual([
        'banner\r',
        '',
        '{"jsonrpc":"2.0","method":"n"}\r',
        '[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]',
      ]);
      expect(s.received.map((m) => m.method)).toEqual(['n', 'a', 'b']);
      expect(s.invalidUtf8Lines).toEqual([4]);
      expect(s.linesSeen).toBe(5);
      expect(log.entries().filter((e) => e.channel === 'stdout')).toHaveLength(5);
    });
  });

  it('writes exact bytes: a half line, then the rest, and embedded newlines', async () => {
    const peer = `
      let got = Buffer.alloc(0);
      process.stdin.on('data', (c) => { got = Buffer.concat([got, c]); });
      process.stdin.on('end', () => { process.stdout.write(JSON.stringify({ hex: got.toString('hex') }) + '\\n'); });`;
    await withSession(peer, async (s, log) => {
      await s.writeBytes('{"a":');
      await s.writeBytes(new Uint8Array([0x31, 0x7d, 0x0a, 0xff, 0x0a]));
      const exit = await s.closeStdin(5000);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(s.stdoutLines[0]).toBe(JSON.stringify({ hex: Buffer.from('{"a":1}\n\xff\n', 'latin1').toString('hex') }));
      const stdin = log.entries().filter((e) => e.channel === 'stdin');
      expect(stdin.map((e) => e.data)).toEqual(['{"a":', '1}\n\\xff\n']);
    });
  });

  it('captures stderr apart from stdout and logs it', async () => {
    await withSession("process.stderr.write('ERROR: fake\\n'); " + HANG, async (s, log) => {
      await expect.poll(() => s.stderr, { timeout: 5000 }).toContain('ERROR: fake');
      expect(s.stdoutLines).toEqual([]);
      expect(log.entries().some((e) => e.channel === 'stderr' && e.data === 'ERROR: fake\n')).toBe(true);
    });
  });

  it('records nothing in a disabled wire log', async () => {
    const log = new WireLog({ enabled: false });
    await withSession(
      ECHO_PEER,
      async (s) => {
        expect((await s.request('ping')).timedOut).toBe(false);
      },
      log,
    );
    expect(log.entries()).toHaveLength(0);
  });

  it('logs spawn, the shutdown steps and the exit', async () => {
    await withSession(ECHO_PEER, async (s, log) => {
      await s.request('ping');
      const exit = await s.closeStdin(5000);
      expect(exit?.afterMs).toBeLessThan(5000);
      const meta = log
        .entries()
        .filter((e) => e.channel === 'process')
        .map((e) => e.summary);
      expect(meta[0]).toMatch(/^spawn pid \d+/);
      expect(meta).toContain('close stdin');
      expect(meta.some((m) => /^exit code 0 after \d+ ms$/.test(m))).toBe(true);
    });
  });

  it('terminate() sends SIGTERM to the group and reports the signal', async () => {
    await withSession(HANG, async (s) => {
      const exit = await s.terminate(5000);
      expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    });
  });
});

describe.concurrent('stdio driver: shutdown leaves nothing behind', () => {
  it('escalates to SIGKILL for a process that ignores stdin EOF and SIGTERM', async () => {
    const s = await openStdio(nodeTarget(`process.on('SIGTERM', () => {}); ${HANG}`), new WireLog(), LEGACY, { initialize: false });
    const pid = s.pid!;
    const t0 = performance.now();
    await s.close();
    expect(s.exited?.signal).toBe('SIGKILL');
    expect(performance.now() - t0).toBeLessThan(7000);
    expect(isAlive(pid)).toBe(false);
  });

  it('kills a grandchild along with a child that ignores stdin EOF', async () => {
    const source = `
      const c = require('child_process').spawn(process.execPath, ['-e', '${HANG}'], { stdio: ['ignore', 'inherit', 'inherit'] });
      c.on('spawn', () => process.stdout.write(JSON.stringify({ grandchild: c.pid }) + '\\n'));
      ${HANG}`;
    const s = await openStdio(nodeTarget(source), new WireLog(), LEGACY, { initialize: false });
    expect(await s.waitForLines(1, 5000)).toBe(true);
    const grandchild = (JSON.parse(s.stdoutLines[0]!) as { grandchild: number }).grandchild;
    expect(isAlive(grandchild)).toBe(true);
    await s.close();
    expect(isAlive(s.pid!)).toBe(false);
    expect(await gone(grandchild)).toBe(true);
  });

  it('kills a SIGTERM-proof grandchild still holding the pipes after the child exited cleanly', async () => {
    const inner = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)";
    const source = `
      const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(inner)}], { stdio: ['ignore', 'inherit', 'inherit'] });
      c.on('spawn', () => process.stdout.write(JSON.stringify({ grandchild: c.pid }) + '\\n'));
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));`;
    const s = await openStdio(nodeTarget(source), new WireLog(), LEGACY, { initialize: false });
    expect(await s.waitForLines(1, 5000)).toBe(true);
    const grandchild = (JSON.parse(s.stdoutLines[0]!) as { grandchild: number }).grandchild;
    await s.close();
    expect(s.exited).toMatchObject({ code: 0, signal: null });
    expect(await gone(grandchild)).toBe(true);
  });

  it('Driver.close() closes every session it opened', async () => {
    const driver = createStdioDriver(nodeTarget(ECHO_PEER), new WireLog());
    const a = await driver.open(MODERN_REVISION);
    const b = await driver.open(MODERN_REVISION);
    expect(a.pid).not.toBe(b.pid);
    await driver.close();
    expect(a.exited).toMatchObject({ code: 0 });
    expect(b.exited).toMatchObject({ code: 0 });
    expect(isAlive(a.pid!) || isAlive(b.pid!)).toBe(false);
  });
});
