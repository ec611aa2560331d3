/** JSON-RPC 2.0 message rules (catalog section 1a), on every transport. */
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { ErrorCode, LEGACY_REVISIONS, REVISIONS } from '../drivers/protocol.js';
import type { Check } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import {
  answerOrSilence,
  callAnsweringServer,
  errorCode,
  harmlessMethod,
  isRequestMessage,
  rawRequest,
  responsesIn,
  sameId,
  sameIdValue,
  sendAndFind,
  show,
} from './probes.js';

const ALL_TRANSPORTS = ['stdio', 'sse', 'http'] as const;
const BASIC = spec('2025-11-25', 'basic#messages');

/** Ids of every JSON type MCP allows, including the ones that are easy to coerce. */
const PROBE_IDS: readonly (string | number)[] = ['abc', 0, 9007199254740991, '1'];

export const jsonrpcChecks: readonly Check[] = [
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
        if (!reply.response) return violated(`a response with id ${show(id)}`, `no response (${reply.timedOut ? 'deadline passed' : 'none matched'})`);
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
    requirement: 'A request the server sends MUST carry a string or integer id, never null, and MUST NOT reuse an id it used earlier in the session.',
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
        return skip(`the server sent the client no request while the tool ran (answer: ${show(reply.response, 120)}); a JSON-only HTTP answer cannot carry one`);
      }
      const used = new Map<string, JsonRpcMessage>();
      for (const request of requests) {
        const id = request.id;
        if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) {
          return violated('a string or integer id on every request from the server', show(request));
        }
        const key = `${typeof id}:${String(id)}`;
        const earlier = used.get(key);
        if (earlier) return violated(`a new id on every request from the server`, `id ${show(id)} again: ${show(earlier, 150)} then ${show(request, 150)}`);
        used.set(key, request);
      }
      return ok(`${requests.length} requests, ids ${show(requests.map((r) => r.id))}`);
    },
  },
  {
    id: 'RPC-ERR-01',
    title: 'Unparseable JSON gets a -32700 error and the server keeps working',
    requirement: 'A message that is not valid JSON MUST be answered with error -32700 (id null or absent), and the server MUST go on serving.',
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
    requirement: 'A JSON value that is not a valid Request object (wrong jsonrpc version, non-string method, object id) MUST be answered with error -32600.',
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
];
