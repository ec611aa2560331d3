/**
 * Catalog section 1, JSON-RPC message rules (1a, the server rows), on every transport: schema
 * validity, ids and their types, the shape of responses, notifications, UTF-8, and the error codes
 * of JSON-RPC and MCP. The passive rows share one representative session, so that each sees the
 * same traffic. Checks in catalog order.
 */
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { ErrorCode, isModern, REVISIONS, revisionRange, LEGACY_REVISIONS } from '../drivers/protocol.js';
import type { RpcReply, RpcSession } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import {
  answerOrSilence,
  errorCode,
  harmlessMethod,
  incomingPayloads,
  rawRequest,
  responsesIn,
  resultOf,
  sameIdValue,
  sendAndFind,
  show,
  callAnsweringServer,
  isRequestMessage,
  sameId,
} from './probes.js';
import { envelopeProblem, resultProblem } from './validate.js';

const ALL_TRANSPORTS = ['stdio', 'sse', 'http'] as const;

const MODERN_ONLY: readonly Revision[] = ['2026-07-28'];

const BASIC = spec('2025-11-25', 'basic#messages');

const BASIC_MODERN = spec('2026-07-28', 'basic#error-codes');

/** Waits for answers that must come promptly. */
const PROMPT_MS = 3_000;

/** The resource-not-found code of 2024-11-05 … 2025-11-25 (retired in 2026-07-28). */
const RESOURCE_NOT_FOUND = -32002;

/** Text with two- to four-byte UTF-8 sequences. */
const NON_ASCII = '名前 ✓ 🎉';

interface Traffic {
  session: RpcSession;
  /** each request the session sent, with the reply it got */
  exchanges: Array<{ method: string; reply: RpcReply }>;
}

/**
 * A small session that draws every kind of message a server sends: the handshake (or
 * server/discover), the harmless request, tools/list, a tools/call of the echo and progress
 * fixtures when the target names them, and errors (an unknown tool, an unknown method).
 */
async function representativeSession(ctx: CheckContext): Promise<Traffic> {
  const session = await ctx.session();
  const exchanges: Traffic['exchanges'] = [];
  const call = async (method: string, params: Record<string, unknown> = {}, meta?: Record<string, unknown>) => {
    const reply = await session.request(method, params, { timeoutMs: PROMPT_MS, ...(meta ? { meta } : {}) });
    exchanges.push({ method, reply });
  };
  await call(harmlessMethod(ctx.revision));
  await call('tools/list');
  if (ctx.fixtures.echoTool) await call('tools/call', { name: ctx.fixtures.echoTool, arguments: { text: 'harness' } });
  if (ctx.fixtures.progressTool) {
    await call('tools/call', { name: ctx.fixtures.progressTool, arguments: { steps: 2, intervalMs: 5 } }, { progressToken: 'harness-msg' });
  }
  await call('tools/call', { name: '__harness_missing__', arguments: {} });
  await call('harness/no_such_method');
  return { session, exchanges };
}

function responses(traffic: Traffic): JsonRpcMessage[] {
  return responsesOrErrors(traffic.session.received);
}

/** Every message that answers something: it has no method and carries a result, an error, or an id. */
function responsesOrErrors(messages: readonly JsonRpcMessage[]): JsonRpcMessage[] {
  return messages.filter((m) => m.method === undefined && ('result' in m || 'error' in m || 'id' in m));
}

function errorCodes(traffic: Traffic): Array<{ code: unknown; message: JsonRpcMessage }> {
  return responses(traffic)
    .filter((m) => m.error && typeof m.error === 'object')
    .map((m) => ({ code: (m.error as { code?: unknown }).code, message: m }));
}

/** The server's capabilities: from the initialize result, or (2026-07-28) from server/discover. */
async function capabilities(ctx: CheckContext, session: RpcSession): Promise<Record<string, unknown> | undefined> {
  const result = isModern(ctx.revision)
    ? resultOf((await session.request('server/discover', {}, { timeoutMs: PROMPT_MS })).response)
    : resultOf(session.initializeResponse);
  const caps = result?.capabilities;
  return caps && typeof caps === 'object' ? (caps as Record<string, unknown>) : undefined;
}

