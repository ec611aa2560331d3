/**
 * Arrival times of progress notifications, per progress token, for the progress-stream scenario
 * (time to first event, gap between events). The session API hands back a request's messages
 * without times, so this listens where the drivers report arrivals: it is a WireLog that keeps
 * no entries and only notes when a progress notification came in. Stdio lines and legacy SSE
 * events are reported as they arrive; a Streamable HTTP SSE response reports its events with
 * `at` (ms after the request went out) when the response completes.
 *
 * It turns the wire log on, so it costs the drivers their logging work: used only by the
 * progress scenario, whose requests last tens of milliseconds by design.
 */
import type { HttpExchange, WireEntry } from '../drivers/wire-log.js';
import { WireLog } from '../drivers/wire-log.js';

const PROGRESS = '"notifications/progress"';

interface Times {
  /** absolute performance.now() arrival times */
  at: number[];
}

export class ProgressClock extends WireLog {
  private readonly byToken = new Map<string, Times>();
  private readonly startedAt = new WeakMap<WireEntry, number>();
  private seqNo = 0;

  constructor() {
    super({ enabled: true, maxEntries: 1, maxBodyChars: 1 });
  }

  /** Start listening for a token (before its request goes out). */
  begin(token: string): void {
    this.byToken.set(token, { at: [] });
  }

  /** Stop listening; the arrival times seen for the token. */
  end(token: string): number[] {
    const t = this.byToken.get(token);
    this.byToken.delete(token);
    return t?.at ?? [];
  }

  override record(entry: Omit<WireEntry, 'seq' | 'at'>): WireEntry | undefined {
    const now = performance.now();
    if (entry.direction === 'in' && entry.data !== undefined && entry.data.includes(PROGRESS)) this.note(entry.data, now);
    if (!entry.http) return undefined;
    // An HTTP exchange: hand back an entry (never stored) so the client reports its completion.
    const e: WireEntry = { seq: this.seqNo++, at: 0, channel: entry.channel, direction: entry.direction, summary: '', http: entry.http };
    this.startedAt.set(e, now);
    return e;
  }

  override completeHttp(entry: WireEntry | undefined, patch: Partial<HttpExchange>): void {
    if (!entry || !patch.events) return;
    const base = this.startedAt.get(entry);
    if (base === undefined) return;
    for (const ev of patch.events) {
      if (ev.data.includes(PROGRESS)) this.note(ev.data, base + (ev.at ?? 0));
    }
  }

  override entries(): readonly WireEntry[] {
    return [];
  }

  private note(data: string, at: number): void {
    if (this.byToken.size === 0) return;
    try {
      const msg = JSON.parse(data) as { method?: unknown; params?: { progressToken?: unknown } };
      if (msg.method !== 'notifications/progress') return;
      const t = this.byToken.get(String(msg.params?.progressToken));
      // Each notification is reported once per path; a duplicate (same data seen twice) is not expected.
      t?.at.push(at);
    } catch {
      // not JSON: not ours to judge here
    }
  }
}
