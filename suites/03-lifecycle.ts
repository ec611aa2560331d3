/**
 * Catalog section 3, lifecycle (3a, the server rows): initialize, version negotiation, ordering,
 * capabilities and ping in the initialize era (2024-11-05 to 2025-11-25), then cancellation and
 * progress (notifications/cancelled and notifications/progress; progress also in 2026-07-28).
 * Checks in catalog order.
 */
import { DEADLINES, sleep } from '../drivers/deadline.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { isRequest, LEGACY_REVISIONS, REVISIONS, revisionRange } from '../drivers/protocol.js';
import type { Check, CheckContext } from './check.js';
import { ok, skip, spec, underTension, violated } from './check.js';
import {
  errorCode,
  initializeParams,
  rawRequest,
  receivedMatching,
  receivedResponse,
  resultOf,
  show,
  cancelSlowCall,
  harmlessMethod,
  sameId,
} from './probes.js';
import type { RpcSession } from '../drivers/session.js';

const ALL_TRANSPORTS = ['stdio', 'sse', 'http'] as const;

const LIFECYCLE = spec('2025-11-25', 'basic/lifecycle');

const UNSUPPORTED = '1900-01-01';

/** Initialize offering a version no server supports; returns the reply. */
async function offerUnsupported(ctx: Parameters<Check['run']>[0]) {
  const session = await ctx.session({ initialize: false });
  return session.request('initialize', initializeParams(UNSUPPORTED));
}

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