function passive(
  id: string,
  title: string,
  requirement: string,
  level: Check['level'],
  revisions: readonly Revision[],
  link: string,
  inspect: (t: Traffic) => Outcome,
): Check {
  return {
    id,
    title,
    requirement,
    level,
    spec: link,
    transports: ALL_TRANSPORTS,
    revisions,
    async run(ctx) {
      return inspect(await representativeSession(ctx));
    },
  };
}

/** Ids of every JSON type MCP allows, including the ones that are easy to coerce. */
const PROBE_IDS: readonly (string | number)[] = ['abc', 0, 9007199254740991, '1'];

export const jsonrpcChecks: readonly Check[] = [
  {
    id: 'RPC-MSG-01',
    title: 'Every message the server sends is a valid JSON-RPC 2.0 message of the revision',
    requirement:
      "Every message the server emits MUST be JSON-RPC 2.0 and validate as the revision's JSONRPCMessage (and known results as their result type).",
    level: 'MUST',
    spec: BASIC,
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const traffic = await representativeSession(ctx);
      for (const message of traffic.session.received) {
        const problem = envelopeProblem(ctx.revision, message);
        if (problem) return violated('a valid JSON-RPC message', `${problem} in ${show(message)}`);
      }
      for (const { method, reply } of traffic.exchanges) {
        if (!reply.response || !('result' in reply.response)) continue;
        const problem = resultProblem(ctx.revision, method, reply.response.result);
        if (problem) return violated(`a valid ${method} result`, `${problem} in ${show(reply.response)}`);
      }
      return ok();
    },
  },
  {
    id: 'RPC-ID-01',
    title: 'Response id equals the request id, type included',
    requirement: 'A response MUST carry the same id as the request it answers, with the same JSON type and value.',
    level: 'MUST',
    spec: BASIC,
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      for (const id of PROBE_IDS) {
        const reply = await session.request(harmlessMethod(ctx.revision), {}, { id });
        if (!reply.response)
          return violated(`a response with id ${show(id)}`, `no response (${reply.timedOut ? 'deadline passed' : 'none matched'})`);
        if (!sameId(reply.response.id, id)) {
          return violated(`id ${show(id)} (${typeof id})`, `id ${show(reply.response.id)} (${typeof reply.response.id})`);
        }
      }
      return ok();
    },
  },
  {
    id: 'RPC-ID-02',
    title: 'Requests the server sends carry unique string or integer ids',
    requirement:
      'A request the server sends MUST carry a string or integer id, never null, and MUST NOT reuse an id it used earlier in the session.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic#requests'),
    transports: ALL_TRANSPORTS,
    revisions: LEGACY_REVISIONS,
    needs: ['client-request-tool'],
    async run(ctx) {
      const session = await ctx.session();
      const { reply } = await callAnsweringServer(session, { name: ctx.fixtures.clientRequestTool, arguments: {} }, 5_000);
      // Every request of the session counts, not only the call's: ids must be unique per session.
      const requests = session.received.filter(isRequestMessage);
      if (requests.length === 0) {
        return skip(
          `the server sent the client no request while the tool ran (answer: ${show(reply.response, 120)}); a JSON-only HTTP answer cannot carry one`,
        );
      }
      const used = new Map<string, JsonRpcMessage>();
      for (const request of requests) {
        const id = request.id;
        if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) {
          return violated('a string or integer id on every request from the server', show(request));
        }
        const key = `${typeof id}:${String(id)}`;
        const earlier = used.get(key);
        if (earlier)
          return violated(
            `a new id on every request from the server`,
            `id ${show(id)} again: ${show(earlier, 150)} then ${show(request, 150)}`,
          );
        used.set(key, request);
      }
      return ok(`${requests.length} requests, ids ${show(requests.map((r) => r.id))}`);
    },
  },
  passive(
    'RPC-RES-01',
    'A response carries exactly one of result and error',
    'A response MUST carry either result or error, and MUST NOT carry both.',
    'MUST',
    REVISIONS,
    BASIC,
    (traffic) => {
      for (const m of responses(traffic)) {
        if ('result' in m === 'error' in m) return violated('exactly one of result and error', show(m));
      }
      return ok();
    },
  ),
  passive(
    'RPC-RES-02',
    'An error has an integer code and a message',
    'An error object MUST carry an integer code and a string message.',
    'MUST',
    REVISIONS,
    BASIC,
    (traffic) => {
      const errors = responses(traffic).filter((m) => 'error' in m);
      if (errors.length === 0) return skip('the session drew no error response');
      for (const m of errors) {
        const e = m.error as { code?: unknown; message?: unknown } | null;
        if (!e || typeof e !== 'object' || !Number.isInteger(e.code) || typeof e.message !== 'string') {
          return violated('error {code: integer, message: string}', show(m));
        }
      }
      return ok();
    },
  ),
  {
    id: 'RPC-RES-03',
    title: 'Error responses carry the request id when it was readable',
    requirement: 'An error response MUST carry the id of the request it answers; the id may be omitted only when it could not be read.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic#responses'),
    transports: ALL_TRANSPORTS,
    revisions: revisionRange('2025-11-25'),
    async run(ctx) {
      const session = await ctx.session();
      const probes: JsonRpcMessage[] = [
        rawRequest(ctx.revision, 'res-03-unknown', 'harness/no_such_method'),
        // tools/call without a name: invalid params (or an unknown method on a server without tools)
        rawRequest(ctx.revision, 'res-03-params', 'tools/call'),
        // a readable id on an invalid Request object (method is not a string)
        { ...rawRequest(ctx.revision, 'res-03-invalid', harmlessMethod(ctx.revision)), method: 7 },
      ];
      let errors = 0;
      for (const probe of probes) {
        const isError = (m: JsonRpcMessage) => m.method === undefined && errorCode(m) !== undefined;
        const { found } = await sendAndFind(session, JSON.stringify(probe), isError, PROMPT_MS);
        // No error at all is another check's business (RPC-ERR-02/03); this row is about the id of errors.
        if (!found) continue;
        errors++;
        if (!sameIdValue(found.id, probe.id)) return violated(`error with id ${show(probe.id)}`, show(found));
      }
      return errors > 0 ? ok() : skip('none of the probes drew an error response');
    },
  },
  passive('RPC-NOT-01', 'Notifications carry no id', 'A notification MUST NOT carry an id.', 'MUST', REVISIONS, BASIC, (traffic) => {
    // A message with a notifications/ method and an id is a notification sent with an id:
    // nobody can answer it, which is the defect.
    const notifications = traffic.session.received.filter((m) => typeof m.method === 'string' && m.method.startsWith('notifications/'));
    if (notifications.length === 0)
      return skip(
        'no notification reached the harness in the session (a server without a progress tool, or one answering in plain JSON, sends none it could see)',
      );
    const withId = notifications.find((m) => 'id' in m);
    return withId ? violated('no id member on a notification', show(withId)) : ok();
  }),
  {
    id: 'RPC-NOT-02',
    title: 'Notifications get no response',
    requirement: 'The receiver of a notification MUST NOT send a response to it.',
    level: 'MUST',
    spec: BASIC,
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const probes: Array<[string, Record<string, unknown>]> = [
        ['notifications/harness/unknown', {}],
        ['notifications/cancelled', { requestId: 'harness-nope' }],
      ];
      for (const [method, params] of probes) {
        const reply = await session.notify(method, params);
        const responses = responsesIn(reply.messages);
        if (responses.length > 0) return violated(`no response to ${method}`, show(responses[0]));
      }
      return ok();
    },
  },
  {
    id: 'RPC-UTF8-01',
    title: 'Messages are UTF-8',
    requirement: 'Messages MUST be UTF-8 encoded: non-ASCII text comes back as the same characters, with no BOM and no invalid bytes.',
    level: 'MUST',
    spec: spec('2025-11-25', 'basic/transports'),
    transports: ALL_TRANSPORTS,
    revisions: revisionRange('2025-03-26'),
    needs: ['echo-tool'],
    async run(ctx) {
      const session = await ctx.session();
      const mark = ctx.log.mark;
      const reply = await session.request(
        'tools/call',
        { name: ctx.fixtures.echoTool, arguments: { text: NON_ASCII } },
        { timeoutMs: PROMPT_MS },
      );
      if (!reply.response) return violated(`a response to the echo of ${show(NON_ASCII)}`, 'no response');
      // U+FFFD is what a decoder puts where the bytes were not UTF-8; a BOM is not JSON whitespace.
      const bad = incomingPayloads(ctx.log, mark).find((p) => /[\uFFFD\uFEFF]/.test(p));
      if (bad) return violated('strict UTF-8 without a BOM', show(bad));
      const content = (resultOf(reply.response)?.content as Array<{ text?: unknown }> | undefined)?.[0]?.text;
      if (content !== NON_ASCII) return violated(`the echo ${show(NON_ASCII)}`, show(reply.response));
      return ok();
    },
  },
  {
    id: 'RPC-ERR-01',
    title: 'Unparseable JSON gets a -32700 error and the server keeps working',
    requirement:
      'A message that is not valid JSON MUST be answered with error -32700 (id null or absent), and the server MUST go on serving.',
    level: 'MUST',
    spec: 'https://www.jsonrpc.org/specification#error_object',
    // Streamable HTTP answers a bad body with an HTTP status instead: SHTTP-POST-05.
    transports: ['stdio', 'sse'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const isParseError = (m: JsonRpcMessage) => errorCode(m) === ErrorCode.ParseError;
      const { found: error, reply, waitedMs } = await sendAndFind(session, '{"jsonrpc":"2.0","id":1,', isParseError, 3000);
      if (!error) return violated('an error response with code -32700', answerOrSilence(responsesIn(reply.messages)[0], reply, waitedMs));
      if (error?.id !== null && error?.id !== undefined) return violated('id null or absent on the parse error', `id ${show(error.id)}`);
      const after = await session.request(harmlessMethod(ctx.revision));
      if (!after.response || 'error' in after.response) {
        return violated('the server answers a harmless request after the parse error', show(after.response));
      }
      return ok();
    },
  },
  {
    id: 'RPC-ERR-02',
    title: 'An invalid Request object gets a -32600 error',
    requirement:
      'A JSON value that is not a valid Request object (wrong jsonrpc version, non-string method, object id) MUST be answered with error -32600.',
    level: 'MUST',
    spec: 'https://www.jsonrpc.org/specification#error_object',
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const method = harmlessMethod(ctx.revision);
      const probes = [
        { ...rawRequest(ctx.revision, 21, method), jsonrpc: '1.0' },
        { ...rawRequest(ctx.revision, 22, method), method: 7 },
        rawRequest(ctx.revision, { x: 1 }, method),
      ];
      for (const probe of probes) {
        // The answer to this probe: an error response, or any response carrying its id.
        const answers = (m: JsonRpcMessage) => m.method === undefined && (errorCode(m) !== undefined || sameIdValue(m.id, probe.id));
        const { found: response, reply, waitedMs } = await sendAndFind(session, JSON.stringify(probe), answers, 3000);
        if (errorCode(response) !== ErrorCode.InvalidRequest) {
          return violated(`error -32600 for ${show(probe)}`, answerOrSilence(response, reply, waitedMs));
        }
        const echoed = response?.id === null || response?.id === undefined || sameIdValue(response.id, probe.id);
        if (!echoed) return violated(`id ${show(probe.id)} or null`, `id ${show(response?.id)}`);
      }
      return ok();
    },
  },
  {
    id: 'RPC-ERR-03',
    title: 'An unknown method gets a -32601 error',
    requirement: 'A request for a method the server does not have MUST be answered with error -32601 carrying the request id.',
    level: 'MUST',
    spec: 'https://www.jsonrpc.org/specification#error_object',
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const reply = await session.request('harness/no_such_method', {}, { id: 23 });
      if (errorCode(reply.response) !== ErrorCode.MethodNotFound) return violated('error -32601', show(reply.response));
      if (!sameIdValue(reply.response?.id, 23)) return violated('id 23', `id ${show(reply.response?.id)}`);
      return ok();
    },
  },
  {
    id: 'RPC-ERR-04',
    title: 'An unknown tool is a -32602 protocol error, not a tool result',
    requirement: 'A tools/call of a tool the server does not have SHOULD be answered with protocol error -32602, not an isError result.',
    level: 'SHOULD',
    spec: spec('2025-11-25', 'server/tools#error-handling'),
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const caps = await capabilities(ctx, session);
      if (!caps?.tools) return skip('the server does not advertise the tools capability');
      const reply = await session.request('tools/call', { name: '__harness_missing__', arguments: {} }, { timeoutMs: PROMPT_MS });
      if (errorCode(reply.response) !== ErrorCode.InvalidParams)
        return violated('error -32602 for tool "__harness_missing__"', show(reply.response));
      return ok();
    },
  },
  {
    id: 'RPC-ERR-05',
    title: 'A missing resource is error -32002 (2026-07-28: -32602)',
    requirement:
      'resources/read of a URI the server does not have SHOULD be answered with error -32002 up to 2025-11-25; from 2026-07-28 it MUST be -32602, never an empty contents list.',
    level: 'MUST',
    spec: spec('2025-11-25', 'server/resources#error-handling'),
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const caps = await capabilities(ctx, session);
      if (!caps?.resources) return skip('the server does not advertise the resources capability');
      const uri = 'harness:///missing';
      const reply = await session.request('resources/read', { uri }, { timeoutMs: PROMPT_MS });
      const modern = isModern(ctx.revision);
      const code = modern ? ErrorCode.InvalidParams : RESOURCE_NOT_FOUND;
      // Up to 2025-11-25 the code is advice (SHOULD); 2026-07-28 makes -32602 a MUST.
      if (errorCode(reply.response) !== code)
        return violated(`error ${code} for ${uri}`, show(reply.response), modern ? undefined : 'warn');
      return ok();
    },
  },
  {
    id: 'RPC-ERR-07',
    title: 'A request with id null is rejected, not executed',
    requirement: 'A request whose id is null (forbidden by MCP) should be rejected with -32600, never answered with a result.',
    level: 'INF',
    spec: BASIC,
    transports: ALL_TRANSPORTS,
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.session();
      const probe = rawRequest(ctx.revision, null, harmlessMethod(ctx.revision));
      const answers = (m: JsonRpcMessage) => m.method === undefined && (errorCode(m) !== undefined || m.id === null);
      const { found, reply, waitedMs } = await sendAndFind(session, JSON.stringify(probe), answers, PROMPT_MS);
      if (errorCode(found) !== ErrorCode.InvalidRequest) {
        return violated(`error -32600 for ${show(probe)}`, answerOrSilence(found ?? responsesIn(reply.messages)[0], reply, waitedMs));
      }
      return ok();
    },
  },
  passive(
    'RPC-ERR-08',
    'No error codes from the reserved range other than -32020/-32021/-32022',
    'A 2026-07-28 server MUST NOT emit an error code in -32020…-32099 other than -32020, -32021 and -32022, and never -32002 or -32042.',
    'MUST',
    MODERN_ONLY,
    BASIC_MODERN,
    (traffic) => {
      const allowed = new Set<unknown>([
        ErrorCode.HeaderMismatch,
        ErrorCode.MissingRequiredClientCapability,
        ErrorCode.UnsupportedProtocolVersion,
      ]);
      const bad = errorCodes(traffic).find(
        ({ code }) =>
          code === -32002 || code === -32042 || (typeof code === 'number' && code <= -32020 && code >= -32099 && !allowed.has(code)),
      );
      return bad ? violated('no error code -32002, -32042 or in -32023…-32099', show(bad.message)) : ok();
    },
  ),
  passive(
    'RPC-ERR-09',
    'No error codes from the legacy range -32000…-32019',
    'A 2026-07-28 server SHOULD NOT use error codes in the legacy implementation range -32000…-32019.',
    'SHOULD',
    MODERN_ONLY,
    BASIC_MODERN,
    (traffic) => {
      const bad = errorCodes(traffic).find(({ code }) => typeof code === 'number' && code <= -32000 && code >= -32019);
      return bad ? violated('no error code in -32000…-32019', show(bad.message)) : ok();
    },
  ),
  passive(
    'RPC-RT-01',
    'Every result has a resultType',
    'In 2026-07-28 every result MUST carry resultType ("complete", "input_required" or an advertised extension value).',
    'MUST',
    MODERN_ONLY,
    spec('2026-07-28', 'basic#responses'),
    (traffic) => {
      for (const m of responses(traffic)) {
        // an error response is RPC-RES-01's business, even one that also carries a result
        if (!('result' in m) || 'error' in m) continue;
        const type = resultOf(m)?.resultType;
        if (typeof type !== 'string' || type === '') return violated('result.resultType, e.g. "complete"', show(m));
      }
      return ok();
    },
  ),
];
