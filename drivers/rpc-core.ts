/**
 * The transport-agnostic JSON-RPC core every driver shares: message building, the era's
 * parameters (initialize, the 2026-07-28 `_meta`), loose id matching, and the router that pairs
 * responses with pending requests on a channel that carries everything (a legacy SSE stream, a
 * stdout pipe). Nothing here knows about HTTP or processes.
 */
import type { JsonRpcMessage, Revision } from './protocol.js';
import { HARNESS_CLIENT_INFO, isModern, isResponse, META, MODERN_REVISION } from './protocol.js';
import type { OpenOptions, RawUntil, RpcReply } from './session.js';

// ---- ids ------------------------------------------------------------------------------------

/**
 * Loose id equality: 1 matches "1", so that a server that coerces the id's type still has its
 * response found, and the check, which sees both, can judge the coercion itself. null matches
 * only null; a missing id matches nothing.
 */
export function idsMatch(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || b === null) return a === b;
  return idKey(a) === idKey(b);
}

/** The key under which idsMatch considers two ids equal. */
export function idKey(id: unknown): string {
  if (id === null) return '\u0000null';
  if (typeof id === 'object') return `\u0000json:${JSON.stringify(id)}`;
  return String(id);
}

// ---- messages -------------------------------------------------------------------------------

export function buildRequest(id: unknown, method: string, params?: Record<string, unknown>): JsonRpcMessage {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

export function buildNotification(method: string, params?: Record<string, unknown>): JsonRpcMessage {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

/** The JSON-RPC messages in a parsed payload: an object is one, an array (a batch) is each object in it. */
export function toMessages(value: unknown): JsonRpcMessage[] {
  if (Array.isArray(value)) {
    return value.filter((v): v is JsonRpcMessage => typeof v === 'object' && v !== null && !Array.isArray(v));
  }
  if (typeof value === 'object' && value !== null) return [value as JsonRpcMessage];
  return [];
}

export interface Collected {
  messages: JsonRpcMessage[];
  /** payloads that were not a JSON object or array */
  nonJson: string[];
}

/** Parse one payload (a line, a body, an event's data) the way every driver reports it. */
export function parsePayload(text: string): Collected {
  if (text.trim().length === 0) return { messages: [], nonJson: [] };
  try {
    const value: unknown = JSON.parse(text);
    const messages = toMessages(value);
    return messages.length > 0 || Array.isArray(value) ? { messages, nonJson: [] } : { messages, nonJson: [text] };
  } catch {
    return { messages: [], nonJson: [text] };
  }
}

// ---- the era's parameters -------------------------------------------------------------------

/** `params` with `meta` merged into its `_meta` (later keys win; an undefined value drops the key on the wire). */
export function withMeta(
  params: Record<string, unknown> | undefined,
  meta: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (meta === undefined) return params;
  const existing = params?.['_meta'];
  const merged = existing && typeof existing === 'object' ? { ...(existing as Record<string, unknown>), ...meta } : meta;
  return { ...params, _meta: merged };
}

/** The `_meta` keys 2026-07-28 requires on every request. */
export function modernMeta(capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [META.protocolVersion]: MODERN_REVISION,
    [META.clientCapabilities]: capabilities,
    [META.clientInfo]: HARNESS_CLIENT_INFO,
  };
}

/**
 * A session's request parameters: in the modern era the required `_meta` (from `baseMeta`,
 * usually modernMeta()), then whatever `_meta` the caller's params carry, then `extraMeta`.
 */
export function requestParams(
  revision: Revision,
  params: Record<string, unknown> | undefined,
  extraMeta: Record<string, unknown> | undefined,
  baseMeta: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!isModern(revision)) return withMeta(params, extraMeta);
  const own = params?.['_meta'];
  const meta =
    own && typeof own === 'object' ? { ...baseMeta, ...(own as Record<string, unknown>), ...extraMeta } : { ...baseMeta, ...extraMeta };
  return { ...params, _meta: meta };
}

export function initializeParams(revision: Revision, opts: OpenOptions = {}): Record<string, unknown> {
  return {
    protocolVersion: opts.offerVersion ?? revision,
    capabilities: opts.capabilities ?? {},
    clientInfo: HARNESS_CLIENT_INFO,
  };
}

