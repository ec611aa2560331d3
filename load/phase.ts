/**
 * One phase: one load shape, for one duration, against one target, from this process. Split in
 * two steps so that several worker processes can open their sessions first and then start the
 * clock together: prepare (driver, sessions) and go (the loop, then close).
 */
import type { Revision } from '../drivers/protocol.js';
import type { RpcSession, Target } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import type { LoadShape, SessionStrategy, Workload } from '../scenarios/types.js';
import { runClosedLoop } from './closed-loop.js';
import type { DriverFactory } from './driver-factory.js';
import { loadDriverFactory } from './driver-factory.js';
import { encodeHistogram } from './histogram.js';
import { runOpenLoop } from './open-loop.js';
import { pinProcess } from './pin.js';
import { ProgressClock } from './progress-clock.js';
import type { RecordedRun } from './recorder.js';
import { measureSelf, ProcessSampler, type ResourceUsage } from './resources.js';
import { createSender, type Sender } from './sessions.js';
import { opFor } from './workload.js';

export interface PhaseSpec {
  target: Target;
  revision: Revision;
  workload: Workload;
  strategy: SessionStrategy;
  load: LoadShape;
  durationMs: number;
  warmupMs: number;
  timeoutMs: number;
  /** pin server processes this phase spawns (stdio) to these CPUs (taskset list, "0") */
  pinServer?: string;
  /** distinguishes progress tokens of several workers on one server */
  tag?: string;
}

export interface PhaseResult {
  run: RecordedRun;
  /** encoded histogram of session opening times, µs (absent when none were timed) */
  initialize?: string;
  progress?: { firstEvent: string; gap: string; events: number; expected: number };
  generator: ResourceUsage;
  /** server processes this phase started itself (stdio), sampled from /proc */
  server?: ResourceUsage;
  hasSessions: boolean;
  startedAtEpochMs: number;
}

export interface PreparedPhase {
  go(): Promise<PhaseResult>;
  /** give up without running (another worker failed to prepare) */
  abort(): Promise<void>;
}

export async function preparePhase(spec: PhaseSpec, factory?: DriverFactory): Promise<PreparedPhase> {
  const create = factory ?? (await loadDriverFactory());
  const clock = spec.workload.kind === 'progress' ? new ProgressClock() : undefined;
  const log = clock ?? new WireLog({ enabled: false });
  const driver = create(spec.target, log);
  const slots = spec.load.mode === 'closed' ? spec.load.concurrency : spec.load.maxInFlight;
  const sampler = new ProcessSampler();
  const onSession = (session: RpcSession): void => {
    const pid = (session as { pid?: unknown }).pid;
    if (typeof pid !== 'number') return;
    if (spec.pinServer !== undefined) pinProcess(pid, spec.pinServer);
    sampler.add(pid);
  };
  let sender: Sender;
  try {
    sender = await createSender({
      driver,
      revision: spec.revision,
      strategy: spec.strategy,
      slots,
      op: opFor(spec.workload, spec.timeoutMs, `${spec.tag ?? 'p'}-`, spec.revision),
      timeoutMs: spec.timeoutMs,
      onSession,
      ...(clock ? { clock } : {}),
    });
  } catch (err) {
    // Sessions that did open, and any process spawned for them, go with the driver.
    await driver.close().catch(() => {});
    throw err;
  }

  return {
    abort: () => sender.close(),
    async go() {
      const startedAtEpochMs = Date.now();
      const self = measureSelf();
      sampler.start();
      sender.measureFromMs = performance.now() + spec.warmupMs;
      let run: RecordedRun;
      let generator: ResourceUsage | undefined;
      let server: ResourceUsage | undefined;
      try {
        const bounds = { durationMs: spec.durationMs, warmupMs: spec.warmupMs, drainMs: spec.timeoutMs };
        run =
          spec.load.mode === 'closed'
            ? await runClosedLoop({ ...bounds, concurrency: spec.load.concurrency, send: sender.send })
            : await runOpenLoop({
                ...bounds,
                rate: spec.load.rate,
                maxInFlight: spec.load.maxInFlight,
                timeoutMs: spec.timeoutMs,
                send: sender.send,
              });
      } finally {
        // Measured before close: shutting sessions down is not part of the load.
        generator = self();
        server = sampler.stop();
        await sender.close();
      }
      const result: PhaseResult = { run, generator: generator!, hasSessions: sender.hasSessions, startedAtEpochMs };
      if (server) result.server = server;
      if (sender.initialize.totalCount > 0) result.initialize = encodeHistogram(sender.initialize);
      const p = sender.progress;
      if (p) {
        result.progress = {
          firstEvent: encodeHistogram(p.firstEvent),
          gap: encodeHistogram(p.gap),
          events: p.events,
          expected: p.expected,
        };
      }
      return result;
    },
  };
}

export async function runPhase(spec: PhaseSpec, factory?: DriverFactory): Promise<PhaseResult> {
  const prepared = await preparePhase(spec, factory);
  return prepared.go();
}
