/**
 * The Streamable HTTP driver, in both shapes, chosen by the session's revision:
 * - 2025-03-26 … 2025-11-25: initialize handshake, `Mcp-Session-Id` when the server issues one,
 *   `MCP-Protocol-Version: <negotiated>` from 2025-06-18, DELETE on close. An initialize that
 *   offers a revision of 2025-06-18 or later carries the header too, with the offered version,
 *   although the spec asks for it only on the requests after initialize: a server that wrongly
 *   insists on it still gets tested, and SHTTP-PVER-03 (which removes it) reports the defect.
 * - 2026-07-28: stateless. Every request carries the required `_meta` and the metadata headers
 *   `MCP-Protocol-Version`, `Mcp-Method` and, for tools/call, prompts/get and resources/read,
 *   `Mcp-Name`. Notification POSTs carry `Mcp-Method` too: the revision defines no header rules
 *   for them (tension T10), the header mirrors the body, and a server must not reject it; a check
 *   that wants it absent removes it with `headers: { 'Mcp-Method': undefined }`.
 *
 * A response is one JSON body or an SSE stream read until the response with the request's id.
 */
import { DEADLINES } from './deadline.js';
import { headerValue, mcpHeaderValue, mergeHeaders } from './http-headers.js';
import { accepted, HttpSessionBase, type HttpSessionContext, httpDriver, rawReplyOf } from './http-session-base.js';
import type { JsonRpcMessage, Revision } from './protocol.js';
import { errorOf, isModern, isResponse, MODERN_REVISION, NAMED_METHODS, REVISIONS } from './protocol.js';
import {
  answers,
  buildNotification,
  buildRequest,
  handshakeParams,
  harmlessMethod,
  methodOf,
  modernMeta,
  negotiatedVersion,
  requestParams,
  SessionOpenError,
} from './rpc-core.js';
import type { Driver, HttpReply, HttpSession, OpenOptions, RawOptions, RawReply, RequestOptions, RpcReply, Target } from './session.js';
import type { WireLog } from './wire-log.js';

const FIRST_STREAMABLE = REVISIONS.indexOf('2025-03-26');
const FIRST_VERSION_HEADER = REVISIONS.indexOf('2025-06-18');
const POST_BASICS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } as const;
/** distinct methods whose header sets are cached per session */
const METHOD_CACHE_LIMIT = 64;

export function createStreamableHttpDriver(target: Extract<Target, { transport: 'http' }>, log: WireLog): Driver {
  return httpDriver('http', target, log, (context) => new StreamableHttpSession(context));
}

class StreamableHttpSession extends HttpSessionBase implements HttpSession {
  readonly transport = 'http' as const;
  sessionId: string | undefined;
  /** the version the InitializeResult named (legacy shape) */
  negotiatedVersion: string | undefined;
  /** HTTP status of the DELETE sent on close, when a session id had been issued */
  deleteStatus: number | undefined;
  private readonly modern: boolean;
  /** the required 2026-07-28 `_meta`, fixed when the session opens */
  private baseMeta: Record<string, unknown> | undefined;
  /** headers of every POST (legacy shape), or of every POST before Mcp-Method/Mcp-Name (modern) */
  private common: Record<string, string>;
  private readonly byMethod = new Map<string, Record<string, string>>();

  constructor(context: HttpSessionContext) {
    super(context);
    this.modern = isModern(context.revision);
    this.common = this.commonHeaders();
  }

  async start(revision: Revision, opts: OpenOptions): Promise<void> {
    if (REVISIONS.indexOf(revision) < FIRST_STREAMABLE) {
      throw new SessionOpenError(
        `Streamable HTTP does not exist in ${revision}; a ${revision} server is tested over the legacy HTTP+SSE transport`,
      );
    }
    if (this.modern) {
      this.baseMeta = modernMeta(opts.capabilities);
      return;
    }
    if (opts.initialize === false) return;
    const reply = await this.request('initialize', handshakeParams(revision, opts));
    const error = errorOf(reply.response);
    if (!reply.response || error) {
      const what = reply.response ? JSON.stringify(reply.response) : reply.timedOut ? 'no response before the deadline' : 'no response';
      throw new SessionOpenError('initialize failed', `HTTP ${reply.status ?? 0}, ${what}`);
    }
    await this.notify('notifications/initialized');
  }

  headersFor(method?: string, params?: Record<string, unknown>): Record<string, string> {
    return { ...this.postHeaders(method, params) };
  }

  async request(method: string, params?: Record<string, unknown>, opts: RequestOptions = {}): Promise<RpcReply> {
    const id = this.takeId(opts);
    const finalParams = requestParams(this.revision, params, opts.meta, this.baseMeta);
    // What the request's stream carries joins the history as it arrives: a server that asks the
    // client something mid-call waits for the answer before it responds.
    const live = new Set<JsonRpcMessage>();
    const reply = await this.transfer(
      {
        method: 'POST',
        url: this.url,
        headers: mergeHeaders(this.postHeaders(method, finalParams), opts.headers),
        body: JSON.stringify(buildRequest(id, method, finalParams)),
        timeoutMs: opts.timeoutMs ?? DEADLINES.request,
      },
      {
        untilMessage: (m) => answers(m, id),
        onMessage: (m) => {
          live.add(m);
          this.router.deliver(m);
        },
      },
    );
    this.absorb(reply, live);
    const response = reply.messages.find((m) => answers(m, id));
    if (method === 'initialize') this.adoptSession(reply, response);
    return {
      response,
      messages: reply.messages,
      status: reply.status,
      // the harness stopped waiting (deadline, or an SSE read cut off) rather than the server ending
      timedOut: response === undefined && (reply.timedOut === true || (reply.status !== 0 && !reply.ended)),
    };
  }

