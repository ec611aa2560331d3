/**
 * The router that pairs responses with pending requests on a channel that carries every server
 * message (a stdout pipe, a legacy SSE stream, the messages of Streamable HTTP replies), by the
 * id rule of ids.ts. The same class serves a check's single request and the load engine's
 * hundreds of thousands a second, so the request path allocates one entry and no timer: every
 * deadline rides one DeadlineQueue, and requests waiting under one id key form a linked list.
 *
 * What a pending request is handed, besides its response: the notifications/progress messages
 * whose token its params named (progress names its request, so it goes to that one alone), and
 * every message that names no owner and arrived while it waited (logs, server requests,
 * responses that answer nothing): a shared channel cannot say which request those belong to, so
 * each request in flight sees them, bounded in number.
 */
import { DeadlineQueue, type Expiring } from '../deadline-queue.js';
import type { JsonRpcMessage } from '../protocol.js';
import type { RawUntil, RpcReply } from '../session.js';
import { progressTokenOfNotification } from './envelopes.js';
import { idKey, isResponseShaped } from './ids.js';
import type { Collected } from './messages.js';

/** A request registered with expectWith: its reply goes to the callback. */
export interface Awaiting {
  readonly id: unknown;
  /** settle within `ms` at the latest (the request was refused, so an answer is unlikely) */
  shorten(ms: number): void;
}

export interface PendingRequest extends Awaiting {
  /** settles with the matching response, on the deadline (timedOut) or when the channel closes */
  readonly reply: Promise<RpcReply>;
}

export interface Collection {
  readonly done: Promise<Collected>;
  shorten(ms: number): void;
  /** settle now with what has arrived (nothing was sent, so nothing can answer) */
  end(): void;
}

export interface RouterLimits {
  /** messages kept in `received`: the first ones of the session (later ones are routed, not kept) */
  received?: number;
  /** related messages kept per pending request */
  perRequest?: number;
  /**
   * How a request still waiting when the channel closes is reported: as timed out (stdio, where
   * a dead process is what a timeout looks like to the load engine and the stdio checks) or as
   * settled without a response (the HTTP transports, whose checks tell "connection gone" apart).
   */
  closedAsTimeout?: boolean;
}

/**
 * Pairs responses with pending requests, routes progress by token, gives every other message to
 * all pending requests, feeds raw collections, and keeps a bounded history for passive checks.
 */
export class MessageRouter {
  /** the session's messages in arrival order, the first `received` of them (indexes stay valid) */
  readonly received: JsonRpcMessage[] = [];
  private readonly pending = new Map<string, Waiting>();
  /** requests waiting under no key (a null id): they can only time out or be closed */
  private readonly unkeyed = new Set<Waiting>();
  private readonly progress = new Map<string, Waiting>();
  private readonly collections = new Set<Gathering>();
  private closed = false;
  private readonly keepReceived: number;
  private readonly keepPerRequest: number;
  private readonly closedAsTimeout: boolean;
  private waitingCount = 0;

  /** One timer for every outstanding request (see deadline-queue.ts for why). */
  private readonly deadlines = new DeadlineQueue<Waiting>((w) => {
    this.unlink(w);
    w.finish(undefined, true);
  });

