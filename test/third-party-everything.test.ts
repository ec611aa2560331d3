/**
 * The harness against a real third-party server from npm, `@modelcontextprotocol/server-everything`
 * (a dev dependency), over stdio, Streamable HTTP and legacy HTTP+SSE: the whole catalog runs to
 * completion with a verdict per check, and no process is left behind.
 *
 * The server is not ours, so its verdicts are printed (for docs/third-party.md), never asserted.
 * Its HTTP modes call `app.listen(PORT)`, which binds every interface; the test preloads
 * test/fixtures/loopback-only.mjs so that it binds 127.0.0.1, and proves it from /proc/net/tcp
 * and /proc/net/tcp6 before sending it a single byte.
 *
 * By default each transport is tested at its newest revision, four checks at a time (the CLI's
 * default), and the three transports at once, which keeps the file near 30 s on a busy two-core
 * machine: stdio dominates, since every check spawns a fresh server. Set
 * THIRD_PARTY_ALL_REVISIONS=1 to test every revision the server serves.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY } from '../cli/options.js';
import { sleep, waitFor } from '../drivers/deadline.js';
import type { Revision } from '../drivers/protocol.js';
import type { Target } from '../drivers/session.js';
import type { CheckResult } from '../report/model.js';
import type { Verdict } from '../suites/check.js';
import { ALL_CHECKS } from '../suites/index.js';
import { runSuite, type SuiteRun } from '../suites/runner.js';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, 'fixtures', 'loopback-only.mjs');
const EVERYTHING = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'warn', 'info', 'skip', 'error'];
const ALL_REVISIONS = process.env.THIRD_PARTY_ALL_REVISIONS === '1';
/**
 * A safety net for the whole suite against one target (the runner's own per-check deadlines
 * bound it well inside this); not a speed assertion. Stdio at one revision took 24 s at load
 * average 25, but one check at a time at load average 60 it took 215 s.
 */
const SUITE_DEADLINE_MS = ALL_REVISIONS ? 600_000 : 300_000;
/** Set to a folder to keep each transport's results (with their evidence) as JSON, for docs/third-party.md. */
const JSON_DIR = process.env.THIRD_PARTY_JSON_DIR;
const START_DEADLINE_MS = 15_000;
const STOP_GRACE_MS = 3_000;

/** A word only this file's children carry on their command line (server-everything ignores extra argv). */
const marker = `mcp-harness-third-party-${process.pid}-${Date.now()}`;

function processesWith(word: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(word) && !l.includes('ps -eo'));
}

async function expectReaped(word: string): Promise<void> {
  // Exits are asynchronous; give the kernel a moment, never more.
  await waitFor(() => processesWith(word).length === 0, 3000, 50);
  expect(processesWith(word)).toEqual([]);
}

// ---- loopback proof from /proc ------------------------------------------------------------------

interface ListenSocket {
  family: 4 | 6;
  /** the local address as /proc writes it: 8 hex digits (v4) or 32 (v6), in kernel byte order */
  address: string;
  inode: string;
}

const V4_LOOPBACK = '0100007F';
/** ::1, and ::ffff:127.0.0.1, as /proc/net/tcp6 writes them (four little-endian 32-bit words) */
const V6_LOOPBACK = new Set(['00000000000000000000000001000000', '0000000000000000FFFF00000100007F']);

/** Every socket in LISTEN state (st 0A) on `port`, from /proc/net/tcp and /proc/net/tcp6. */
function listeningOn(port: number): ListenSocket[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: ListenSocket[] = [];
  for (const [file, family] of [
    ['/proc/net/tcp', 4],
    ['/proc/net/tcp6', 6],
  ] as const) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel: nothing can listen there
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [address, localPort] = (fields[1] ?? '').split(':');
      if (localPort === hexPort && fields[3] === '0A' && address) found.push({ family, address, inode: fields[9] ?? '' });
    }
  }
  return found;
}

function isLoopback(socket: ListenSocket): boolean {
  return socket.family === 4 ? socket.address === V4_LOOPBACK : V6_LOOPBACK.has(socket.address);
}

