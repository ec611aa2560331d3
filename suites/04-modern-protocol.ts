/**
 * Catalog section 4, the modern stateless protocol of 2026-07-28, on every transport that serves
 * it: server/discover, the per-request _meta, version errors, statelessness, capabilities,
 * logging, no server-initiated requests, subscriptions, MRTR and the dual-era rows. Checks in
 * catalog order.
 */
import { ErrorCode, errorOf, isModern, type JsonRpcMessage, META, MODERN_REVISION } from '../drivers/protocol.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { isOutcome, ok, skip, spec, violated } from './check.js';
import { revisionsDefining } from './discovery.js';
import {
  CHANGE_NOTIFICATIONS,
  describeStatus,
  errorCode,
  initializeParams,
  isRequestMessage,
  LISTEN_ACK,
  listenNotServed,
  listenWhile,
  noneDuringEcho,
  receivedMatching,
  resultOf,
  sameId,
  sameIdValue,
  show,
  subscriptionIdOf,
  triggerToolsChange,
} from './probes.js';

const UNSUPPORTED = '1900-01-01';

const BASIC = spec(MODERN_REVISION, 'basic');

const DISCOVER = spec(MODERN_REVISION, 'server/discover');

const LOGGING = spec(MODERN_REVISION, 'server/utilities/logging');

const VERSIONING = spec(MODERN_REVISION, 'basic/versioning');

const MODERN: readonly ['stdio', 'http'] = ['stdio', 'http'];

const MRTR = spec(MODERN_REVISION, 'basic/patterns/mrtr');

const SUBSCRIPTIONS = spec(MODERN_REVISION, 'basic/patterns/subscriptions');

/** Declared on MRTR probes, so that any input the server may ask for is allowed. */
const INPUT_CAPABILITIES = { elicitation: { form: {} }, sampling: {}, roots: {} };

/** The smallest valid answer to each embedded request: a declined elicitation, a text sample, no roots. */
function answersTo(requests: Record<string, unknown>): Record<string, unknown> {
  const answer = (method: unknown): unknown => {
    if (method === 'sampling/createMessage') return { role: 'assistant', content: { type: 'text', text: 'no' }, model: 'mcp-harness' };
    if (method === 'roots/list') return { roots: [] };
    return { action: 'decline' };
  };
  return Object.fromEntries(Object.entries(requests).map(([key, r]) => [key, answer((r as { method?: unknown } | null)?.method)]));
}

/** The same opaque string with one character in its middle changed (never a dot, which may frame it). */
function tamper(state: string): string {
  let i = Math.floor(state.length / 2);
  while (i < state.length - 1 && state[i] === '.') i++;
  return `${state.slice(0, i)}${state[i] === 'A' ? 'B' : 'A'}${state.slice(i + 1)}`;
}

interface ChangeListen {
  /** what arrived while the listen was held */
  messages: JsonRpcMessage[];
  ack: JsonRpcMessage | undefined;
  /** the notification filter the acknowledgement granted */
  acked: Record<string, unknown> | undefined;
}

/** A listen held for 1 s while the change tool runs; a skip when the server does not serve subscriptions/listen. */
async function listenThroughChange(ctx: CheckContext, id: string, requested: Record<string, unknown>): Promise<ChangeListen | Outcome> {
  const session = await ctx.session();
  const { reply, messages } = await listenWhile(session, id, requested, 1_000, () => triggerToolsChange(ctx, session));
  if (listenNotServed(reply)) return skip(`the server does not serve subscriptions/listen: ${show(reply.response)}`);
  const ack = messages.find((m) => m.method === LISTEN_ACK);
  return { messages, ack, acked: (ack?.params as { notifications?: Record<string, unknown> } | undefined)?.notifications };
}

function serverInfoOf(result: Record<string, unknown> | undefined): unknown {
  const meta = result?._meta as Record<string, unknown> | undefined;
  return meta?.[META.serverInfo];
}

