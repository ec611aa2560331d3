/**
 * Reading SSE events as JSON-RPC: the message an event carries, the event that answers a request
 * (by the core's id rule), and the id a client resumes from. The driver parses streams the same
 * way; these serve checks that walk a stream's events one by one.
 */
import type { JsonRpcMessage } from './protocol.js';
import { answers } from './rpc-core.js';
import type { SseEvent } from './wire-log.js';

/** The JSON-RPC message an SSE event carries, if its data is one. */
export function eventMessage(event: SseEvent): JsonRpcMessage | undefined {
  if (event.noData || event.data === '') return undefined;
  try {
    const value: unknown = JSON.parse(event.data);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRpcMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** A predicate for the event carrying the response to `id`. */
export function respondsTo(id: unknown): (event: SseEvent) => boolean {
  return (event) => {
    const m = eventMessage(event);
    return m !== undefined && answers(m, id);
  };
}

/** The last event id a stream set: what a client resumes from with Last-Event-ID. */
export function lastEventId(events: readonly SseEvent[]): string | undefined {
  return events.filter((e) => e.id !== undefined && e.id !== '').at(-1)?.id;
}
