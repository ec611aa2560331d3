/**
 * Catalog section 8, Streamable HTTP in its 2026-07-28 shape (8a, the server rows): the endpoint,
 * POST answers, response streams, the metadata headers (MCP-Protocol-Version, Mcp-Method, Mcp-Name,
 * Mcp-Param-*), and what is left of the 2025 shape (GET, DELETE, sessions, Last-Event-ID). Checks
 * in catalog order.
 */
import { ErrorCode, isModern, MODERN_REVISION } from '../drivers/protocol.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import type { HttpReply, HttpRequestSpec, HttpSession, RpcReply } from '../drivers/session.js';
import type { Check, CheckContext, Outcome } from './check.js';
import { ok, skip, spec, underTension, violated } from './check.js';
import {
  describeStatus,
  noneDuringEcho,
  errorCode,
  isRequestMessage,
  rawRequest,
  respondsTo,
  resultOf,
  sameIdValue,
  show,
  showEvents,
  streamGetHeaders,
} from './probes.js';

const HTTP4 = spec(MODERN_REVISION, 'basic/transports/streamable-http');

export const statelessHttpChecks: readonly Check[] = [
  {
    id: 'H4-EP-01',
    title: 'The endpoint answers a POSTed request with 200',
    requirement: 'The server MUST provide a single MCP endpoint that accepts POST: server/discover is answered 200 with its result.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('server/discover', {});
      if (reply.status !== 200) return violated('HTTP 200', describeStatus(reply.status));
      if (!resultOf(reply.response)) return violated('a server/discover result', show(reply.response));
      return ok();
    },
  },
  {
    id: 'H4-POST-01',
    title: 'An accepted notification POST gets 202 with no body',
    requirement: 'If the server accepts a notification POST, it MUST return 202 Accepted with no body.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.notify('notifications/cancelled', { requestId: 'harness-nope' });
      if (reply.status !== 202) return violated('202', describeStatus(reply.status));
      if (reply.body) return violated('an empty body', show(reply.body));
      return ok();
    },
  },
  {
    id: 'H4-POST-02',
    title: 'A request is answered as application/json or text/event-stream',
    requirement: 'The answer to a request MUST be Content-Type application/json (one object) or text/event-stream.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({});
      const type = reply.contentType.trim().toLowerCase();
      if (!type.startsWith('application/json') && !type.startsWith('text/event-stream')) {
        return violated(
          'application/json or text/event-stream',
          `${describeStatus(reply.status, reply.error)} ${type || 'no Content-Type'}`,
        );
      }
      return ok(type);
    },
  },
  {
    id: 'H4-SSE-01',
    title: 'Notifications on a response stream belong to its request',
    requirement:
      "Notifications sent before the response MUST relate to the originating request (progress carries the request's progressToken).",
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['progress-tool'],
    async run(ctx) {
      const reply = await progressStream(ctx, await ctx.http(), 62);
      const notSse = skipUnlessSse(reply);
      if (notSse) return notSse;
      const foreign = reply.messages.find(
        (m) => m.method === 'notifications/progress' && (m.params as { progressToken?: unknown })?.progressToken !== 'harness-62',
      );
      if (foreign) return violated('progress for progressToken "harness-62" only', show(foreign));
      return ok();
    },
  },
  {
    id: 'H4-SSE-02',
    title: 'No JSON-RPC requests on any stream',
    requirement: 'The server MUST NOT send JSON-RPC requests on a response stream.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      return noneDuringEcho(ctx, await ctx.http(), isRequestMessage, 'no server-initiated request');
    },
  },
  {
    id: 'H4-SSE-03',
    title: 'The response stream ends after the final response',
    requirement: 'After the JSON-RPC response, the server SHOULD terminate the SSE stream.',
    level: 'SHOULD',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['progress-tool'],
    async run(ctx) {
      const reply = await progressStream(ctx, await ctx.http(), 63, 2_000);
      const notSse = skipUnlessSse(reply);
      if (notSse) return notSse;
      if (!reply.messages.some(respondsToMessage(63))) return violated('the response on the stream', showEvents(reply.events));
      if (!reply.ended) return violated('the stream ends after the response', 'still open 2 s after the request');
      return ok();
    },
  },
  {
    id: 'H4-SSE-04',
    title: 'SSE responses carry X-Accel-Buffering: no',
    requirement: 'An SSE response SHOULD carry the header X-Accel-Buffering: no, so proxies do not buffer it.',
    level: 'SHOULD',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['progress-tool'],
    async run(ctx) {
      const reply = await progressStream(ctx, await ctx.http(), 61);
      const notSse = skipUnlessSse(reply);
      if (notSse) return notSse;
      const value = reply.headers['x-accel-buffering'];
      if (value?.toLowerCase() !== 'no') return violated('X-Accel-Buffering: no', value === undefined ? 'no such header' : value);
      return ok();
    },
  },
  {
    id: 'H4-SSE-05',
    title: 'Idle listen streams carry keep-alive comment lines',
    requirement:
      'Servers are encouraged to send SSE comment lines as keep-alives on long-lived streams, in particular the subscriptions/listen stream.',
    level: 'INF',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const params = { notifications: { toolsListChanged: true } };
      const body = JSON.stringify(rawRequest(ctx.revision, 91, 'subscriptions/listen', params));
      const headers = session.headersFor('subscriptions/listen', params);
      const reply = await session.send({ method: 'POST', headers, body, timeoutMs: LISTEN_WINDOW_MS + 2_000, readMs: LISTEN_WINDOW_MS });
      if (!reply.contentType.includes('text/event-stream')) {
        return skip(
          `subscriptions/listen was answered ${describeStatus(reply.status, reply.error)} ${reply.contentType}, not with a listen stream: ${show(reply.messages[0] ?? reply.body)}`,
        );
      }
      const comments = reply.body.split(/\r\n|\r|\n/).filter((line) => line.startsWith(':'));
      if (comments.length > 0) return ok(`${comments.length} comment line(s) within ${LISTEN_WINDOW_MS} ms`);
      if (reply.ended)
        return skip(`the listen stream ended within ${LISTEN_WINDOW_MS} ms: not a long-lived stream (${showEvents(reply.events)})`);
      return violated(
        `an SSE comment line (keep-alive) on the idle listen stream within ${LISTEN_WINDOW_MS} ms`,
        `none in ${LISTEN_WINDOW_MS} ms; a server whose keep-alive interval is longer (15-30 s is common) looks the same in so short a window`,
      );
    },
  },
  {
    id: 'H4-HDR-01',
    title: 'A POST without MCP-Protocol-Version is not served as modern',
    requirement:
      'MCP-Protocol-Version is required on every POST: without it the server answers 400 with -32020, or falls back to 2025-03-26 handling, never a modern success.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('server/discover', {}, { headers: { 'MCP-Protocol-Version': undefined } });
      // A modern success: a result object, and no error beside it.
      if (resultOf(reply.response) && reply.response?.error === undefined) {
        return underTension(
          'T12',
          violated('400 with -32020, or legacy handling', `${describeStatus(reply.status)} ${show(reply.response)}`),
        );
      }
      return ok(`${describeStatus(reply.status)} ${show(errorCode(reply.response))}`);
    },
  },
  {
    id: 'H4-HDR-02',
    title: 'A version header that disagrees with _meta gets 400 with -32020',
    requirement:
      'If the MCP-Protocol-Version header and the _meta protocolVersion differ, the server MUST answer 400 with -32020, echoing the id.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('server/discover', {}, { id: 51, headers: { 'MCP-Protocol-Version': '2025-11-25' } });
      return headerRejection(reply, 51, [HEADER_MISMATCH, ErrorCode.UnsupportedProtocolVersion]);
    },
  },
  {
    id: 'H4-HDR-03',
    title: 'An unknown method gets 404 with -32601',
    requirement: 'A request for an unknown method MUST be answered with HTTP 404 and a -32601 error.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.request('harness/no_such_method', {}, { id: 23 });
      if (reply.status !== 404) return violated('HTTP 404', describeStatus(reply.status));
      if (errorCode(reply.response) !== ErrorCode.MethodNotFound) return violated('error -32601', show(reply.response));
      return ok();
    },
  },
  {
    id: 'H4-HDR-04',
    title: 'Mcp-Method and Mcp-Name are required',
    requirement:
      'Requests MUST carry Mcp-Method, and tools/call, resources/read and prompts/get also Mcp-Name; a missing one gets 400 with -32020.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const noMethod = await session.request('tools/list', {}, { id: 52, headers: { 'Mcp-Method': undefined } });
      const first = headerRejection(noMethod, 52, [HEADER_MISMATCH], 'without Mcp-Method: ');
      if (first.kind !== 'ok') return first;
      const noName = await session.request('tools/call', echoParams(ctx), { id: 53, headers: { 'Mcp-Name': undefined } });
      return headerRejection(noName, 53, [HEADER_MISMATCH], 'without Mcp-Name: ');
    },
  },
  {
    id: 'H4-HDR-05',
    title: 'Headers that disagree with the body get 400 with -32020',
    requirement: 'If Mcp-Method or Mcp-Name differs from the body, the server MUST answer 400 with -32020.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const method = await session.request('tools/call', echoParams(ctx), { id: 54, headers: { 'Mcp-Method': 'tools/list' } });
      const first = headerRejection(method, 54, [HEADER_MISMATCH], 'Mcp-Method tools/list on tools/call: ');
      if (first.kind !== 'ok') return first;
      const name = await session.request('tools/call', echoParams(ctx), { id: 55, headers: { 'Mcp-Name': 'harness-not-this-tool' } });
      return headerRejection(name, 55, [HEADER_MISMATCH], 'Mcp-Name of another tool: ');
    },
  },
  {
    id: 'H4-HDR-06',
    title: 'A base64-encoded Mcp-Name is decoded before comparing',
    requirement: 'The server MUST decode a =?base64?…?= header value before comparing it with the body.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['echo-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const encoded = `=?base64?${Buffer.from(ctx.fixtures.echoTool ?? '', 'utf8').toString('base64')}?=`;
      const reply = await session.request('tools/call', echoParams(ctx), { headers: { 'Mcp-Name': encoded } });
      if (!resultOf(reply.response))
        return violated(`a result for Mcp-Name: ${encoded}`, `${describeStatus(reply.status)} ${show(reply.response)}`);
      return ok();
    },
  },
  {
    id: 'H4-HDR-07',
    title: 'Header names are case-insensitive, values case-sensitive',
    requirement:
      'Header names MUST be matched case-insensitively and values case-sensitively: mcp-method is Mcp-Method, TOOLS/LIST is not tools/list.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const lower = await session.request('tools/list', {}, { headers: { 'Mcp-Method': undefined, 'mcp-method': 'tools/list' } });
      if (!resultOf(lower.response))
        return violated('a result with mcp-method: tools/list', `${describeStatus(lower.status)} ${show(lower.response)}`);
      const upper = await session.request('tools/list', {}, { id: 56, headers: { 'Mcp-Method': 'TOOLS/LIST' } });
      return headerRejection(upper, 56, [HEADER_MISMATCH], 'Mcp-Method: TOOLS/LIST: ');
    },
  },
  // ---- section 8a: x-mcp-header parameters and listen keep-alives (issue 3) ----
  {
    id: 'H4-HDR-08',
    title: 'Mcp-Param-* headers are validated against the arguments',
    requirement:
      'For a parameter annotated with x-mcp-header, the server MUST reject with 400 and -32020 a missing or different Mcp-Param-{Name} header while the argument has a value, or one with characters a header value may not carry, MUST NOT expect it when the value is absent, and SHOULD compare integers numerically.',
    level: 'MUST',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    needs: ['param-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const name = ctx.fixtures.paramTool ?? '';
      const listed = await session.request('tools/list', {});
      const tool = toolsIn(listed.response).find((t) => t.name === name);
      if (!tool) return skip(`tools/list does not list the tool ${show(name)}`);
      const declared = headerParams(tool.inputSchema).filter((d) => d.path.length === 1);
      const text = declared.find((d) => d.type === 'string');
      if (!text) return skip(`${show(name)} annotates no top-level string parameter with x-mcp-header`);
      const int = declared.find((d) => d.type === 'integer');
      const args: Record<string, unknown> = { [text.path[0]!]: 'harness-1', ...(int ? { [int.path[0]!]: 42 } : {}) };
      const textHeader = `Mcp-Param-${text.header}`;
      const headers: Record<string, string | undefined> = {
        [textHeader]: 'harness-1',
        ...(int ? { [`Mcp-Param-${int.header}`]: '42' } : {}),
      };
      const call = (id: number, a: Record<string, unknown>, h: Record<string, string | undefined>) =>
        session.request('tools/call', { name, arguments: a }, { id, headers: h });
      const control = await call(81, args, headers);
      if (!resultOf(control.response))
        return violated(
          'a result when every Mcp-Param header matches (control)',
          `${describeStatus(control.status)} ${show(control.response)}`,
        );
      const missing = headerRejection(
        await call(82, args, { ...headers, [textHeader]: undefined }),
        82,
        [HEADER_MISMATCH],
        `without ${textHeader}: `,
      );
      if (missing.kind !== 'ok') return missing;
      const differing = headerRejection(
        await call(83, args, { ...headers, [textHeader]: 'harness-2' }),
        83,
        [HEADER_MISMATCH],
        `${textHeader}: harness-2 for harness-1: `,
      );
      if (differing.kind !== 'ok') return differing;
      // A non-ASCII value must travel Base64-encoded; sent raw, it carries characters a header may not.
      const raw = 'harness-\u00e9';
      const unsafe = await call(86, { ...args, [text.path[0]!]: raw }, { ...headers, [textHeader]: raw });
      const rejected = headerRejection(unsafe, 86, [HEADER_MISMATCH], `${textHeader} with a raw non-ASCII character: `);
      if (rejected.kind !== 'ok') return rejected;
      const { [text.path[0]!]: _omitted, ...without } = args;
      const absent = await call(84, without, { ...headers, [textHeader]: undefined });
      if (!resultOf(absent.response)) {
        return violated(
          `a result without ${textHeader} when the argument is absent`,
          `${describeStatus(absent.status)} ${show(absent.response)}`,
        );
      }
      if (!int) return ok('no integer x-mcp-header parameter: numeric comparison not probed');
      const numeric = await call(85, args, { ...headers, [`Mcp-Param-${int.header}`]: '42.0' });
      if (!resultOf(numeric.response)) {
        return violated(
          `Mcp-Param-${int.header}: 42.0 accepted for the integer 42 (compared numerically)`,
          `${describeStatus(numeric.status)} ${show(numeric.response)}`,
          'warn',
        );
      }
      return ok();
    },
  },
  {
    id: 'H4-HDR-09',
    title: 'x-mcp-header annotations in tools/list meet their constraints',
    requirement:
      'Every x-mcp-header value MUST be a non-empty HTTP token, unique case-insensitively within its inputSchema, on an integer, string or boolean property reachable from the root through properties only.',
    level: 'MUST',
    spec: spec(MODERN_REVISION, 'server/tools#x-mcp-header'),
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const listed = await session.request('tools/list', {});
      const tools = toolsIn(listed.response);
      if (!resultOf(listed.response)) return skip(`tools/list gave no result: ${show(listed.response)}`);
      let annotated = 0;
      for (const tool of tools) {
        const scan = scanHeaderAnnotations(tool.inputSchema);
        annotated += scan.count;
        if (scan.problem) return violated(`valid x-mcp-header annotations on ${show(tool.name)}`, scan.problem);
      }
      if (annotated === 0) return skip(`none of the ${tools.length} listed tools declares x-mcp-header`);
      return ok(`${annotated} annotation(s) checked`);
    },
  },
  {
    id: 'H4-LEG-01',
    title: 'GET and DELETE get 405',
    requirement: 'A modern-only server SHOULD answer GET and DELETE on the endpoint with 405 Method Not Allowed.',
    level: 'SHOULD',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      // Tension T11: a dual-era server serves the legacy GET stream on the same endpoint.
      if (!ctx.supported.every(isModern)) return skip('the server also serves the legacy era (tension T11)');
      const session = await ctx.http();
      for (const method of ['GET', 'DELETE']) {
        const headers = method === 'GET' ? streamGetHeaders(session) : streamGetHeaders(session, { Accept: 'application/json' });
        const reply = await session.send({ method, headers, timeoutMs: 3_000, readMs: 1_000 });
        if (reply.status !== 405) return violated(`${method} → 405`, `${method} → ${describeStatus(reply.status, reply.error)}`);
      }
      return ok();
    },
  },
  {
    id: 'H4-LEG-02',
    title: 'Mcp-Session-Id is ignored, never echoed',
    requirement: 'The server SHOULD ignore an Mcp-Session-Id header and never mint or echo one.',
    level: 'SHOULD',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({ 'Mcp-Session-Id': 'harness-abc' });
      if (reply.status < 200 || reply.status > 299) return violated('a normal answer', describeStatus(reply.status, reply.error));
      const echoed = reply.headers['mcp-session-id'];
      if (echoed !== undefined) return violated('no Mcp-Session-Id in the response', `Mcp-Session-Id: ${echoed}`);
      return ok();
    },
  },
  {
    id: 'H4-LEG-03',
    title: 'Last-Event-ID is ignored',
    requirement: 'Streams are not resumable: the server SHOULD ignore Last-Event-ID and answer normally.',
    level: 'SHOULD',
    spec: HTTP4,
    transports: ['http'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.http();
      const reply = await session.probe({ 'Last-Event-ID': 'harness-1' });
      if (reply.status < 200 || reply.status > 299 || !reply.messages.some((m) => 'result' in m)) {
        return violated('a normal result', `${describeStatus(reply.status, reply.error)} ${show(reply.messages)}`);
      }
      return ok();
    },
  },
];