export const modernProtocolChecks: readonly Check[] = [
  {
    id: 'MOD-DISC-01',
    title: 'server/discover returns a DiscoverResult',
    requirement:
      'Servers MUST implement server/discover, answering with resultType "complete", the supportedVersions and the capabilities.',
    level: 'MUST',
    spec: DISCOVER,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('server/discover', {});
      const result = resultOf(reply.response);
      if (!result) return violated('a result', show(reply.response));
      const versions = result.supportedVersions;
      if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => typeof v === 'string')) {
        return violated('supportedVersions: a non-empty array of version strings', show(result));
      }
      const caps = result.capabilities;
      if (!caps || typeof caps !== 'object' || Array.isArray(caps)) return violated('capabilities: an object', show(result));
      if (result.resultType !== 'complete') return violated('resultType "complete"', show(result));
      return ok(`supportedVersions ${show(versions)}`);
    },
  },
  {
    id: 'MOD-DISC-02',
    title: 'Results carry serverInfo in _meta',
    requirement: 'Servers SHOULD include _meta["io.modelcontextprotocol/serverInfo"] in every result.',
    level: 'SHOULD',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      for (const method of ['server/discover', 'tools/list']) {
        const reply = await session.request(method, {});
        const result = resultOf(reply.response);
        if (!result) return skip(`${method} did not succeed: ${show(reply.response)}`);
        const info = serverInfoOf(result) as { name?: unknown } | undefined;
        if (typeof info?.name !== 'string') return violated(`${method}: _meta serverInfo with a name`, show(result._meta ?? 'no _meta'));
      }
      return ok();
    },
  },
  {
    id: 'MOD-META-01',
    title: 'A request without clientCapabilities gets -32602',
    requirement: 'A request missing a required _meta field MUST be rejected with -32602 (HTTP 400), echoing its id.',
    level: 'MUST',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('tools/list', {}, { id: 31, meta: { [META.clientCapabilities]: undefined } });
      if (reply.status !== undefined && reply.status !== 400) return violated('HTTP 400', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.InvalidParams) return violated('error -32602', show(reply.response));
      if (!sameIdValue(reply.response?.id, 31)) return violated('the id 31 echoed', show(reply.response?.id));
      return ok();
    },
  },
  {
    id: 'MOD-VER-01',
    title: 'An unsupported version gets -32022 naming the supported ones',
    requirement:
      'A request for an unsupported protocol version MUST get UnsupportedProtocolVersionError (-32022) with data.supported and data.requested (HTTP 400).',
    level: 'MUST',
    spec: spec(MODERN_REVISION, 'basic/versioning'),
    transports: ['stdio', 'http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request(
        'server/discover',
        {},
        {
          meta: { [META.protocolVersion]: UNSUPPORTED },
          headers: { 'MCP-Protocol-Version': UNSUPPORTED },
        },
      );
      // HTTP pins the status; stdio has none (status stays undefined).
      if (reply.status !== undefined && reply.status !== 400) return violated('HTTP 400', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.UnsupportedProtocolVersion) return violated('error -32022', show(reply.response));
      const data = (reply.response?.error as { data?: { supported?: unknown; requested?: unknown } } | undefined)?.data;
      const supported = data?.supported;
      if (!Array.isArray(supported) || supported.length === 0 || data?.requested !== UNSUPPORTED) {
        return violated(`data.supported non-empty and data.requested "${UNSUPPORTED}"`, show(data));
      }
      return ok();
    },
  },
  {
    id: 'MOD-STATE-01',
    title: 'The first request on a fresh connection is served',
    requirement: 'Servers MUST NOT rely on prior requests: tools/list as the very first request succeeds.',
    level: 'MUST',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session({ initialize: false });
      const reply = await session.request('tools/list', {});
      const tools = resultOf(reply.response)?.tools;
      if (!Array.isArray(tools)) return violated('a tools/list result', show(reply.response));
      return ok();
    },
  },
  {
    id: 'MOD-CAP-01',
    title: 'A call that needs an undeclared client capability gets -32021',
    requirement:
      'A request that needs a client capability the request did not declare MUST fail with -32021 naming data.requiredCapabilities (HTTP 400).',
    level: 'MUST',
    spec: BASIC,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['input-tool'],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request(
        'tools/call',
        { name: ctx.fixtures.inputTool, arguments: {} },
        { id: 51, meta: { [META.clientCapabilities]: {} } },
      );
      if (errorCode(reply.response) !== ErrorCode.MissingRequiredClientCapability) {
        return violated('error -32021 for a call that needs elicitation, with clientCapabilities {}', show(reply.response));
      }
      const required = (errorOf(reply.response)?.data as { requiredCapabilities?: unknown } | undefined)?.requiredCapabilities;
      if (!required || typeof required !== 'object' || Object.keys(required).length === 0) {
        return violated('data.requiredCapabilities naming the missing capability', show(reply.response?.error));
      }
      if (reply.status !== undefined && reply.status !== 400) return violated('HTTP 400', describeStatus(reply.status));
      return ok(`requiredCapabilities ${show(required)}`);
    },
  },
  {
    id: 'MOD-LOG-01',
    title: 'No log notifications without a requested logLevel',
    requirement: 'Servers MUST NOT send notifications/message for a request that carries no io.modelcontextprotocol/logLevel.',
    level: 'MUST',
    spec: LOGGING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      return noneDuringEcho(ctx, await ctx.session(), (m) => m.method === 'notifications/message', 'no notifications/message');
    },
  },
  {
    id: 'MOD-LOG-02',
    title: 'An unknown logLevel gets -32602',
    requirement: 'Servers SHOULD reject an unrecognized io.modelcontextprotocol/logLevel with -32602.',
    level: 'SHOULD',
    spec: LOGGING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('tools/list', {}, { meta: { [META.logLevel]: 'loud' } });
      if (errorCode(reply.response) !== ErrorCode.InvalidParams) return violated('error -32602 for logLevel "loud"', show(reply.response));
      return ok();
    },
  },
  {
    id: 'MOD-PAT-01',
    title: 'The server never sends requests',
    requirement: 'Servers MUST NOT initiate JSON-RPC requests (on stdout or any SSE stream); they use input-required results instead.',
    level: 'MUST',
    spec: spec(MODERN_REVISION, 'basic/patterns'),
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      return noneDuringEcho(ctx, await ctx.session(), isRequestMessage, 'no server-initiated request');
    },
  },
  {
    id: 'MOD-SUB-01',
    title: 'A listen opens with an acknowledgement carrying its id',
    requirement:
      'A subscriptions/listen stream MUST open with notifications/subscriptions/acknowledged whose _meta subscriptionId is the listen request id.',
    level: 'MUST',
    spec: SUBSCRIPTIONS,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const id = 7001;
      const { reply, messages } = await listenWhile(await ctx.session(), id, { toolsListChanged: true }, 0);
      if (listenNotServed(reply)) return skip(`the server does not serve subscriptions/listen: ${show(reply.response)}`);
      const ours = messages.filter(
        (m) => m.method === LISTEN_ACK || (typeof m.method === 'string' && sameIdValue(subscriptionIdOf(m), id)),
      );
      const first = ours[0];
      if (first?.method !== LISTEN_ACK) return violated(`${LISTEN_ACK} first on the listen`, show(first ?? reply.response));
      if (!sameId(subscriptionIdOf(first), id)) return violated(`_meta subscriptionId ${id} (a number)`, show(first.params));
      return ok();
    },
  },
  {
    id: 'MOD-SUB-02',
    title: 'A listen gets only the notification types it asked for',
    requirement:
      'Servers MUST NOT send notification types a listen did not request, and the acknowledged filter MUST be a subset of the requested one.',
    level: 'MUST',
    spec: SUBSCRIPTIONS,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['change-tool'],
    async run(ctx) {
      const requested = { promptsListChanged: true };
      const listen = await listenThroughChange(ctx, 'harness-listen-prompts', requested);
      if (isOutcome(listen)) return listen;
      const { messages } = listen;
      const acked = listen.acked ?? {};
      const extra = Object.keys(acked).filter((k) => acked[k] !== false && !(k in requested));
      if (extra.length > 0) return violated(`an acknowledged filter within ${show(requested)}`, show(acked));
      const unasked = messages.find(
        (m) => typeof m.method === 'string' && m.method in CHANGE_NOTIFICATIONS && !(CHANGE_NOTIFICATIONS[m.method]! in requested),
      );
      if (unasked) return violated('no tools/resources notifications on a prompts-only listen', show(unasked));
      return ok();
    },
  },
  {
    id: 'MOD-SUB-03',
    title: 'Every listen notification carries its subscription id',
    requirement: 'Every notification a server sends for a subscriptions/listen MUST carry _meta subscriptionId, the listen request id.',
    level: 'MUST',
    spec: SUBSCRIPTIONS,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['change-tool'],
    async run(ctx) {
      const id = 'harness-listen-tools';
      const listen = await listenThroughChange(ctx, id, { toolsListChanged: true });
      if (isOutcome(listen)) return listen;
      const { messages, ack, acked } = listen;
      if (acked?.toolsListChanged !== true) return skip(`the listen was not acknowledged with toolsListChanged: ${show(ack)}`);
      const changes = messages.filter((m) => typeof m.method === 'string' && m.method in CHANGE_NOTIFICATIONS);
      if (changes.length === 0) return violated('notifications/tools/list_changed after the tool list changed', 'none within 1 s');
      const unstamped = [ack!, ...changes].find((m) => !sameIdValue(subscriptionIdOf(m), id));
      if (unstamped) return violated(`_meta subscriptionId "${id}"`, show(unstamped));
      return ok();
    },
  },
  {
    id: 'MOD-SUB-04',
    title: 'The server sends notifications/cancelled only to end a listen',
    requirement:
      'A server-sent notifications/cancelled MUST only tear down a subscriptions/listen, and MUST reference that listen request id.',
    level: 'MUST',
    spec: SUBSCRIPTIONS,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      // No listen is open, so no notifications/cancelled may come at all.
      return noneDuringEcho(
        ctx,
        await ctx.session(),
        (m) => m.method === 'notifications/cancelled',
        'no notifications/cancelled while no listen is open',
      );
    },
  },
  {
    id: 'MOD-SUB-05',
    title: 'A shutdown ends an open listen with a result',
    requirement:
      'A server ending a subscription, as at shutdown, SHOULD first send the listen a final result carrying _meta subscriptionId.',
    level: 'SHOULD',
    spec: SUBSCRIPTIONS,
    transports: ['stdio'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.stdio();
      const id = 'harness-listen-end';
      const listening = session.request('subscriptions/listen', { notifications: { toolsListChanged: true } }, { id, timeoutMs: 3_000 });
      const ack = await receivedMatching(session, (m) => m.method === LISTEN_ACK || m.id === id, 2_000);
      if (ack?.method !== LISTEN_ACK) return skip(`no acknowledged listen to end: ${show(ack)}`);
      const exit = await session.terminate(2_000);
      const reply = await listening;
      const end = reply.response ?? session.received.find((m) => m.method === undefined && sameId(m.id, id));
      if (!end)
        return violated(
          'a result for the listen before the process exits',
          exit ? `exited (${show(exit)}) without one` : 'no result, no exit',
        );
      if (!resultOf(end)) return violated('a result, not an error', show(end));
      if (!sameIdValue(subscriptionIdOf(end), id)) return violated(`_meta subscriptionId "${id}" on the result`, show(end));
      return ok();
    },
  },
  {
    id: 'MOD-MRTR-01',
    title: 'Input-required results are well formed and tampered requestState is rejected',
    requirement:
      'An InputRequiredResult MUST hold inputRequests or requestState, and a retry echoing a tampered requestState MUST be rejected.',
    level: 'MUST',
    spec: MRTR,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    needs: ['input-tool'],
    async run(ctx) {
      const session = await ctx.session();
      const call = (extra: Record<string, unknown> = {}) =>
        session.request(
          'tools/call',
          { name: ctx.fixtures.inputTool, arguments: {}, ...extra },
          { meta: { [META.clientCapabilities]: INPUT_CAPABILITIES } },
        );
      const first = resultOf((await call()).response);
      if (first?.resultType !== 'input_required') return violated('an input-required result (resultType "input_required")', show(first));
      const requests = first.inputRequests;
      const state = first.requestState;
      const hasRequests = !!requests && typeof requests === 'object' && !Array.isArray(requests) && Object.keys(requests).length > 0;
      if (!hasRequests && typeof state !== 'string') return violated('inputRequests or a requestState string', show(first));
      if (typeof state !== 'string') return ok('no requestState to tamper with');
      const inputResponses = hasRequests ? answersTo(requests as Record<string, unknown>) : undefined;
      const retry = (requestState: string) => call({ requestState, ...(inputResponses ? { inputResponses } : {}) });
      const tampered = (await retry(tamper(state))).response;
      if (!tampered?.error) return violated('the retry with a tampered requestState rejected with an error', show(tampered));
      // A server that refuses every retry would pass the line above for the wrong reason.
      const genuine = (await retry(state)).response;
      if (!resultOf(genuine)) return violated('the retry with the requestState as minted served', show(genuine));
      return ok(`tampered state: ${show(tampered.error)}`);
    },
  },
  {
    id: 'MOD-COMPAT-01',
    title: 'A legacy initialize is refused naming the supported versions',
    requirement: "A modern-only server's error to a legacy initialize SHOULD name the versions it supports.",
    level: 'SHOULD',
    spec: VERSIONING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      if (!ctx.supported.every(isModern)) return skip('the server also serves the legacy era (MOD-COMPAT-02)');
      const session = await ctx.session();
      const text = JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'initialize', params: initializeParams('2025-11-25') });
      // Over HTTP, a legacy client sends none of the 2026-07-28 headers.
      const reply = await session.sendRaw(text, { headers: { 'MCP-Protocol-Version': undefined, 'Mcp-Method': undefined } });
      const answer = reply.messages.find((m) => sameIdValue(m.id, 41));
      if (!answer?.error) return violated('an error to initialize', show(answer ?? reply.body));
      if (!JSON.stringify(answer.error).includes(MODERN_REVISION))
        return violated(`an error naming ${MODERN_REVISION}`, show(answer.error));
      return ok();
    },
  },
  {
    id: 'MOD-COMPAT-02',
    title: 'A dual-era server keeps a 2025 session and 2026-07-28 requests apart',
    requirement:
      'A server that serves both eras MAY select the legacy semantics by initialize, scoped to that process or session: both eras run at the same time.',
    level: 'MAY',
    spec: VERSIONING,
    transports: MODERN,
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const legacy = ctx.supported.filter((r) => !isModern(r) && revisionsDefining(ctx.transport).includes(r)).at(-1);
      if (legacy === undefined) return skip('the server serves only 2026-07-28 (serving the legacy era too is optional)');
      // the 2025 suite itself runs at each legacy revision: here, only whether the eras stay apart
      const old = await ctx.sessionAt(legacy);
      const before = await old.request('ping');
      if (!resultOf(before.response))
        return violated(`a ping answered in the ${legacy} session`, `${describeStatus(before.status)} ${show(before.response)}`);
      const discover = await (await ctx.session()).request('server/discover');
      if (!resultOf(discover.response)) {
        return violated(
          `server/discover answered while a ${legacy} session is open`,
          `${describeStatus(discover.status)} ${show(discover.response)}`,
        );
      }
      const after = await old.request('ping');
      if (!resultOf(after.response)) {
        return violated(
          `the ${legacy} session still served after a 2026-07-28 request`,
          `${describeStatus(after.status)} ${show(after.response)}`,
        );
      }
      return ok(`a ${legacy} session and 2026-07-28 requests side by side`);
    },
  },
];