/** The socket inodes a process holds open, from /proc/PID/fd. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes; // the process is gone
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

// ---- starting and stopping the HTTP modes ----------------------------------------------------------

/** A port nobody listens on now: bind 127.0.0.1:0, read it, close. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** One TCP connect to 127.0.0.1:port, closed at once; true when it was accepted within `ms`. */
function accepts(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

interface Started {
  child: ChildProcess;
  pid: number;
  port: number;
  /** stdout and stderr so far, bounded (drained so the server never blocks on a full pipe) */
  output(): string;
  exited(): boolean;
}

const started: Started[] = [];

async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', PRELOAD, EVERYTHING, mode, marker], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, so that stopping it reaches anything it might spawn
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start server-everything ${mode}`);
  const handle: Started = { child, pid, port, output: () => output, exited: () => exited };
  started.push(handle);
  return handle;
}

/**
 * Wait (bounded) until the server has a listening socket on its port, prove that every socket
 * listening there is loopback and that one of them is the server's own, and only then connect.
 */
async function expectLoopbackOnly(server: Started): Promise<void> {
  const inodes = () => (server.exited() ? new Set<string>() : socketInodes(server.pid));
  const listening = await waitFor(
    () => server.exited() || listeningOn(server.port).some((s) => inodes().has(s.inode)),
    START_DEADLINE_MS,
    50,
  );
  if (server.exited() || !listening) {
    throw new Error(`server-everything did not listen on ${server.port} within ${START_DEADLINE_MS} ms: ${server.output()}`);
  }
  const sockets = listeningOn(server.port);
  expect(sockets.length).toBeGreaterThan(0);
  // Never 0.0.0.0 (00000000) nor :: (32 zeros): every listening socket on the port is loopback.
  expect(sockets.filter((s) => !isLoopback(s)).map((s) => `${s.family === 4 ? 'tcp' : 'tcp6'} ${s.address}`)).toEqual([]);
  expect(sockets.some((s) => s.family === 4 && s.address === V4_LOOPBACK)).toBe(true);
  // Only now the first traffic: a bare TCP connect.
  const end = Date.now() + START_DEADLINE_MS;
  while (!(await accepts(server.port, 1000))) {
    if (Date.now() > end || server.exited()) throw new Error(`127.0.0.1:${server.port} does not accept: ${server.output()}`);
    await sleep(100);
  }
}

/** SIGTERM to its process group, SIGKILL after a grace period, and wait for the exit. */
async function stop(server: Started): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // already gone
    }
  };
  if (!server.exited()) {
    signalGroup('SIGTERM');
    if (!(await waitFor(server.exited, STOP_GRACE_MS, 20))) {
      signalGroup('SIGKILL');
      await waitFor(server.exited, STOP_GRACE_MS, 20);
    }
  }
  server.child.stdout?.destroy();
  server.child.stderr?.destroy();
}

afterAll(async () => {
  await Promise.all(started.map(stop));
  await expectReaped(marker);
});

// ---- running the suite and reporting ----------------------------------------------------------------

function clip(text: string | undefined, max = 140): string {
  if (text === undefined) return '';
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A compact table for the lead to quote: id, revision, verdict, and for fails what was expected and what came. */
function printTable(name: string, run: SuiteRun, ms: number): void {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0, expected: 0 };
  for (const r of run.results) counts[r.verdict]++;
  const lines = [
    `server-everything over ${name}: ${run.target.label}`,
    `  served ${run.target.supportedRevisions.join(', ') || '-'}; tested ${run.target.testedRevisions.join(', ') || '-'}; ` +
      `server ${run.target.serverInfo?.name ?? '?'} ${run.target.serverInfo?.version ?? '?'}; ${ms} ms`,
    `  ${VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ')}`,
  ];
  for (const r of run.results) {
    const head = `  ${r.id.padEnd(20)} ${r.revision.padEnd(10)} ${r.verdict.padEnd(5)} ${String(r.durationMs).padStart(6)} ms`;
    if (r.expected !== undefined || r.actual !== undefined) {
      lines.push(`${head} expected ${clip(r.expected)} | actual ${clip(r.actual)}`);
    } else if (r.reason !== undefined) {
      lines.push(`${head} ${clip(r.reason, r.verdict === 'error' ? 140 : 80)}`);
    } else {
      lines.push(head);
    }
  }
  console.log(lines.join('\n'));
}

