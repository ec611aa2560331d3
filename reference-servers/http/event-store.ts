/**
 * A bounded in-memory event store for one Streamable HTTP session (the v1 SDK's `EventStore`
 * interface): it gives every SSE event an id and replays a stream after `Last-Event-ID`.
 *
 * Ids are `<streamId>.<n>` with one counter for the whole session, so they are unique across all
 * of the session's streams (SHTTP-RESUME-01) and name the stream they belong to (RESUME-04); a
 * replay sends only the events of that stream (RESUME-02). The priming event the SDK stores with
 * an empty message is never replayed: it carries no message.
 *
 * The resumability defects (section 6a) hook in at the session seam: `eventId` (how an event's
 * id is made) and `replay` (which stored events a resume sends).
 */
import type { EventStore } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { seamsFor } from '../faults/hooks/index.js';
import type { FaultSet } from '../faults/index.js';
import type { ComposedSessionSeam } from '../seams.js';

/** events kept per session; older ones cannot be replayed */
const MAX_EVENTS = 1000;

interface Stored {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

export class BoundedEventStore implements EventStore {
  private readonly events: Stored[] = [];
  private readonly streamOf = new Map<string, string>();
  private readonly perStream = new Map<string, number>();
  private counter = 0;
  private readonly seam: ComposedSessionSeam;

  constructor(faults: FaultSet) {
    this.seam = seamsFor(faults).session;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const streamCount = (this.perStream.get(streamId) ?? 0) + 1;
    if (this.perStream.size < MAX_EVENTS || this.perStream.has(streamId)) this.perStream.set(streamId, streamCount);
    const sessionCount = ++this.counter;
    const id = this.seam.eventId(`${streamId}.${sessionCount}`, { streamId, sessionCount, streamCount });
    if (this.events.length >= MAX_EVENTS) {
      const dropped = this.events.shift()!;
      if (this.streamOf.get(dropped.id) === dropped.streamId) this.streamOf.delete(dropped.id);
    }
    this.events.push({ id, streamId, message });
    this.streamOf.set(id, streamId);
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.streamOf.get(eventId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const streamId = this.streamOf.get(lastEventId);
    if (streamId === undefined) throw new Error(`unknown event id ${lastEventId}`);
    // the newest event with that id: where ids repeat per stream, an id occurs once per stream
    let start = -1;
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.id === lastEventId && e.streamId === streamId) {
        start = i;
        break;
      }
    }
    const later = this.events.slice(start + 1);
    const chosen = this.seam.replay(
      later.filter((e) => e.streamId === streamId),
      { streamId, later },
    );
    for (const e of chosen) {
      if (Object.keys(e.message).length === 0) continue;
      await send(e.id, e.message);
    }
    return streamId;
  }
}
