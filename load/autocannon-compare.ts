/**
 * In-run calibration on an HTTP endpoint: autocannon loads the same server, with the same
 * connections and the same request (ping or server/discover, with the session's own headers), right after the
 * engine did; the summary sets the two throughputs side by side with the generator's CPU.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { AutocannonResult } from 'autocannon';
import type { Revision } from '../drivers/protocol.js';
import { buildRequest, modernMeta, requestParams } from '../drivers/rpc-core.js';
import type { HttpSession, Target } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import { loadDriverFactory } from './driver-factory.js';
import { engineModule } from './module-path.js';
import { pinProcess } from './pin.js';
import { round } from './stats.js';
import { harmlessMethod } from './workload.js';

export interface AutocannonComparison {
  target: string;
  connections: number;
  durationMs: number;
  /** the engine's ping throughput on this target (closed loop, same connections) */
  harnessRps: number;
  autocannonRps: number;
  /** harness / autocannon */
  ratio: number;
  generatorCpuPercent: number;
  autocannonErrors: number;
  autocannonNon2xx: number;
}

export interface AutocannonRun {
  url: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  body: string;
  headers: Record<string, string>;
  pin?: string;
}

/** autocannon in its own (pinnable) process; requests/s over its measured window. */
export async function runAutocannon(run: AutocannonRun): Promise<AutocannonResult> {
  const m = engineModule('autocannon-run');
  const child: ChildProcess = fork(m.file, [], { execArgv: m.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (run.pin !== undefined && child.pid !== undefined) pinProcess(child.pid, run.pin);
  const limit = run.warmupMs + run.durationMs + 60_000;
  try {
    return await new Promise<AutocannonResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('autocannon did not finish')), limit);
      child.once('message', (msg: { ok: boolean; result?: AutocannonResult; message?: string }) => {
        clearTimeout(timer);
        if (msg.ok && msg.result) resolve(msg.result);
        else reject(new Error(`autocannon failed: ${msg.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`autocannon exited (code ${code}) without a result`));
      });
      child.send({
        url: run.url,
        connections: run.connections,
        method: 'POST',
        body: run.body,
        headers: run.headers,
        duration: run.durationMs / 1000,
        ...(run.warmupMs > 0 ? { warmup: { connections: run.connections, duration: run.warmupMs / 1000 } } : {}),
        timeout: 10,
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export function autocannonRps(r: AutocannonResult): number {
  return r.duration > 0 ? r.requests.total / r.duration : 0;
}

/**
 * Load a Streamable HTTP target with autocannon: a session is opened first (so a stateful
 * server sees its session id), autocannon repeats the session's own ping POST, then the session
 * is closed.
 */
export async function autocannonOnTarget(
  target: Extract<Target, { transport: 'http' }>,
  revision: Revision,
  run: Omit<AutocannonRun, 'url' | 'body' | 'headers'>,
): Promise<AutocannonResult> {
  const create = await loadDriverFactory();
  const driver = create(target, new WireLog({ enabled: false }));
  try {
    const session = (await driver.open(revision)) as HttpSession;
    const method = harmlessMethod(revision);
    const params = requestParams(revision, undefined, undefined, modernMeta());
    const body = JSON.stringify(buildRequest(1, method, params));
    const headers = { ...(target.headers ?? {}), ...session.headersFor(method, params) };
    return await runAutocannon({ ...run, url: target.url, body, headers });
  } finally {
    await driver.close();
  }
}

export function compare(
  target: string,
  connections: number,
  durationMs: number,
  harnessRps: number,
  generatorCpuPercent: number,
  a: AutocannonResult,
): AutocannonComparison {
  const theirs = autocannonRps(a);
  return {
    target,
    connections,
    durationMs,
    harnessRps: round(harnessRps),
    autocannonRps: round(theirs),
    ratio: theirs > 0 ? round(harnessRps / theirs, 3) : 0,
    generatorCpuPercent,
    autocannonErrors: a.errors,
    autocannonNon2xx: a.non2xx,
  };
}