/** H4-SSE-05 reads an idle listen stream this long: the test budget allows no more. */
const LISTEN_WINDOW_MS = 1_000;

interface ListedTool {
  name: unknown;
  inputSchema: unknown;
}

function toolsIn(response: JsonRpcMessage | undefined): ListedTool[] {
  const tools = resultOf(response)?.tools;
  return Array.isArray(tools) ? tools.filter((t): t is ListedTool => !!t && typeof t === 'object') : [];
}

interface HeaderParam {
  path: string[];
  header: string;
  type: unknown;
}

/** The x-mcp-header annotations reachable from the schema root through `properties` only. */
function headerParams(schema: unknown, path: string[] = []): HeaderParam[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const out: HeaderParam[] = [];
  const header = node['x-mcp-header'];
  if (path.length > 0 && typeof header === 'string' && header !== '') out.push({ path, header, type: node.type });
  const props = node.properties;
  if (props && typeof props === 'object' && !Array.isArray(props)) {
    for (const [key, child] of Object.entries(props)) out.push(...headerParams(child, [...path, key]));
  }
  return out;
}

/** RFC 9110 token: 1*tchar. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const HEADER_TYPES = new Set(['string', 'integer', 'boolean']);

/**
 * Every x-mcp-header in a tool's inputSchema, wherever it sits, and the first constraint one of
 * them breaks. Anything that is not a `properties` step (items, composition, conditionals,
 * $defs, ...) makes what lies below unreachable.
 */
