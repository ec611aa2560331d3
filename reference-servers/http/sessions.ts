/**
 * Session bookkeeping for the stateful Streamable HTTP servers, with the spec's status codes:
 * a request without `Mcp-Session-Id` gets 400 (SHTTP-SESSION-04), a terminated session 404 for
 * ever after (SESSION-05), and a never-issued id 404 as if it had expired (SESSION-06). Ids are
 * random UUIDs. The defects on session ids hook in at the session seam (seams.ts: SessionSeam),
 * composed per table, so every stateful server has them identically.
 */
import { randomUUID } from 'node:crypto';
import { seamsFor } from '../faults/hooks/index.js';
import type { FaultSet } from '../faults/index.js';
import type { ComposedSessionSeam } from '../seams.js';

export type SessionLookup<T> = { session: T; id: string } | { status: 400 | 404; message: string };

/** Bounds that keep session churn (one session per request, never deleted) from growing memory. */
const MAX_SESSIONS = 10_000;
const MAX_TERMINATED = 10_000;

export class SessionTable<T> {
  private readonly live = new Map<string, T>();
  private readonly terminated = new Set<string>();
  private latestId: string | undefined;
  private issued = 0;
  /** terminated ids waiting to be handed out again (when the seam recycles them), latest last */
  private readonly reusable: string[] = [];
  private readonly seam: ComposedSessionSeam;

  /**
   * @param faults the server's fault set
   * @param onEvict called for a live session dropped to make room (close its resources there)
   */
  constructor(
    faults: FaultSet,
    private readonly onEvict: (session: T) => void = () => {},
  ) {
    this.seam = seamsFor(faults).session;
  }

  get size(): number {
    return this.live.size;
  }

  /** A fresh id: a random UUID (a recycled one comes back to life). */
  newId(): string {
    const reused = this.reusable.pop();
    if (reused !== undefined) {
      this.terminated.delete(reused);
      return reused;
    }
    return this.seam.issueId(randomUUID(), { issued: this.issued++ });
  }

  add(id: string, session: T): void {
    if (this.live.size >= MAX_SESSIONS) {
      const [oldestId, oldest] = this.live.entries().next().value as [string, T];
      this.terminate(oldestId);
      this.onEvict(oldest);
    }
    this.live.set(id, session);
    this.latestId = id;
  }

  /** Forget a session; later requests with its id get 404. Returns the session if it was live. */
  terminate(id: string): T | undefined {
    const session = this.live.get(id);
    if (session === undefined) return undefined;
    this.live.delete(id);
    if (this.terminated.size >= MAX_TERMINATED) {
      this.terminated.delete(this.terminated.values().next().value as string);
    }
    this.terminated.add(id);
    if (this.seam.recycleTerminated && this.reusable.length < MAX_TERMINATED) this.reusable.push(id);
    if (this.latestId === id) this.latestId = undefined;
    return session;
  }

  /** Resolve the Mcp-Session-Id header of a non-initialize request. */
  lookup(header: string | undefined): SessionLookup<T> {
    if (header === undefined || header === '') {
      const id = this.seam.missingSession(this.latestId ?? [...this.live.keys()].pop());
      const session = id === undefined ? undefined : this.live.get(id);
      if (id !== undefined && session !== undefined) return { session, id };
      return { status: 400, message: 'Bad Request: Mcp-Session-Id header is required' };
    }
    const session = this.live.get(header);
    if (session !== undefined) return { session, id: header };
    if (this.terminated.has(header)) return { status: 404, message: 'Session not found: it was terminated' };
    const { status, message } = this.seam.unknownSession({ status: 404, message: 'Session not found' });
    return { status: status === 400 ? 400 : 404, message };
  }

  /** All live sessions (for shutdown). */
  values(): IterableIterator<T> {
    return this.live.values();
  }

  clear(): void {
    this.live.clear();
    this.terminated.clear();
    this.reusable.length = 0;
    this.latestId = undefined;
  }
}