  async notify(method: string, params?: Record<string, unknown>, opts: RawOptions = {}): Promise<RawReply> {
    const reply = await this.post(JSON.stringify(buildNotification(method, params)), method, params, opts);
    return rawReplyOf(reply);
  }

  /** POSTs exactly `text`; in the modern shape its Mcp-Method/Mcp-Name come from the text when it parses. */
  async sendRaw(text: string, opts: RawOptions = {}): Promise<RawReply> {
    const [method, params] = methodOf(text);
    const reply = await this.post(text, method, params, opts);
    // a check that handshakes by hand still gets a session to continue in
    if (method === 'initialize' && accepted(reply.status)) {
      this.adoptSession(
        reply,
        reply.messages.find((m) => isResponse(m)),
      );
    }
    return rawReplyOf(reply);
  }

  async probe(overrides: Record<string, string | undefined>): Promise<HttpReply> {
    const method = harmlessMethod(this.revision);
    const id = this.takeId(undefined);
    const params = requestParams(this.revision, undefined, undefined, this.baseMeta);
    const reply = await this.client.send(
      {
        method: 'POST',
        url: this.url,
        headers: mergeHeaders(this.postHeaders(method, params), overrides),
        body: JSON.stringify(buildRequest(id, method, params)),
      },
      this.log,
      { untilMessage: (m) => answers(m, id) },
    );
    this.absorb(reply);
    return reply;
  }

  protected override async beforeClose(): Promise<void> {
    if (this.sessionId === undefined) return;
    const headers: Record<string, string> = { ...this.common };
    delete headers['Content-Type'];
    delete headers['Accept'];
    const reply = await this.transfer({ method: 'DELETE', url: this.url, headers });
    this.deleteStatus = reply.status;
  }

  private async post(
    body: string,
    method: string | undefined,
    params: Record<string, unknown> | undefined,
    opts: RawOptions,
  ): Promise<HttpReply> {
    const quiet = opts.until === 'quiet';
    const timeoutMs = opts.timeoutMs ?? (quiet ? DEADLINES.quietWindow : DEADLINES.request);
    const reply = await this.transfer(
      {
        method: 'POST',
        url: this.url,
        headers: mergeHeaders(this.postHeaders(method, params), opts.headers),
        body,
        timeoutMs: quiet ? DEADLINES.request : timeoutMs,
        // 'quiet': a stream is read for the window; 'message': until the first response
        ...(quiet ? { readMs: timeoutMs } : {}),
      },
      quiet ? undefined : { untilMessage: isResponse },
    );
    this.absorb(reply);
    return reply;
  }

  /** An initialize answer (the handshake's, or a check's own) sets the session id and version. */
  private adoptSession(reply: HttpReply, response: JsonRpcMessage | undefined): void {
    const sessionId = headerValue(reply.headers, 'mcp-session-id');
    if (sessionId !== undefined) this.sessionId = sessionId;
    if (response !== undefined) {
      this.initializeResponse = response;
      if (!errorOf(response)) this.negotiatedVersion = negotiatedVersion(response) ?? this.revision;
    }
    this.common = this.commonHeaders();
    this.byMethod.clear();
  }

  private commonHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.targetHeaders, ...POST_BASICS };
    if (this.modern) {
      headers['MCP-Protocol-Version'] = MODERN_REVISION;
      return headers;
    }
    if (this.sessionId !== undefined) headers['Mcp-Session-Id'] = this.sessionId;
    if (this.negotiatedVersion !== undefined && REVISIONS.indexOf(this.revision) >= FIRST_VERSION_HEADER) {
      headers['MCP-Protocol-Version'] = this.negotiatedVersion;
    }
    return headers;
  }

  /** An initialize offering a revision that has MCP-Protocol-Version announces it there (see the file's comment). */
  private initializeHeaders(params: Record<string, unknown> | undefined): Record<string, string> {
    const offered = params?.protocolVersion;
    const announce = this.negotiatedVersion === undefined && REVISIONS.indexOf(offered as Revision) >= FIRST_VERSION_HEADER;
    return announce ? { ...this.common, 'MCP-Protocol-Version': offered as string } : this.common;
  }

  /** The session's POST headers for `method` (shared objects: copy before changing). */
  private postHeaders(method: string | undefined, params: Record<string, unknown> | undefined): Record<string, string> {
    if (method === 'initialize' && !this.modern) return this.initializeHeaders(params);
    if (!this.modern || method === undefined) return this.common;
    let headers = this.byMethod.get(method);
    if (headers === undefined) {
      headers = { ...this.common, 'Mcp-Method': method };
      if (this.byMethod.size >= METHOD_CACHE_LIMIT) this.byMethod.clear();
      this.byMethod.set(method, headers);
    }
    const field = Object.hasOwn(NAMED_METHODS, method) ? NAMED_METHODS[method] : undefined;
    const name = field === undefined ? undefined : params?.[field];
    return typeof name === 'string' ? { ...headers, 'Mcp-Name': mcpHeaderValue(name) } : headers;
  }
}