function scanHeaderAnnotations(schema: unknown): { count: number; problem?: string } {
  let count = 0;
  const seen = new Map<string, string>();
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      for (const item of node) {
        const p = visit(item, path, false);
        if (p) return p;
      }
      return undefined;
    }
    const n = node as Record<string, unknown>;
    const where = path.length === 0 ? 'the schema root' : path.join('.');
    if ('x-mcp-header' in n) {
      count++;
      const raw = n['x-mcp-header'];
      if (!reachable || path.length === 0) return `${where}: x-mcp-header on a property not reachable through properties alone`;
      if (typeof raw !== 'string' || raw === '') return `${where}: x-mcp-header ${show(raw)} is not a non-empty string`;
      if (!TOKEN.test(raw)) return `${where}: x-mcp-header ${show(raw)} is not an HTTP token`;
      if (typeof n.type !== 'string' || !HEADER_TYPES.has(n.type))
        return `${where}: x-mcp-header ${show(raw)} on a property of type ${show(n.type)}`;
      const prior = seen.get(raw.toLowerCase());
      if (prior !== undefined) return `${where}: x-mcp-header ${show(raw)} repeats ${show(prior)} (case-insensitively)`;
      seen.set(raw.toLowerCase(), raw);
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === 'x-mcp-header' || !child || typeof child !== 'object') continue;
      if (key === 'properties' && !Array.isArray(child)) {
        for (const [name, sub] of Object.entries(child)) {
          const p = visit(sub, [...path, name], reachable);
          if (p) return p;
        }
        continue;
      }
      // Subschemas under any other keyword, and (one level down) the values of name → schema maps such as $defs.
      const p = visit(child, [...path, `<${key}>`], false);
      if (p) return p;
    }
    return undefined;
  };
  const problem = visit(schema, [], true);
  return problem === undefined ? { count } : { count, problem };
}