/** Run the catalog against `target`, bounded as a whole, and assert only what any server must give us. */
async function runAndCheck(name: string, target: Target, label: string, revisions?: readonly Revision[]): Promise<SuiteRun> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SUITE_DEADLINE_MS);
  const t0 = Date.now();
  let run: SuiteRun;
  try {
    run = await runSuite({
      target,
      label,
      checks: ALL_CHECKS,
      ...(revisions ? { revisions } : {}),
      // The fixture contract is an echo tool taking `text`; server-everything's `echo` takes
      // `message`, so a user would give no fixtures (see docs/third-party.md).
      fixtures: {},
      // What `mcp-harness test` uses unless told otherwise: checks side by side, each with its own
      // connection or process.
      concurrency: DEFAULT_CONCURRENCY,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
  const ms = Date.now() - t0;
  printTable(name, run, ms);
  if (JSON_DIR) writeFileSync(join(JSON_DIR, `server-everything-${run.target.transport}.json`), JSON.stringify(run, null, 2));

  // It completed within its bound, not by being cut off.
  expect(controller.signal.aborted).toBe(false);
  // The target was usable: discovery found revisions to test, and checks actually ran.
  expect(run.target.testedRevisions.length).toBeGreaterThan(0);
  expect(run.results.filter((r) => r.reason?.startsWith('target unusable'))).toEqual([]);
  const ran = run.results.filter((r) => r.verdict !== 'skip' && r.verdict !== 'error');
  expect(ran.length).toBeGreaterThan(0);
  // A verdict per check: every check that applies to the selected revisions has a result, each one a known verdict.
  const expectedIds = ALL_CHECKS.filter((c) => !revisions || c.revisions.some((r) => revisions.includes(r))).map((c) => c.id);
  expect([...new Set(run.results.map((r) => r.id))].sort()).toEqual([...new Set(expectedIds)].sort());
  for (const r of run.results) expect(VERDICTS, `${r.id} ${r.revision}`).toContain(r.verdict);
  // Checks of this transport ran at a revision the server was found to serve.
  const own = run.results.filter((r: CheckResult) => r.verdict !== 'skip');
  for (const r of own) expect(run.target.testedRevisions).toContain(r.revision);
  return run;
}

describe('the loopback-only preload', () => {
  it('binds 127.0.0.1 for every listen form that names no host, and leaves explicit hosts alone', () => {
    // Each form listens, prints its address, closes; the child is bounded by execFileSync's timeout.
    const script = `
      const net = require('node:net');
      const forms = [
        (s, cb) => s.listen(0, cb),
        (s, cb) => s.listen('0', cb),
        (s, cb) => s.listen(0, 5, cb),
        (s, cb) => s.listen(0, undefined, cb),
        (s, cb) => s.listen({ port: 0 }, cb),
        (s, cb) => s.listen(cb),
        (s, cb) => s.listen(0, '0.0.0.0', cb),
        (s, cb) => s.listen({ port: 0, host: '0.0.0.0' }, cb),
      ];
      (async () => {
        const out = [];
        for (const form of forms) {
          const s = net.createServer();
          await new Promise((resolve) => form(s, resolve));
          out.push(s.address().address);
          await new Promise((resolve) => s.close(resolve));
        }
        console.log(JSON.stringify(out));
      })();
    `;
    const out = execFileSync(process.execPath, ['--import', PRELOAD, '-e', script, marker], { encoding: 'utf8', timeout: 10_000 });
    expect(JSON.parse(out)).toEqual([...Array(6).fill('127.0.0.1'), '0.0.0.0', '0.0.0.0']);
  });
});

describe('server-everything (npm) through the whole catalog', () => {
  it.concurrent('over stdio', { timeout: SUITE_DEADLINE_MS + 20_000 }, async () => {
    const word = `${marker}-stdio`;
    const target: Target = { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio', word] };
    await runAndCheck('stdio', target, `node ${EVERYTHING} stdio`, ALL_REVISIONS ? undefined : ['2025-11-25']);
    // Each check session spawned its own server; every one of them is gone.
    await expectReaped(word);
  });

  it.concurrent('over Streamable HTTP, listening on loopback only', { timeout: SUITE_DEADLINE_MS + 40_000 }, async () => {
    const server = await startEverything('streamableHttp');
    try {
      await expectLoopbackOnly(server);
      const url = `http://127.0.0.1:${server.port}/mcp`;
      await runAndCheck('Streamable HTTP', { transport: 'http', url }, url, ALL_REVISIONS ? undefined : ['2025-11-25']);
      expect(server.exited(), server.output()).toBe(false);
    } finally {
      await stop(server);
    }
    expect(server.exited()).toBe(true);
  });

  it.concurrent('over legacy HTTP+SSE, listening on loopback only', { timeout: SUITE_DEADLINE_MS + 40_000 }, async () => {
    const server = await startEverything('sse');
    try {
      await expectLoopbackOnly(server);
      const url = `http://127.0.0.1:${server.port}/sse`;
      // Legacy SSE is tested at 2024-11-05, the revision that defines it; checks of later revisions show as skips.
      await runAndCheck('legacy HTTP+SSE', { transport: 'sse', url }, url);
      expect(server.exited(), server.output()).toBe(false);
    } finally {
      await stop(server);
    }
    expect(server.exited()).toBe(true);
  });
});
