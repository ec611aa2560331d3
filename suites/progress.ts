/** Cancellation and progress (catalog section 3a): notifications/cancelled and notifications/progress. */
import { DEADLINES, sleep } from '../drivers/deadline.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { LEGACY_REVISIONS, REVISIONS, revisionRange } from '../drivers/protocol.js';
import type { RpcSession } from '../drivers/session.js';
import type { Check, CheckContext } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import { cancelSlowCall, harmlessMethod, sameId, show } from './probes.js';

const ALL_TRANSPORTS = ['stdio', 'sse', 'http'] as const;
const CANCELLATION = spec('2025-11-25', 'basic/utilities/cancellation');
const PROGRESS = spec('2025-11-25', 'basic/utilities/progress');
const PROGRESS_TOKEN = 'harness-progress-1';
/** After a response, how long late progress notifications are watched for. */
const AFTER_RESPONSE_MS = 250;

function progressOf(m: JsonRpcMessage): { progressToken?: unknown; progress?: unknown; message?: unknown } | undefined {
  if (m.method !== 'notifications/progress' || !m.params || typeof m.params !== 'object') return undefined;
  return m.params as { progressToken?: unknown; progress?: unknown; message?: unknown };
}

interface ProgressRun {
  session: RpcSession;
  response: JsonRpcMessage | undefined;
  /** every progress notification before the response, and those after it (within AFTER_RESPONSE_MS, when watched for) */
  before: JsonRpcMessage[];
  after: JsonRpcMessage[];
}

/** Call the progress fixture with a progressToken and sort the progress notifications around the response. */
async function progressRun(ctx: CheckContext, watchAfter: boolean): Promise<ProgressRun> {
  const session = await ctx.session();
  const id = 'harness-progress-call';
  const reply = await session.request(
    'tools/call',
    { name: ctx.fixtures.progressTool, arguments: { steps: 3, intervalMs: 20 } },
    { id, meta: { progressToken: PROGRESS_TOKEN }, timeoutMs: DEADLINES.connect },
  );
  if (reply.response && watchAfter) await sleep(AFTER_RESPONSE_MS);
  const received = session.received;
  const at = received.findIndex((m) => m.method === undefined && sameId(m.id, id));
  const upTo = at < 0 ? received.length : at;
  const isProgress = (m: JsonRpcMessage) => progressOf(m) !== undefined;
  return {
    session,
    response: reply.response,
    before: received.slice(0, upTo).filter(isProgress),
    after: at < 0 ? [] : received.slice(at + 1).filter(isProgress),
  };
}

const NO_PROGRESS =
  'the server sent no progress notifications for the request (progress is optional, and a JSON response cannot carry them)';

export const progressChecks: readonly Check[] = [
  {
    id: 'LC-CANC-01',
    title: 'A cancellation for an unknown request is ignored',
    requirement: 'The receiver SHOULD ignore notifications/cancelled for an unknown or finished request and go on serving.',
    level: 'SHOULD',
    spec: `${CANCELLATION}#error-handling`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      // A response to the notification itself is RPC-NOT-02's; this check is about going on serving.
      await session.notify('notifications/cancelled', { requestId: 'harness-unknown-request', reason: 'harness' }, { timeoutMs: 300 });
      const after = await session.request(harmlessMethod(ctx.revision), {}, { timeoutMs: 3000 });
      if (!after.response || 'error' in after.response) {
        return violated('the server answers a ping after the cancellation', show(after.response ?? `no response (${after.timedOut ? 'deadline passed' : 'connection gone'})`));
      }
      return ok();
    },
  },
  {
    id: 'LC-CANC-02',
    title: 'A cancelled request gets no response',
    requirement: 'After notifications/cancelled for a request in progress, the server SHOULD stop its work and SHOULD NOT send a response for it.',
    level: 'SHOULD',
    spec: `${CANCELLATION}#behavior-requirements`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    needs: ['slow-tool'],
    async run(ctx) {
      const { response, raced } = await cancelSlowCall(ctx, 1700);
      if (response && !raced) return violated('no response for the cancelled request (slow tool, 1000 ms, cancelled after 100 ms)', show(response));
      return ok(raced ? 'the response won the race with the cancellation' : undefined);
    },
  },
  {
    id: 'LC-PROG-01',
    title: 'Progress notifications use the active token, increase, and stop at completion',
    requirement: 'Progress notifications MUST reference the token of an active request, their progress MUST increase with each one, and they MUST stop after the response.',
    level: 'MUST',
    spec: `${PROGRESS}#behavior-requirements`,
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    needs: ['progress-tool'],
    async run(ctx) {
      const run = await progressRun(ctx, true);
      // No answer at all is another check's failure (framing, errors), not a progress one.
      if (!run.response) return skip(`no response to the progress tool call within ${DEADLINES.connect} ms`);
      const foreign = [...run.before, ...run.after].find((m) => !sameId(progressOf(m)?.progressToken, PROGRESS_TOKEN));
      if (foreign) return violated(`progress only for the active token ${show(PROGRESS_TOKEN)}`, show(foreign));
      if (run.after.length > 0) return violated('no progress notification after the response', show(run.after[0]));
      if (run.before.length === 0) return skip(NO_PROGRESS);
      let last = Number.NEGATIVE_INFINITY;
      for (const m of run.before) {
        const value = progressOf(m)?.progress;
        if (typeof value !== 'number' || !(value > last)) {
          return violated(`progress values that strictly increase (previous ${last})`, show(m));
        }
        last = value;
      }
      return ok(`${run.before.length} progress notifications`);
    },
  },
  {
    id: 'LC-PROG-02',
    title: 'The progress message is human-readable',
    requirement: 'The message of a progress notification SHOULD provide relevant human-readable progress information.',
    level: 'SHOULD',
    spec: `${PROGRESS}#progress-flow`,
    transports: ALL_TRANSPORTS,
    revisions: revisionRange('2025-03-26'),
    needs: ['progress-tool'],
    async run(ctx) {
      const run = await progressRun(ctx, false);
      if (run.before.length === 0) return skip(NO_PROGRESS);
      const withMessage = run.before.filter((m) => progressOf(m)?.message !== undefined);
      for (const m of withMessage) {
        const text = progressOf(m)?.message;
        if (typeof text !== 'string' || !/\p{L}/u.test(text)) return violated('a message of readable text', show(m));
      }
      return ok(withMessage.length === 0 ? 'the notifications carry no message' : undefined);
    },
  },
];
