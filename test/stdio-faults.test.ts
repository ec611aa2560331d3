/**
 * Each fault of the stdio reference servers, switched on alone, shows its defect on the wire.
 * These are smoke tests of the servers, not the conformance checks (those live in suites/).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, errorOf, LEGACY_REVISIONS } from '../drivers/protocol.js';
import type { OpenOptions, StdioSession } from '../drivers/session.js';
import { openStdio } from '../drivers/stdio.js';
import { WireLog } from '../drivers/wire-log.js';
import { faultsFor } from '../reference-servers/faults/index.js';
import { gone, isAlive, serverTarget, STDIO_KINDS } from './stdio-helpers.js';

const REVISION = '2025-06-18';
const ping = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

type Probe = (s: StdioSession) => Promise<void>;

/** For each fault: how to open the session, and what the defect looks like. */
const PROBES: Record<string, { open?: OpenOptions; probe: Probe }> = {
  'id-type-coerce': {
    probe: async (s) => {
      expect((await s.request('ping', undefined, { id: '7' })).response!.id).toBe(7);
      expect((await s.request('ping', undefined, { id: 8 })).response!.id).toBe('8');
    },
  },
  'parse-error-silent': {
    probe: async (s) => {
      const reply = await s.sendRaw('{"jsonrpc":"2.0","id":1,', { until: 'quiet', timeoutMs: 400 });
      expect(reply.messages).toEqual([]);
      expect((await s.request('ping')).timedOut).toBe(false);
    },
  },
  'invalid-request-accepted': {
    probe: async (s) => {
      const reply = await s.sendRaw('{"jsonrpc":"1.0","id":21,"method":"ping"}');
      expect(reply.messages[0]).toMatchObject({ id: 21, result: {} });
    },
  },
  'unknown-method-wrong-code': {
    probe: async (s) => {
      const reply = await s.request('harness/no_such');
      expect(errorOf(reply.response)?.code).toBe(ErrorCode.InternalError);
    },
  },
  'answer-notifications': {
    probe: async (s) => {
      const reply = await s.notify('notifications/harness/unknown', undefined, { timeoutMs: 400 });
      // notifications/initialized from the handshake may be answered inside the same window too
      expect(reply.messages.length).toBeGreaterThanOrEqual(1);
      for (const m of reply.messages) expect(m).toMatchObject({ id: null, result: {} });
    },
  },
  'echo-unsupported-version': {
    open: { offerVersion: '1999-01-01' },
    probe: async (s) => {
      expect((s.initializeResponse!.result as { protocolVersion: string }).protocolVersion).toBe('1999-01-01');
    },
  },
  'counter-offer-oldest': {
    open: { offerVersion: '1999-01-01' },
    probe: async (s) => {
      expect((s.initializeResponse!.result as { protocolVersion: string }).protocolVersion).toBe(LEGACY_REVISIONS[0]);
    },
  },
  'no-server-info': {
    probe: async (s) => {
      expect(s.initializeResponse!.result).not.toHaveProperty('serverInfo');
    },
  },
  'ping-non-empty': {
    probe: async (s) => {
      expect((await s.request('ping')).response!.result).toEqual({ pong: true });
    },
  },
  'stdout-banner': {
    probe: async (s) => {
      expect(() => JSON.parse(s.stdoutLines[0]!)).toThrow();
      expect(s.stdoutLines[0]).toMatch(/mcp-harness reference server/);
    },
  },
  'pretty-print-tool-results': {
    probe: async (s) => {
      const before = s.stdoutLines.length;
      const reply = await s.request('tools/call', { name: 'echo', arguments: { text: 'hi' } }, { timeoutMs: 500 });
      expect(reply.timedOut).toBe(true);
      const lines = s.stdoutLines.slice(before);
      expect(lines.length).toBeGreaterThan(3);
      expect(lines[0]).toBe('{');
      // ping still comes back on one line: only tool results are pretty-printed
      expect((await s.request('ping')).timedOut).toBe(false);
    },
  },
  'no-line-buffering': {
    probe: async (s) => {
      // Two whole lines in one write still work; a line split across two writes does not.
      const both = await s.sendRaw(`${ping(1)}\n${ping(2)}`, { until: 'quiet', timeoutMs: 500 });
      expect(both.messages.map((m) => m.id)).toEqual([1, 2]);
      const text = ping(3);
      await s.writeBytes(text.slice(0, 10));
      await new Promise((r) => setTimeout(r, 100));
      const rest = await s.sendRaw(text.slice(10), { until: 'quiet', timeoutMs: 500 });
      expect(rest.messages.some((m) => m.id === 3)).toBe(false);
      expect(errorOf(rest.messages[0])?.code).toBe(ErrorCode.ParseError);
    },
  },
  'ignore-stdin-eof': {
    probe: async (s) => {
      expect(await s.closeStdin(1500)).toBeUndefined();
      expect(isAlive(s.pid!)).toBe(true);
      await s.close();
      expect(s.exited).toMatchObject({ signal: 'SIGTERM' });
      expect(await gone(s.pid!)).toBe(true);
    },
  },
};

for (const kind of STDIO_KINDS) {
  describe.concurrent(`${kind} faults`, () => {
    // Smoke probes for the foundation's faults; every fault is proven through its checks in faults-stdio.test.ts.
    for (const fault of faultsFor(kind).filter((f) => f.name in PROBES)) {
      it(`${fault.name}: the defect shows on the wire`, async () => {
        const entry = PROBES[fault.name];
        const s = await openStdio(serverTarget(kind, [fault.name]), new WireLog(), REVISION, entry!.open ?? {});
        try {
          await entry!.probe(s);
        } finally {
          await s.close();
        }
      });
    }
  });
}
