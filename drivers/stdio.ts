/**
 * The stdio driver: one fresh child process per session, newline-delimited JSON on its pipes.
 *
 * Raw level (StdioSession): every stdout line exactly as written (blank lines, trailing CRs and
 * non-JSON included), exact stdin bytes, stderr, and the shutdown steps one at a time.
 * JSON-RPC level (RpcSession): request/response by id, notifications, raw sends; the era is
 * hidden here (initialize handshake for legacy revisions, per-request `_meta` for the modern one).
 * Both come from the JSON-RPC core (rpc-core.ts): its envelopes build every message, and its
 * router pairs stdout's messages with the requests waiting for them, so ids match here exactly
 * as on the HTTP transports. A dead process settles what waits as timed out (closedAsTimeout).
 *
 * Typing: `createStdioDriver` returns a StdioDriver, a Driver whose `open` is declared to return
 * StdioSession, so callers get the raw level without a cast; `openStdio` does the same without a
 * driver (the caller then owns the session and must close it).
 *
 * The child leads its own process group (detached), so shutdown signals reach grandchildren too:
 * a server started through `npx` or a shell wrapper must not leave its real process behind
 * holding the pipes.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { DEADLINES } from './deadline.js';
import { LineSplitter } from './line-splitter.js';
import type { JsonRpcMessage, Revision } from './protocol.js';
import { errorOf, isModern } from './protocol.js';
import {
  buildNotification,
  buildRequest,
  DISCOVER_METHOD,
  handshakeParams,
  MessageRouter,
  modernMeta,
  parsePayload,
  progressTokenOf,
  requestParams,
} from './rpc-core.js';
import type {
  Driver,
  OpenOptions,
  ProcessExit,
  RawOptions,
  RawReply,
  RawUntil,
  RequestOptions,
  RpcReply,
  StdioSession,
  Target,
} from './session.js';
import type { WireLog } from './wire-log.js';

export type StdioTarget = Extract<Target, { transport: 'stdio' }>;

/** A StdioSession with what only a locally spawned process has. */
export interface SpawnedStdioSession extends StdioSession {
  /** stdout lines seen so far, including those past the bound of stdoutLines */
  readonly linesSeen: number;
  /** indexes into stdoutLines of lines that were not valid UTF-8 (decoded there with U+FFFD) */
  readonly invalidUtf8Lines: readonly number[];
}

export interface StdioDriver extends Driver {
  readonly transport: 'stdio';
  open(revision: Revision, opts?: OpenOptions): Promise<SpawnedStdioSession>;
}

/** Bounds that keep a hostile server from exhausting the harness's memory. */
export const STDIO_LIMITS = {
  maxLineBytes: 64 * 1024 * 1024,
  keptLines: 10_000,
  keptLineChars: 128 * 1024 * 1024,
  keptMessages: 10_000,
  stderrChars: 64 * 1024,
} as const;

/** Each step of close()'s escalation (stdin EOF, SIGTERM, SIGKILL) waits this long for an exit. */
const SHUTDOWN_STEP_MS = 1_000;
/** After the leader exits, how long grandchildren get between SIGTERM and SIGKILL. */
const GROUP_GRACE_MS = 1_000;
/**
 * 'exit' can fire before the last bytes the process wrote have been read from the pipe; a
 * response written just before exiting still counts if it arrives within this window.
 */
const EXIT_DRAIN_MS = 100;
const SUMMARY_CHARS = 200;

export function createStdioDriver(target: StdioTarget, log: WireLog): StdioDriver {
  const sessions = new Set<StdioProcessSession>();
  return {
    transport: 'stdio',
    log,
    async open(revision, opts = {}) {
      const session = new StdioProcessSession(target, log, revision, opts.capabilities ?? {});
      // Tracked before the handshake, so that a close() during open() still reaps the process.
      sessions.add(session);
      void session.closed.then(() => sessions.delete(session));
      await session.start(opts);
      return session;
    },
    async close() {
      await Promise.all([...sessions].map((s) => s.close()));
    },
  };
}

/** Open one session without a driver. The caller must close() it. */
export async function openStdio(
  target: StdioTarget,
  log: WireLog,
  revision: Revision,
  opts: OpenOptions = {},
): Promise<SpawnedStdioSession> {
  const session = new StdioProcessSession(target, log, revision, opts.capabilities ?? {});
  await session.start(opts);
  return session;
}