export const lifecycleChecks: readonly Check[] = [
  {
    id: 'LC-INIT-01',
    title: 'A request before initialize is not served',
    requirement:
      'Initialization MUST be the first interaction: a request other than initialize (or ping) on a fresh connection gets an error, never a normal result.',
    level: 'INF',
    spec: `${LIFECYCLE}#initialization`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session({ initialize: false });
      // The first message to a process just spawned: its start-up counts against the deadline too.
      const reply = await session.request('tools/list', {}, { timeoutMs: DEADLINES.connect });
      if (errorCode(reply.response) !== undefined) return ok();
      if (reply.response && 'result' in reply.response)
        return violated('an error (or HTTP 400) for tools/list before initialize', show(reply.response));
      if (reply.status === 400) return ok('HTTP 400');
      return violated(
        'a JSON-RPC error or HTTP 400',
        `${reply.status === undefined ? '' : `HTTP ${reply.status}, `}${show(reply.response)}`,
      );
    },
  },
  {
    id: 'LC-INIT-02',
    title: 'InitializeResult has protocolVersion, capabilities and serverInfo',
    requirement: 'The initialize result MUST contain protocolVersion, capabilities and serverInfo with name and version.',
    level: 'MUST',
    spec: LIFECYCLE,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const result = resultOf(session.initializeResponse);
      if (!result) return violated('an initialize result', show(session.initializeResponse));
      const missing: string[] = [];
      if (typeof result.protocolVersion !== 'string') missing.push('protocolVersion');
      if (!result.capabilities || typeof result.capabilities !== 'object') missing.push('capabilities');
      const info = result.serverInfo as { name?: unknown; version?: unknown } | undefined;
      if (typeof info?.name !== 'string') missing.push('serverInfo.name');
      if (typeof info?.version !== 'string') missing.push('serverInfo.version');
      if (missing.length > 0) return violated(`a result with ${missing.join(', ')}`, show(result));
      return ok();
    },
  },
  {
    id: 'LC-VER-01',
    title: 'A supported requested version is echoed, the same way every time',
    requirement: 'If the server supports the requested protocol version, it MUST respond with the same version.',
    level: 'MUST',
    spec: `${LIFECYCLE}#version-negotiation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      // Discovery saw each of these echoed once; asking again must give the same answer. The set
      // is the target's, not the revision's: swept once, at the latest revision, and otherwise
      // only the revision itself (each stdio session is a process).
      const served = LEGACY_REVISIONS.filter((r) => ctx.supported.includes(r));
      const versions = ctx.revision === served.at(-1) ? served : [ctx.revision];
      for (const version of versions) {
        const session = await ctx.session({ initialize: false });
        const reply = await session.request('initialize', initializeParams(version));
        const answered = resultOf(reply.response)?.protocolVersion;
        if (answered !== version) {
          return violated(`protocolVersion ${version} again (it was echoed before)`, `protocolVersion ${show(answered ?? reply.response)}`);
        }
      }
      return ok(`echoed ${versions.join(', ')}`);
    },
  },
  {
    id: 'LC-VER-02',
    title: 'An unsupported version gets a counter-offer of a supported one',
    requirement:
      'When the client requests a version the server does not support, the server MUST respond with another version it supports.',
    level: 'MUST',
    spec: `${LIFECYCLE}#version-negotiation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const reply = await offerUnsupported(ctx);
      const offered = resultOf(reply.response)?.protocolVersion;
      if (offered === undefined && errorCode(reply.response) !== undefined) {
        // The lifecycle page's non-normative example shows an error; the normative text wants a counter-offer (tension T3).
        return underTension('T3', violated('a successful counter-offer', `error ${show(reply.response?.error)}`, 'warn'));
      }
      if (!ctx.supported.some((r) => r === offered)) {
        return violated(`protocolVersion one of ${ctx.supported.join(', ')}`, `protocolVersion ${show(offered)}`);
      }
      return ok(`counter-offered ${String(offered)}`);
    },
  },
  {
    id: 'LC-VER-03',
    title: 'The counter-offer is the latest version the server supports',
    requirement: 'For an unsupported requested version, the server SHOULD offer the latest version it supports.',
    level: 'SHOULD',
    spec: `${LIFECYCLE}#version-negotiation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const latest = [...ctx.supported]
        .filter((r) => LEGACY_REVISIONS.includes(r))
        .sort()
        .pop();
      const reply = await offerUnsupported(ctx);
      const offered = resultOf(reply.response)?.protocolVersion;
      if (offered === undefined) return skip('the server gave no counter-offer (see LC-VER-02)');
      if (offered !== latest) return violated(`protocolVersion ${latest}`, `protocolVersion ${show(offered)}`);
      return ok();
    },
  },
  {
    id: 'LC-ORDER-01',
    title: 'No requests but ping before notifications/initialized',
    requirement: 'Before receiving notifications/initialized, the server SHOULD NOT send requests other than pings.',
    level: 'SHOULD',
    spec: `${LIFECYCLE}#initialization`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session({ initialize: false });
      // Every client capability offered, so that a request would be allowed once initialized; only the timing is wrong.
      const capabilities = { roots: { listChanged: true }, sampling: {}, elicitation: {} };
      const reply = await session.request('initialize', { ...initializeParams(ctx.revision), capabilities });
      if (!resultOf(reply.response)) return violated('an initialize result', show(reply.response));
      // notifications/initialized is withheld: watch what the server sends meanwhile.
      const early = (m: JsonRpcMessage) => isRequest(m) && m.method !== 'ping';
      const request = await receivedMatching(session, early, 500);
      if (request) return violated('no request other than ping before notifications/initialized', show(request));
      return ok();
    },
  },
  {
    id: 'LC-OP-01',
    title: 'No requests for capabilities the client did not declare',
    requirement:
      'The server MUST use only negotiated capabilities: no sampling, elicitation or roots requests to a client that declared none.',
    level: 'MUST',
    spec: `${LIFECYCLE}#operation`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session({ capabilities: {} });
      const gated = new Set(['sampling/createMessage', 'elicitation/create', 'roots/list']);
      await session.request('ping', {}, { timeoutMs: 3000 });
      await session.request('tools/list', {}, { timeoutMs: 3000 });
      const request = await receivedMatching(session, (m) => isRequest(m) && gated.has(String(m.method)), 300);
      // Before 2025-06-18 the lifecycle says SHOULD.
      const grade = ctx.revision < '2025-06-18' ? 'warn' : undefined;
      if (request) return violated('no sampling, elicitation or roots request (capabilities: {})', show(request), grade);
      return ok();
    },
  },
  {
    id: 'LC-PING-01',
    title: 'Ping is answered with an empty result',
    requirement: 'A ping request MUST be answered promptly with an empty result.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic/utilities/ping'),
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('ping', {}, { timeoutMs: 5000 });
      const result = resultOf(reply.response);
      if (!result) return violated('a result within 5 s', show(reply.response));
      const extra = Object.keys(result).filter((k) => k !== '_meta');
      if (extra.length > 0) return violated('an empty result ({} or only _meta)', show(result));
      return ok();
    },
  },
  {
    id: 'LC-PING-02',
    title: 'A ping pipelined behind initialize is answered',
    requirement: 'A ping sent while initialize is still outstanding is answered (the client may ping before initialization completes).',
    level: 'INF',
    spec: `${LIFECYCLE}#initialization`,
    transports: ['stdio'],
    revisions: LEGACY_REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio({ initialize: false });
      const init = { jsonrpc: '2.0', id: 'harness-init', method: 'initialize', params: initializeParams(ctx.revision) };
      await session.writeBytes(`${JSON.stringify(init)}\n${JSON.stringify(rawRequest(ctx.revision, 'harness-ping', 'ping'))}\n`);
      for (const id of ['harness-init', 'harness-ping']) {
        // The first answer of a process just spawned: its start-up counts against the deadline too.
        const response = await receivedResponse(session, id, id === 'harness-init' ? DEADLINES.connect : 3000);
        if (!response || !('result' in response)) return violated(`a result for ${id} (initialize and ping in one write)`, show(response));
      }
      return ok();
    },
  },
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
        return violated(
          'the server answers a ping after the cancellation',
          show(after.response ?? `no response (${after.timedOut ? 'deadline passed' : 'connection gone'})`),
        );
      }
      return ok();
    },
  },
  {
    id: 'LC-CANC-02',
    title: 'A cancelled request gets no response',
    requirement:
      'After notifications/cancelled for a request in progress, the server SHOULD stop its work and SHOULD NOT send a response for it.',
    level: 'SHOULD',
    spec: `${CANCELLATION}#behavior-requirements`,
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    needs: ['slow-tool'],
    async run(ctx) {
      const { response, raced } = await cancelSlowCall(ctx, 1700);
      if (response && !raced)
        return violated('no response for the cancelled request (slow tool, 1000 ms, cancelled after 100 ms)', show(response));
      return ok(raced ? 'the response won the race with the cancellation' : undefined);
    },
  },
  {
    id: 'LC-PROG-01',
    title: 'Progress notifications use the active token, increase, and stop at completion',
    requirement:
      'Progress notifications MUST reference the token of an active request, their progress MUST increase with each one, and they MUST stop after the response.',
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
