/**
 * Session strategies: how the generator's requests map onto MCP sessions. The result is a
 * `Send` for the loops, so the loops never know about sessions or transports.
 *
 * shared: one session opened before the run; every slot's requests go over it (on stdio, many
 * requests in flight on one pipe). per-worker: one session per slot, opened before the run.
 * per-request: open (initialize + initialized), call, close (DELETE on Streamable HTTP), for
 * every request; the time to open is also recorded on its own ("initialize latency").
 */
import type { Revision } from '../drivers/protocol.js';
import type { Driver, RequestOptions, RpcReply, RpcSession, StdioSession } from '../drivers/session.js';
import type { SessionStrategy } from '../scenarios/types.js';
import { classifyError, classifyReply, failure, type Outcome } from './errors.js';
import type { Histogram } from './histogram.js';
import { newHistogram } from './histogram.js';
import { type Send, sendFromAsync } from './loop-types.js';
import type { ProgressClock } from './progress-clock.js';
import type { Op } from './workload.js';

export interface SenderPlan {
  driver: Driver;
  revision: Revision;
  strategy: SessionStrategy;
  /** concurrent slots the loop will use */
  slots: number;
  op: Op;
  timeoutMs: number;
  /** progress workload: where arrival times are noted */
  clock?: ProgressClock;
  /** told about every session opened (to sample or pin a stdio server's process) */
  onSession?: (session: RpcSession) => void;
}

export interface ProgressStats {
  /** time from the send to the first progress event, µs */
  firstEvent: Histogram;
  /** time between consecutive progress events, µs */
  gap: Histogram;
  events: number;
  expected: number;
}

export interface Sender {
  send: Send;
  /** time to open a session (initialize + initialized), µs, for samples after `measureFromMs` */
  initialize: Histogram;
  progress: ProgressStats | undefined;
  /** samples that started before this are warm-up (set by the runner before the loop starts) */
  measureFromMs: number;
  /** whether the target keeps sessions (legacy SSE, or an Mcp-Session-Id was issued) */
  hasSessions: boolean;
  close(): Promise<void>;
}

/** Open a session, timing it into `initialize` when it counts. */
async function timedOpen(plan: SenderPlan, sender: Sender): Promise<RpcSession> {
  const t0 = performance.now();
  const session = await plan.driver.open(plan.revision);
  if (t0 >= sender.measureFromMs) {
    const us = Math.round((performance.now() - t0) * 1000);
    sender.initialize.recordValue(Math.max(us, 1));
  }
  plan.onSession?.(session);
  return session;
}

export function sessionful(session: RpcSession): boolean {
  if (session.transport === 'sse') return true;
  if (session.transport === 'http') return (session as { sessionId?: unknown }).sessionId !== undefined;
  return false;
}

export async function createSender(plan: SenderPlan): Promise<Sender> {
  const { op, strategy } = plan;
  let n = 0;
  const baseOptions: RequestOptions = { timeoutMs: plan.timeoutMs };
  const progress: ProgressStats | undefined = plan.clock
    ? { firstEvent: newHistogram(), gap: newHistogram(), events: 0, expected: 0 }
    : undefined;
  const sender: Sender = {
    send: (_slot, done) => done(failure('other', 'not ready')),
    initialize: newHistogram(),
    progress,
    // Sessions opened up front (shared, per-worker) are the only initialize samples those
    // strategies have, so they count; under churn only the measured window counts.
    measureFromMs: strategy === 'per-request' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY,
    hasSessions: false,
    close: async () => {},
  };

  /** One request on an open session, classified; `done` is called once. */
  function call(session: RpcSession, done: (outcome: Outcome) => void): void {
    const i = n++;
    const options = op.options ? op.options(i) : baseOptions;
    const token = plan.clock ? String(options.meta?.progressToken) : undefined;
    const t0 = performance.now();
    if (token !== undefined) plan.clock!.begin(token);
    const finish = (outcome: Outcome): void => {
      if (token !== undefined) noteProgress(plan.clock!.end(token), t0, sender, op);
      done(outcome);
    };
    const onReply = (reply: RpcReply): void => {
      let outcome = classifyReply(reply);
      if (outcome.ok && op.check) outcome = op.check(reply.response!);
      // The stdio driver reports a dead process as a timed-out request; say what it was.
      if (!outcome.ok && outcome.kind === 'timeout' && (session as StdioSession).exited) {
        outcome = failure('transport-closed', 'process exited');
      }
      finish(outcome);
    };
    try {
      if (session.requestWith) session.requestWith(op.method, op.params, options, onReply);
      else session.request(op.method, op.params, options).then(onReply, (err: unknown) => finish(classifyError(err)));
    } catch (err) {
      finish(classifyError(err));
    }
  }

  /** call() as a promise, for the strategy that has other steps to await around it. */
  const callAsync = (session: RpcSession): Promise<Outcome> => new Promise((resolve) => call(session, resolve));

  if (strategy === 'per-request') {
    // Probe once to learn whether the target has sessions at all; then churn.
    const probe = await timedOpen(plan, sender);
    sender.hasSessions = sessionful(probe);
    await probe.close();
    const churn = async (): Promise<Outcome> => {
      let session: RpcSession;
      try {
        session = await timedOpen(plan, sender);
      } catch (err) {
        return classifyError(err);
      }
      try {
        return await callAsync(session);
      } finally {
        await session.close().catch(() => {});
      }
    };
    sender.send = sendFromAsync(churn);
    sender.close = () => plan.driver.close();
    return sender;
  }

  const count = strategy === 'shared' ? 1 : plan.slots;
  const sessions: RpcSession[] = [];
  try {
    // Opened a few at a time: a burst of initializes is not what this strategy measures.
    for (let i = 0; i < count; i += 16) {
      const batch = await Promise.all(Array.from({ length: Math.min(16, count - i) }, () => timedOpen(plan, sender)));
      sessions.push(...batch);
    }
  } catch (err) {
    await plan.driver.close();
    throw err;
  }
  sender.hasSessions = sessionful(sessions[0]!);
  if (count === 1) {
    const only = sessions[0]!;
    sender.send = (_slot, done) => call(only, done);
  } else {
    sender.send = (slot, done) => call(sessions[slot % sessions.length]!, done);
  }
  sender.close = async () => {
    await Promise.all(sessions.map((s) => s.close().catch(() => {})));
    await plan.driver.close();
  };
  return sender;
}

function noteProgress(times: number[], t0: number, sender: Sender, op: Op): void {
  const p = sender.progress;
  if (!p || t0 < sender.measureFromMs) return;
  p.expected += op.expectedEvents ?? 0;
  p.events += times.length;
  if (times.length === 0) return;
  const us = (ms: number): number => Math.max(1, Math.round(ms * 1000));
  p.firstEvent.recordValue(us(times[0]! - t0));
  for (let i = 1; i < times.length; i++) p.gap.recordValue(us(times[i]! - times[i - 1]!));
}