// ---- process groups still alive, killed if the harness exits without closing them ----------

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a harness that exits (or crashes) with sessions open; 'exit' handlers must be synchronous.
  process.on('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

/** Signal the whole group; returns false when no process of the group is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any process of the group is still running. A zombie does not count: it holds no pipes
 * and cannot be killed, and orphans wait for init to reap them (on some systems for a second or
 * more). Linux answers this from /proc; elsewhere any member, zombie or not, counts.
 */
function groupRunning(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57);
  } catch {
    return true;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    // Fields after the command name, which is in parentheses and may itself contain spaces: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/**
 * Poll until `predicate` holds or `ms` passes. Unlike deadline.ts's waitFor, the timers keep the
 * event loop alive: a shutdown in progress must finish even when nothing else is left running.
 */
function pollUntil(predicate: () => boolean, ms: number, stepMs = 20): Promise<boolean> {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const tick = () => {
      if (predicate()) resolve(true);
      else if (performance.now() >= end) resolve(false);
      else setTimeout(tick, stepMs);
    };
    tick();
  });
}

// ---- the session -----------------------------------------------------------------------------

interface LineWaiter {
  count: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** See writeLine: how many lines are gathered into one write. Measured with 32 requests in flight. */
const WRITE_EVERY_LINES = 4;

/** Bytes for the wire log: text when they are UTF-8, otherwise \xNN escapes for what is not printable. */
function printable(bytes: string | Uint8Array): string {
  if (typeof bytes === 'string') return bytes;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  for (const b of buf) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 10 ? '\n' : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

function describeExit(exit: ProcessExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  return exit.afterMs === undefined ? `exit ${how}` : `exit ${how} after ${exit.afterMs} ms`;
}

class StdioProcessSession implements SpawnedStdioSession {
  readonly transport = 'stdio' as const;
  initializeResponse: JsonRpcMessage | undefined;
  pid: number | undefined;
  /** the first STDIO_LIMITS.keptLines stdout lines (see linesSeen for the total) */
  readonly stdoutLines: string[] = [];
  /** every stdout line counted, kept or not */
  linesSeen = 0;
  readonly invalidUtf8Lines: number[] = [];
  stderr = '';
  exited: ProcessExit | undefined;
  /** resolves once close() has finished */
  readonly closed: Promise<void>;

  private readonly modern: boolean;
  private readonly logOn: boolean;
  private stdin: Writable | undefined;
  private stdout: Readable | undefined;
  private stderrStream: Readable | undefined;
  private nextId = 1;
  private keptChars = 0;
  private readonly router = new MessageRouter({ received: STDIO_LIMITS.keptMessages, closedAsTimeout: true });
  /** the required 2026-07-28 `_meta` of every request (modern era only) */
  private readonly baseMeta: Record<string, unknown> | undefined;
  private readonly lineWaiters = new Set<LineWaiter>();
  private readonly exitWaiters = new Set<(exit: ProcessExit) => void>();
  /** no more output can arrive: stdout ended, or the process exited and its pipe drained */
  private gone = false;
  private stdinEnded = false;
  private stdoutEnded = false;
  private lastStepAt: number | undefined;
  private closing: Promise<void> | undefined;
  private markClosed: () => void = () => {};

  constructor(
    private readonly target: StdioTarget,
    readonly log: WireLog,
    readonly revision: Revision,
    capabilities: Record<string, unknown>,
  ) {
    this.modern = isModern(revision);
    this.baseMeta = this.modern ? modernMeta(capabilities) : undefined;
    this.logOn = log.enabled;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  get received(): readonly JsonRpcMessage[] {
    return this.router.received;
  }

  private get label(): string {
    return [this.target.command, ...this.target.args].join(' ');
  }

  /** Spawn, then run the handshake of the revision's era. Rejects (after reaping) on failure. */
  async start(opts: OpenOptions): Promise<void> {
    try {
      await this.spawn();
      if (opts.initialize !== false) await (this.modern ? this.awaitReady() : this.handshake(opts));
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  private async spawn(): Promise<void> {
    const { command, args, env, cwd } = this.target;
    const child = execa(command, args, {
      env: env ?? {},
      extendEnv: true,
      ...(cwd === undefined ? {} : { cwd }),
      detached: true,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      encoding: 'buffer',
      reject: false,
      cleanup: false,
      forceKillAfterDelay: false,
      windowsHide: true,
    });
    // Outcome is observed through the events below; the result promise must not go unhandled.
    child.catch(() => {});
    this.stdin = child.stdin;
    this.stdout = child.stdout;
    this.stderrStream = child.stderr;

    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (this.pid !== undefined) {
          // After a successful spawn this is a failed kill or similar; the exit event tells the rest.
          this.onStreamError('process', err);
          return;
        }
        const where = cwd === undefined ? '' : ` in ${cwd}`;
        reject(new Error(`cannot start "${this.label}"${where}: ${err.code ?? err.message}`));
      });
    });
    this.pid = child.pid;
    if (this.pid !== undefined) trackGroup(this.pid);
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: `spawn pid ${this.pid}: ${this.label}` });

    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.stdin.on('error', (err) => this.onStreamError('stdin', err));
    child.stdout.on('error', (err) => this.onStreamError('stdout', err));
    child.stderr.on('error', (err) => this.onStreamError('stderr', err));