  constructor(limits: RouterLimits = {}) {
    this.keepReceived = limits.received ?? 10_000;
    this.keepPerRequest = limits.perRequest ?? 1_000;
    this.closedAsTimeout = limits.closedAsTimeout ?? false;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Register a request before sending it, so that an answer faster than the send's own
   * completion is not missed; `onReply` is called exactly once. `progressToken` routes that
   * token's progress notifications to this request alone.
   */
  expectWith(id: unknown, timeoutMs: number, onReply: (reply: RpcReply) => void, progressToken?: unknown): Awaiting {
    const waiting = new Waiting(id, idKey(id), onReply, this);
    if (this.closed) {
      waiting.finish(undefined, this.closedAsTimeout);
      return waiting;
    }
    this.deadlines.add(waiting, timeoutMs);
    this.link(waiting, progressToken === undefined ? undefined : idKey(progressToken));
    return waiting;
  }

  /** expectWith, answered through a promise. */
  expect(id: unknown, timeoutMs: number, progressToken?: unknown): PendingRequest {
    let resolve!: (reply: RpcReply) => void;
    const reply = new Promise<RpcReply>((r) => {
      resolve = r;
    });
    const waiting = this.expectWith(id, timeoutMs, (r) => resolve(r), progressToken);
    return { id, reply, shorten: (ms) => waiting.shorten(ms) };
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
    if (this.received.length < this.keepReceived) this.received.push(message);
    if (!(isResponseShaped(message) && this.answer(message)) && this.waitingCount > 0) this.relate(message);
    if (this.collections.size > 0) for (const gathering of this.collections) gathering.add(message);
  }

  deliverNonJson(text: string): void {
    for (const gathering of this.collections) gathering.addNonJson(text);
  }

  /** The channel is gone: every wait settles now, and later ones at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.allWaiting()) {
      if (this.deadlines.settle(w)) {
        this.unlink(w);
        w.finish(undefined, this.closedAsTimeout);
      }
    }
    for (const gathering of [...this.collections]) gathering.settle();
  }

  /** Called by a Waiting whose shortened deadline passed. */
  expire(w: Waiting): void {
    if (!this.deadlines.settle(w)) return;
    this.unlink(w);
    w.finish(undefined, true);
  }

  /** Give a response to the request it answers; false when it answers none (see ids.ts). */
  private answer(response: JsonRpcMessage): boolean {
    const key = idKey(response.id);
    if (key === undefined) return false;
    const head = this.pending.get(key);
    if (!head) return false;
    // with "1" and 1 both pending, the response goes to the one whose id has its type
    let chosen = head;
    for (let w: Waiting | undefined = head; w; w = w.next) {
      if (w.id === response.id) {
        chosen = w;
        break;
      }
    }
    if (!this.deadlines.settle(chosen)) return false;
    this.unlink(chosen);
    chosen.messages.push(response);
    chosen.finish(response, false);
    return true;
  }

  /**
   * A message that answers no request: progress goes to the request its token names (or to none:
   * another request's progress, or a late one, is no business of those in flight); a message that
   * names no owner goes to every request in flight.
   */
  private relate(message: JsonRpcMessage): void {
    const token = progressTokenOfNotification(message);
    if (token !== undefined) {
      const owner = this.progress.get(idKey(token) ?? '');
      if (owner && owner.messages.length < this.keepPerRequest) owner.messages.push(message);
      return;
    }
    const limit = this.keepPerRequest;
    for (const head of this.pending.values()) {
      for (let w: Waiting | undefined = head; w; w = w.next) if (w.messages.length < limit) w.messages.push(message);
    }
    for (const w of this.unkeyed) if (w.messages.length < limit) w.messages.push(message);
  }

  /** A snapshot of every waiting request, for loops that settle them (settling unlinks). */
  private allWaiting(): Waiting[] {
    const all: Waiting[] = [];
    for (const head of this.pending.values()) for (let w: Waiting | undefined = head; w; w = w.next) all.push(w);
    for (const w of this.unkeyed) all.push(w);
    return all;
  }

  private link(w: Waiting, progressKey: string | undefined): void {
    this.waitingCount++;
    w.progressKey = progressKey;
    if (progressKey !== undefined) this.progress.set(progressKey, w);
    if (w.key === undefined) {
      this.unkeyed.add(w);
      return;
    }
    const head = this.pending.get(w.key);
    if (!head) {
      this.pending.set(w.key, w);
      return;
    }
    let last = head;
    while (last.next) last = last.next;
    last.next = w;
  }

  private unlink(w: Waiting): void {
    if (!w.linked) return;
    w.linked = false;
    this.waitingCount--;
    if (w.progressKey !== undefined && this.progress.get(w.progressKey) === w) this.progress.delete(w.progressKey);
    if (w.key === undefined) {
      this.unkeyed.delete(w);
      return;
    }
    const head = this.pending.get(w.key);
    if (head === w) {
      if (w.next) this.pending.set(w.key, w.next);
      else this.pending.delete(w.key);
    } else {
      for (let q = head; q; q = q.next) {
        if (q.next === w) {
          q.next = w.next;
          break;
        }
      }
    }
    w.next = undefined;
  }
}

/** One pending request. Its deadline, settled flag and lane belong to the router's DeadlineQueue. */
class Waiting implements Expiring, Awaiting {
  deadline = 0;
  settled = false;
  lane = 0;
  readonly messages: JsonRpcMessage[] = [];
  /** another request waiting under the same key (1 and "1", or one id used twice) */
  next: Waiting | undefined;
  progressKey: string | undefined;
  linked = true;
  private done = false;
  private shortTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: unknown,
    readonly key: string | undefined,
    private readonly onReply: (reply: RpcReply) => void,
    private readonly router: MessageRouter,
  ) {}

  /** A shortened deadline is rare (a refused POST), so it gets its own timer rather than a queue lane. */
  shorten(ms: number): void {
    if (this.settled || this.done || performance.now() + ms >= this.deadline) return;
    clearTimeout(this.shortTimer);
    this.shortTimer = setTimeout(() => this.router.expire(this), ms);
  }

  finish(response: JsonRpcMessage | undefined, timedOut: boolean): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.shortTimer);
    this.onReply(response === undefined ? { messages: this.messages, timedOut } : { response, messages: this.messages, timedOut: false });
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
  }

  shorten(ms: number): void {
    if (!this.settled && performance.now() + ms < this.deadline) this.arm(ms);
  }

  end(): void {
    this.settle();
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
