/**
 * The generator's worker processes. Each phase is split between the workers (concurrency and
 * rate divided), every worker opens its sessions, then all start together; their histograms
 * are merged exactly. Workers are forked once per bench and reused across phases.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { LoadShape } from '../scenarios/types.js';
import { engineModule } from './module-path.js';
import type { PhaseResult, PhaseSpec } from './phase.js';
import { mergePhaseResults } from './merge.js';
import { pinProcess } from './pin.js';
import type { FromWorker, ToWorker } from './worker-main.js';

const PREPARE_MS = 60_000;
/** on top of the phase's own warm-up + duration + drain */
const RESULT_SLACK_MS = 30_000;

class Worker {
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  exited = false;

  constructor(readonly child: ChildProcess) {
    child.on('message', (m) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) {
        clearTimeout(w.timer);
        w.resolve(m as FromWorker);
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const w = this.waiting;
      this.waiting = undefined;
      if (w) {
        clearTimeout(w.timer);
        w.reject(new Error(`worker ${child.pid} exited (${signal ?? code})`));
      }
    });
  }

  ask(msg: ToWorker, timeoutMs: number): Promise<FromWorker> {
    if (this.exited) return Promise.reject(new Error('worker has exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        // A worker that stopped answering is of no further use: end it (it is replaced on the next phase).
        this.child.kill('SIGKILL');
        reject(new Error(`worker ${this.child.pid} did not answer "${msg.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
      this.child.send(msg);
    });
  }
}

/** Split a load shape over n workers: concurrency and rate are divided, the remainder spread. */
export function splitLoad(load: LoadShape, n: number): LoadShape[] {
  if (load.mode === 'closed') {
    const k = Math.min(n, load.concurrency);
    return Array.from({ length: k }, (_, i) => ({
      mode: 'closed' as const,
      concurrency: Math.floor(load.concurrency / k) + (i < load.concurrency % k ? 1 : 0),
    }));
  }
  return Array.from({ length: n }, () => ({
    mode: 'open' as const,
    rate: load.rate / n,
    maxInFlight: Math.max(1, Math.ceil(load.maxInFlight / n)),
  }));
}

/**
 * A young generation that neither starts small nor shrinks while the worker idles between
 * phases: at stdio's rates the hot path's short-lived objects fill V8's default one every few
 * milliseconds. In the calibration (five pinned repeats, 32 in flight over stdio) a phase that
 * followed an idle spell ran at about 60 % of the others' speed in two repeats of five with
 * V8's defaults, in one of five with these sizes, and the rest ran about 5 % faster.
 */
const GENERATOR_HEAP = ['--min-semi-space-size=16', '--max-semi-space-size=64'];

export class WorkerPool {
  private readonly workers: Worker[] = [];

  /** `pin`: CPU list for the generator processes (taskset), or undefined. */
  constructor(
    readonly size: number,
    private readonly pin?: string,
  ) {}

  start(): void {
    for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
  }

  private spawn(): Worker {
    const m = engineModule('worker-main');
    const child = fork(m.file, [], { execArgv: [...m.execArgv, ...GENERATOR_HEAP], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    if (this.pin !== undefined && child.pid !== undefined) pinProcess(child.pid, this.pin);
    return new Worker(child);
  }

  /** A worker that died (a crash, a kill) is replaced, so one bad phase does not sink the rest. */
  private replaceDead(): void {
    for (let i = 0; i < this.workers.length; i++) if (this.workers[i]!.exited) this.workers[i] = this.spawn();
  }

  get pids(): number[] {
    return this.workers.map((w) => w.child.pid).filter((p): p is number => p !== undefined);
  }

  /** Run one phase across the workers and merge their results. */
  async run(spec: PhaseSpec, onGo?: () => void): Promise<PhaseResult> {
    this.replaceDead();
    const shares = splitLoad(spec.load, this.workers.length);
    const used = this.workers.slice(0, shares.length);
    const prepared = await Promise.allSettled(
      used.map((w, i) => w.ask({ type: 'prepare', spec: { ...spec, load: shares[i]!, tag: `w${i}` } }, PREPARE_MS)),
    );
    const failed = prepared.find((p): p is PromiseSettledResult<FromWorker> => p.status === 'rejected' || p.value.type === 'error');
    if (failed) {
      await Promise.allSettled(used.map((w) => w.ask({ type: 'abort' }, PREPARE_MS)));
      throw new Error(
        failed.status === 'rejected' ? String((failed.reason as Error).message) : (failed.value as { message: string }).message,
      );
    }
    const limit = spec.warmupMs + spec.durationMs + spec.timeoutMs + RESULT_SLACK_MS;
    onGo?.();
    const answers = await Promise.all(used.map((w) => w.ask({ type: 'go' }, limit)));
    const results: PhaseResult[] = [];
    for (const a of answers) {
      if (a.type !== 'result') throw new Error(a.type === 'error' ? a.message : `unexpected answer ${a.type}`);
      results.push(a.result);
    }
    return mergePhaseResults(results);
  }

  /** Ask every worker to exit; kill those that do not within the deadline. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exited) return resolve();
            const timer = setTimeout(() => {
              w.child.kill('SIGKILL');
              resolve();
            }, 5000);
            w.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (w.child.connected) w.child.send({ type: 'exit' } satisfies ToWorker);
            else w.child.kill('SIGTERM');
          }),
      ),
    );
    this.workers.length = 0;
  }
}