    const splitter = new LineSplitter(
      {
        line: (bytes, terminated) => this.onLine(bytes, terminated),
        oversize: (head, total) => this.onOversize(head, total),
      },
      STDIO_LIMITS.maxLineBytes,
    );
    child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stdout.on('end', () => {
      splitter.end();
      this.stdoutEnded = true;
      // The exit usually follows within milliseconds; waiting for it lets a timed-out request report why.
      void this.waitForExit(EXIT_DRAIN_MS).then(() => this.markGone());
    });
    child.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk));
  }

  /**
   * The modern era has no handshake to absorb the process's start-up, so a check's first prompt
   * deadline (or quiet window) would include it: a server still loading would look silent. A
   * server/discover, as a modern client opens with, waits until the process answers; its outcome
   * is left to the checks that test it, and a server that never answers is tested all the same.
   */
  private async awaitReady(): Promise<void> {
    await this.request(DISCOVER_METHOD, {}, { timeoutMs: DEADLINES.connect });
  }

  private async handshake(opts: OpenOptions): Promise<void> {
    const reply = await this.request('initialize', handshakeParams(this.revision, opts), { timeoutMs: DEADLINES.connect });
    const response = reply.response;
    if (!response) {
      const why = this.exited
        ? `the process ended (${describeExit(this.exited)})`
        : this.stdoutEnded
          ? 'the process closed its stdout'
          : `no response within ${DEADLINES.connect} ms`;
      throw new Error(`initialize failed on "${this.label}": ${why}${this.stderrTail()}`);
    }
    const error = errorOf(response);
    if (error || !isObject(response.result)) {
      const what = error ? `error ${error.code} ${JSON.stringify(error.message)}` : 'a response without a result';
      throw new Error(`initialize failed on "${this.label}": the server answered ${what}`);
    }
    this.initializeResponse = response;
    this.writeLine(JSON.stringify(buildNotification('notifications/initialized')));
  }

  private stderrTail(): string {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return tail ? `; stderr: ${tail.slice(-500)}` : '';
  }

  // ---- JSON-RPC level --------------------------------------------------------------------------

  request(method: string, params?: Record<string, unknown>, opts: RequestOptions = {}): Promise<RpcReply> {
    return new Promise<RpcReply>((resolve) => this.requestWith(method, params, opts, resolve));
  }

  requestWith(method: string, params: Record<string, unknown> | undefined, opts: RequestOptions, onReply: (reply: RpcReply) => void): void {
    if (this.gone || this.stdinEnded) {
      onReply({ messages: [], timedOut: true });
      return;
    }
    const id = opts.id !== undefined ? opts.id : this.nextId++;
    const finalParams = requestParams(this.revision, params, opts.meta, this.baseMeta);
    this.router.expectWith(id, opts.timeoutMs ?? DEADLINES.request, onReply, progressTokenOf(finalParams));
    this.writeLine(JSON.stringify(buildRequest(id, method, finalParams)));
  }

  notify(method: string, params?: Record<string, unknown>, opts: RawOptions = {}): Promise<RawReply> {
    return this.exchange(JSON.stringify(buildNotification(method, params)), 'quiet', opts.timeoutMs ?? DEADLINES.quietWindow);
  }

  sendRaw(text: string, opts: RawOptions = {}): Promise<RawReply> {
    const until = opts.until ?? 'message';
    const ms = opts.timeoutMs ?? (until === 'quiet' ? DEADLINES.quietWindow : DEADLINES.request);
    return this.exchange(text, until, ms);
  }

  private exchange(text: string, until: RawUntil, ms: number): Promise<RawReply> {
    const collection = this.router.collect(until, ms);
    // Nothing sent, nothing to wait for.
    if (!this.writeLine(text) || this.gone) collection.end();
    return collection.done;
  }

  // ---- raw level -------------------------------------------------------------------------------

  writeBytes(bytes: string | Uint8Array): Promise<void> {
    const stdin = this.stdin;
    if (!stdin || this.stdinEnded || !stdin.writable) {
      return Promise.reject(new Error(`stdin of "${this.label}" is closed`));
    }
    if (this.logOn) {
      const text = printable(bytes);
      this.log.record({ channel: 'stdin', direction: 'out', summary: text.slice(0, SUMMARY_CHARS), data: text });
    }
    this.flushLines();
    return new Promise((resolve, reject) => {
      stdin.write(bytes, (err) => (err ? reject(new Error(`write to stdin of "${this.label}" failed: ${err.message}`)) : resolve()));
    });
  }

  /** Returns false when stdin is already closed and nothing was written. */
  private writeLine(text: string): boolean {
    const stdin = this.stdin;
    if (!stdin || this.stdinEnded || !stdin.writable) {
      if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: 'not written: stdin is closed', data: text });
      return false;
    }
    if (this.logOn) this.log.record({ channel: 'stdin', direction: 'out', summary: text.slice(0, SUMMARY_CHARS), data: `${text}\n` });
    // Lines are gathered and written a few at a time: a write(2) per line was most of the
    // generator's time with many requests in flight, yet holding every line of a tick back
    // until its end leaves the server idle meanwhile (the two then take turns instead of
    // working side by side). The rest of a tick's lines go out at its end.
    this.outText += `${text}\n`;
    if (++this.outLines >= WRITE_EVERY_LINES) this.flushLines();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      process.nextTick(() => {
        this.flushQueued = false;
        this.flushLines();
      });
    }
    return true;
  }

  /** Write the gathered lines; before raw bytes or stdin's end, so that order is kept. */
  private flushLines(): void {
    if (this.outLines === 0) return;
    const text = this.outText;
    this.outText = '';
    this.outLines = 0;
    if (this.stdin?.writable) this.stdin.write(text);
  }

  private outText = '';
  private outLines = 0;
  private flushQueued = false;

  waitForLines(count: number, timeoutMs: number): Promise<boolean> {
    if (this.linesSeen >= count) return Promise.resolve(true);
    if (this.gone) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: LineWaiter = {
        count,
        resolve,
        timer: setTimeout(() => {
          this.lineWaiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.lineWaiters.add(waiter);
    });
  }

  async closeStdin(timeoutMs: number): Promise<ProcessExit | undefined> {
    if (!this.stdinEnded && this.stdin) {
      this.stdinEnded = true;
      this.lastStepAt = performance.now();
      if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: 'close stdin' });
      this.flushLines();
      this.stdin.end();
    }
    return this.waitForExit(timeoutMs);
  }

  terminate(timeoutMs: number): Promise<ProcessExit | undefined> {
    return this.signalAndWait('SIGTERM', timeoutMs);
  }

  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<ProcessExit | undefined> {
    if (this.exited || this.pid === undefined) return this.exited;
    this.lastStepAt = performance.now();
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: `${signal} to process group ${this.pid}` });
    signalGroup(this.pid, signal);
    return this.waitForExit(timeoutMs);
  }

  private waitForExit(timeoutMs: number): Promise<ProcessExit | undefined> {
    if (this.exited || this.pid === undefined) return Promise.resolve(this.exited);
    return new Promise((resolve) => {
      const done = (exit: ProcessExit | undefined) => {
        clearTimeout(timer);
        this.exitWaiters.delete(onExit);
        resolve(exit);
      };
      const onExit = (exit: ProcessExit) => done(exit);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.exitWaiters.add(onExit);
    });
  }

  /**
   * Close stdin, then SIGTERM, then SIGKILL (to the whole group), each step waiting for the exit;
   * then make sure no grandchild of the group survives. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown().finally(() => this.markClosed());
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined) {
      if (!this.exited) await this.closeStdin(SHUTDOWN_STEP_MS);
      if (!this.exited) await this.signalAndWait('SIGTERM', SHUTDOWN_STEP_MS);
      if (!this.exited) await this.signalAndWait('SIGKILL', SHUTDOWN_STEP_MS);
      await this.reapGroup(pid);
      liveGroups.delete(pid);
    }
    // A process that escaped the group (setsid) may still hold the pipes; stop reading them.
    this.stdin?.destroy();
    this.stdout?.destroy();
    this.stderrStream?.destroy();
    this.markGone();
  }

  /** The leader is gone; grandchildren left in its group get SIGTERM, then SIGKILL. */
  private async reapGroup(pid: number): Promise<void> {
    if (!groupRunning(pid)) return;
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: `SIGTERM to what is left of process group ${pid}` });
    signalGroup(pid, 'SIGTERM');
    if (await pollUntil(() => !groupRunning(pid), GROUP_GRACE_MS)) return;
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: `SIGKILL to what is left of process group ${pid}` });
    signalGroup(pid, 'SIGKILL');
    // SIGKILL cannot be refused, but delivery takes a moment.
    await pollUntil(() => !groupRunning(pid), GROUP_GRACE_MS);
  }

  // ---- incoming --------------------------------------------------------------------------------

  private onLine(bytes: Buffer, terminated: boolean): void {
    const text = bytes.toString('utf8');
    const index = this.linesSeen++;
    if (this.stdoutLines.length < STDIO_LIMITS.keptLines && this.keptChars + text.length <= STDIO_LIMITS.keptLineChars) {
      this.stdoutLines.push(text);
      this.keptChars += text.length;
      if (text.includes('\uFFFD') && !isUtf8(bytes)) this.invalidUtf8Lines.push(index);
    }
    if (this.logOn) {
      const note = terminated ? '' : ' [no LF before EOF]';
      this.log.record({ channel: 'stdout', direction: 'in', summary: text.slice(0, SUMMARY_CHARS) + note, data: text });
    }
    // A line that carries no JSON-RPC object (blank, not JSON, a bare value) is reported as non-JSON.
    const { messages } = parsePayload(text);
    if (messages.length === 0) this.router.deliverNonJson(text);
    for (const message of messages) this.router.deliver(message);
    if (this.lineWaiters.size > 0) this.wakeLineWaiters();
  }

  private onOversize(head: Buffer, totalBytes: number): void {
    const text = `${head.toString('utf8')}… [line truncated: ${totalBytes} bytes, over the ${STDIO_LIMITS.maxLineBytes}-byte bound]`;
    this.linesSeen++;
    if (this.stdoutLines.length < STDIO_LIMITS.keptLines) this.stdoutLines.push(text);
    if (this.logOn) this.log.record({ channel: 'stdout', direction: 'in', summary: text.slice(0, SUMMARY_CHARS), data: text });
    this.router.deliverNonJson(text);
    if (this.lineWaiters.size > 0) this.wakeLineWaiters();
  }

  private wakeLineWaiters(): void {
    for (const w of this.lineWaiters) {
      if (this.linesSeen >= w.count) {
        clearTimeout(w.timer);
        this.lineWaiters.delete(w);
        w.resolve(true);
      }
    }
  }

  /** a character split across two reads must not decode as two U+FFFD (STDIO-LOG-01 reads them as invalid UTF-8) */
  private readonly stderrDecoder = new StringDecoder('utf8');

  private onStderr(chunk: Buffer): void {
    const text = this.stderrDecoder.write(chunk);
    if (text === '') return;
    this.stderr = (this.stderr + text).slice(-STDIO_LIMITS.stderrChars);
    if (this.logOn) {
      this.log.record({
        channel: 'stderr',
        direction: 'in',
        summary: text.trimEnd().split('\n', 1)[0]!.slice(0, SUMMARY_CHARS),
        data: text,
      });
    }
  }

  private onStreamError(stream: string, err: Error): void {
    // EPIPE on stdin is how a dead server shows up on a write; the exit event tells the rest.
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: `${stream}: ${err.message}` });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const exit: ProcessExit = { code, signal };
    if (this.lastStepAt !== undefined) exit.afterMs = Math.round(performance.now() - this.lastStepAt);
    this.exited = exit;
    if (this.logOn) this.log.record({ channel: 'process', direction: 'meta', summary: describeExit(exit) });
    for (const waiter of [...this.exitWaiters]) waiter(exit);
    setTimeout(() => this.markGone(), EXIT_DRAIN_MS);
  }

  /** Nothing more can arrive: every waiting request and exchange ends now rather than at its deadline. */
  private markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.router.close();
    for (const w of [...this.lineWaiters]) {
      clearTimeout(w.timer);
      this.lineWaiters.delete(w);
      w.resolve(this.linesSeen >= w.count);
    }
  }
}
