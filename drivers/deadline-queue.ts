/**
 * Deadlines for many requests on one timer. A timer per request (setTimeout, then clearTimeout
 * when the answer comes) was the largest single cost of a stdio request under load: with
 * hundreds of thousands of requests a second, the timer objects alone kept the garbage
 * collector busy.
 *
 * Requests that share a timeout expire in the order they were sent, so each timeout gets a
 * first-in-first-out queue and one timer is armed for the earliest live head. An answered entry
 * is only flagged; it leaves its queue when it reaches the head. The timer is cleared as soon as
 * nothing is waiting, so an idle session keeps no timer alive.
 */

export interface Expiring {
  /** performance.now() at which the entry expires (set by the queue) */
  deadline: number;
  /** whether the entry is done: answered, expired or abandoned (set by the queue) */
  settled: boolean;
  /** the timeout it was added with, which names its queue (set by the queue) */
  lane: number;
}

interface Fifo<T> {
  items: T[];
  head: number;
}

/** Compact a queue's array once this many dead entries lead it and they are most of it. */
const COMPACT_AT = 1024;

export class DeadlineQueue<T extends Expiring> {
  private readonly fifos = new Map<number, Fifo<T>>();
  private live = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly onExpire: (item: T) => void) {}

  /** Track `item`, which expires `timeoutMs` from now. */
  add(item: T, timeoutMs: number): void {
    item.deadline = performance.now() + timeoutMs;
    item.settled = false;
    item.lane = timeoutMs;
    let fifo = this.fifos.get(timeoutMs);
    if (fifo === undefined) {
      fifo = { items: [], head: 0 };
      this.fifos.set(timeoutMs, fifo);
    }
    fifo.items.push(item);
    this.live++;
    if (item.deadline < this.armedFor) this.arm(item.deadline);
  }

  /** The entry is done and will not expire. Returns false if it already was (expired, say). */
  settle(item: T): boolean {
    if (item.settled) return false;
    item.settled = true;
    this.live--;
    const fifo = this.fifos.get(item.lane);
    if (fifo) this.dropSettledHeads(fifo);
    if (this.live === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.armedFor = Number.POSITIVE_INFINITY;
    }
    return true;
  }

  /** Answers mostly come in the order requests went out, so this keeps each queue short. */
  private dropSettledHeads(fifo: Fifo<T>): void {
    const { items } = fifo;
    while (fifo.head < items.length && items[fifo.head]!.settled) fifo.head++;
    if (fifo.head === items.length) {
      fifo.items = [];
      fifo.head = 0;
    } else if (fifo.head >= COMPACT_AT && fifo.head * 2 > items.length) {
      fifo.items = items.slice(fifo.head);
      fifo.head = 0;
    }
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    // Not unref'd: an outstanding request must keep the process alive until it ends.
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const expired: T[] = [];
    for (const [lane, fifo] of this.fifos) {
      this.dropSettledHeads(fifo);
      for (let i = fifo.head; i < fifo.items.length; i++) {
        const item = fifo.items[i]!;
        if (item.deadline > now) break;
        if (!item.settled) expired.push(item);
      }
      // A lane nobody uses any more (a check's own deadline) should not stay in the map.
      if (fifo.items.length === 0) this.fifos.delete(lane);
    }
    // Settled first, reported after: a callback may add new entries.
    for (const item of expired) this.settle(item);
    for (const item of expired) this.onExpire(item);
    let earliest = Number.POSITIVE_INFINITY;
    for (const fifo of this.fifos.values()) {
      const head = fifo.items[fifo.head];
      if (head !== undefined && head.deadline < earliest) earliest = head.deadline;
    }
    if (this.live > 0 && earliest < this.armedFor) this.arm(earliest);
  }
}