/** The protocolVersion an InitializeResult names, if it names one. */
export function negotiatedVersion(response: JsonRpcMessage | undefined): string | undefined {
  const result = response?.result;
  if (result && typeof result === 'object') {
    const v = (result as { protocolVersion?: unknown }).protocolVersion;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** open() could not establish the session; `evidence` says what came back. */
export class SessionOpenError extends Error {
  constructor(
    message: string,
    readonly evidence?: string,
  ) {
    super(evidence ? `${message}: ${evidence}` : message);
    this.name = 'SessionOpenError';
  }
}

// ---- the router -----------------------------------------------------------------------------

export interface PendingRequest {
  readonly id: unknown;
  /** settles with the matching response, on the deadline (timedOut) or when the channel closes (neither) */
  readonly reply: Promise<RpcReply>;
  /** settle within `ms` at the latest (the request was refused, so an answer is unlikely) */
  shorten(ms: number): void;
}

export interface Collection {
  readonly done: Promise<Collected>;
  shorten(ms: number): void;
}

export interface RouterLimits {
  /** messages kept in `received` */
  received?: number;
  /** related messages kept per pending request */
  perRequest?: number;
}

/**
 * Pairs responses with pending requests by (loose) id, gives every other message to all pending
 * requests (their progress, logs and server requests; concurrent requests share them, since a
 * shared channel cannot say which request a notification belongs to without reading its params),
 * feeds raw collections, and keeps a bounded history for passive checks.
 */
export class MessageRouter {
  readonly received: JsonRpcMessage[] = [];
  private readonly pending = new Map<string, Waiting[]>();
  private readonly collections = new Set<Gathering>();
  private closed = false;
  private readonly keepReceived: number;
  private readonly keepPerRequest: number;

  constructor(limits: RouterLimits = {}) {
    this.keepReceived = limits.received ?? 10_000;
    this.keepPerRequest = limits.perRequest ?? 1_000;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Register before sending, so that an answer faster than the send's own completion is not missed. */
  expect(id: unknown, timeoutMs: number): PendingRequest {
    const waiting = new Waiting(id, (w) => this.forget(w));
    if (this.closed) {
      waiting.settle(false);
      return waiting;
    }
    const key = idKey(id);
    const list = this.pending.get(key);
    if (list) list.push(waiting);
    else this.pending.set(key, [waiting]);
    waiting.arm(timeoutMs);
    return waiting;
  }

  /** Gather what arrives until the first message ('message') or for the whole window ('quiet'). */
  collect(until: RawUntil, timeoutMs: number): Collection {
    const gathering = new Gathering(until, (g) => this.collections.delete(g));
    if (this.closed) {
      gathering.settle();
      return gathering;
    }
    this.collections.add(gathering);
    gathering.arm(timeoutMs);
    return gathering;
  }

  deliver(message: JsonRpcMessage): void {
    this.received.push(message);
    if (this.received.length > this.keepReceived * 2) this.received.splice(0, this.received.length - this.keepReceived);
    if (isResponse(message) && this.answer(message)) {
      // a response belongs to its request only
    } else if (this.pending.size > 0) {
      for (const list of this.pending.values()) {
        for (const waiting of list) waiting.add(message, this.keepPerRequest);
      }
    }
    for (const gathering of this.collections) gathering.add(message);
  }

  deliverNonJson(text: string): void {
    for (const gathering of this.collections) gathering.addNonJson(text);
  }

  /** The channel is gone: every wait settles now, and later ones at once. */
  close(): void {
    this.closed = true;
    for (const list of [...this.pending.values()]) for (const waiting of list) waiting.settle(false);
    for (const gathering of [...this.collections]) gathering.settle();
  }

  private answer(response: JsonRpcMessage): boolean {
    const list = this.pending.get(idKey(response.id));
    if (!list || list.length === 0) return false;
    // with "1" and 1 both pending, the response goes to the one whose id has its type
    const exact = list.find((w) => w.id === response.id) ?? list[0]!;
    exact.respond(response);
    return true;
  }

  private forget(waiting: Waiting): void {
    const key = idKey(waiting.id);
    const list = this.pending.get(key);
    if (!list) return;
    const i = list.indexOf(waiting);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.pending.delete(key);
  }
}

class Waiting implements PendingRequest {
  readonly reply: Promise<RpcReply>;
  private readonly messages: JsonRpcMessage[] = [];
  private resolve!: (reply: RpcReply) => void;
  private timer: NodeJS.Timeout | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private settled = false;

  constructor(
    readonly id: unknown,
    private readonly forget: (w: Waiting) => void,
  ) {
    this.reply = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  arm(ms: number): void {
    clearTimeout(this.timer);
    this.deadline = performance.now() + ms;
    this.timer = setTimeout(() => this.settle(true), ms);
    this.timer.unref();
  }

  shorten(ms: number): void {
    if (!this.settled && performance.now() + ms < this.deadline) this.arm(ms);
  }

  add(message: JsonRpcMessage, limit: number): void {
    if (this.messages.length < limit) this.messages.push(message);
  }

  respond(response: JsonRpcMessage): void {
    this.messages.push(response);
    this.finish({ response, messages: this.messages, timedOut: false });
  }

  settle(timedOut: boolean): void {
    this.finish({ messages: this.messages, timedOut });
  }

  private finish(reply: RpcReply): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.forget(this);
    this.resolve(reply);
  }
}

class Gathering implements Collection {
  readonly done: Promise<Collected>;
  private readonly collected: Collected = { messages: [], nonJson: [] };
  private resolve!: (c: Collected) => void;
  private timer: NodeJS.Timeout | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private settled = false;

  constructor(
    private readonly until: RawUntil,
    private readonly forget: (g: Gathering) => void,
  ) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  arm(ms: number): void {
    clearTimeout(this.timer);
    this.deadline = performance.now() + ms;
    this.timer = setTimeout(() => this.settle(), ms);
    this.timer.unref();
  }

  shorten(ms: number): void {
    if (!this.settled && performance.now() + ms < this.deadline) this.arm(ms);
  }

  add(message: JsonRpcMessage): void {
    this.collected.messages.push(message);
    if (this.until === 'message') this.settle();
  }

  addNonJson(text: string): void {
    this.collected.nonJson.push(text);
  }

  settle(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.forget(this);
    this.resolve(this.collected);
  }
}