const HEADER_MISMATCH = -32020;

/**
 * The progress tool with a progressToken ("harness-<id>"), POSTed raw for its headers and events:
 * read until the response (or, with readMs, until the stream ends or readMs passes).
 */
function progressStream(ctx: CheckContext, session: HttpSession, id: number, readMs?: number): Promise<HttpReply> {
  const request = rawRequest(ctx.revision, id, 'tools/call', { name: ctx.fixtures.progressTool, arguments: { steps: 2, intervalMs: 10 } });
  const params = request.params as { _meta: Record<string, unknown> };
  params._meta = { ...params._meta, progressToken: `harness-${id}` };
  const spec: HttpRequestSpec = {
    method: 'POST',
    headers: session.headersFor('tools/call', params),
    body: JSON.stringify(request),
    timeoutMs: 4_000,
  };
  return session.send(readMs === undefined ? { ...spec, until: respondsTo(id) } : { ...spec, readMs });
}

/** The checks of a response stream have nothing to look at when the server answered with JSON. */
function skipUnlessSse(reply: HttpReply): Outcome | undefined {
  if (reply.contentType.includes('text/event-stream')) return undefined;
  return skip(`the server answered ${reply.contentType || describeStatus(reply.status)}, not SSE`);
}

function respondsToMessage(id: number): (m: JsonRpcMessage) => boolean {
  return (m) => m.method === undefined && ('result' in m || 'error' in m) && sameIdValue(m.id, id);
}

function echoParams(ctx: CheckContext): Record<string, unknown> {
  return { name: ctx.fixtures.echoTool, arguments: { text: 'harness' } };
}

/** 400 with one of `codes`, the id echoed. */
function headerRejection(reply: RpcReply, id: number, codes: readonly number[], what = ''): Outcome {
  const code = errorCode(reply.response);
  if (reply.status !== 400 || code === undefined || !codes.includes(code)) {
    return violated(`${what}400 with ${codes.join(' or ')}`, `${describeStatus(reply.status)} ${show(reply.response)}`);
  }
  if (!sameIdValue(reply.response?.id, id)) return violated(`${what}the id ${id} echoed`, show(reply.response?.id));
  return ok();
}
