/** Streamable HTTP, 2025 shape (catalog section 6a): event ids, Last-Event-ID replay, and disconnects. */
import type { HttpSession, SseStream } from '../drivers/session.js';
import type { Check, CheckContext } from './check.js';
import { ok, skip, spec, violated } from './check.js';
import {
  describeStatus,
  eventMessage,
  isSseStream,
  openPost,
  postProgress,
  rawRequest,
  respondsTo,
  resumeStream,
  sameIdValue,
  show,
  showEvents,
} from './probes.js';
import { STREAMABLE_2025 } from './streamable-http.js';

const RESUMABILITY = spec('2025-11-25', 'basic/transports#resumability-and-redelivery');
const PROMPT_MS = 3000;
/** how long a replay is read: replayed events are written as the stream opens */
const REPLAY_READ_MS = 400;
const NO_IDS = 'the server put no event ids on its SSE events (resumability is optional)';

/** A ping POST read to its end (or PROMPT_MS): its events, or undefined when the answer was not SSE. */
async function pingStream(ctx: CheckContext, session: HttpSession, id: string): Promise<SseStream | undefined> {
  const stream = await openPost(session, rawRequest(ctx.revision, id, 'ping'));
  if (!isSseStream(stream)) return undefined;
  await stream.next(PROMPT_MS, respondsTo(id));
  await stream.next(PROMPT_MS, () => false).catch(() => undefined);
  return stream;
}

/** Every message a replay (GET with Last-Event-ID) carries within REPLAY_READ_MS. */
async function replay(session: HttpSession, lastId: string): Promise<{ stream: SseStream; ids: unknown[] }> {
  const stream = await resumeStream(session, lastId, PROMPT_MS);
  if (isSseStream(stream)) await stream.next(REPLAY_READ_MS, () => false);
  await stream.close();
  const ids = stream.events.map(eventMessage).flatMap((m) => (m ? [m.id ?? m.method] : []));
  return { stream, ids };
}

function firstEventId(stream: SseStream): string | undefined {
  return stream.events.find((e) => e.id !== undefined && e.id !== '')?.id;
}

export const resumabilityChecks: readonly Check[] = [
  {
    id: 'SHTTP-RESUME-01',
    title: 'Event ids are unique across all streams of a session',
    requirement: 'If the server attaches ids to SSE events, they MUST be globally unique across all streams within that session.',
    level: 'MUST',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const a = await pingStream(ctx, session, 'resume-01-a');
      const b = await pingStream(ctx, session, 'resume-01-b');
      if (!a || !b) return skip('the server answered ping with JSON, not an SSE stream');
      const ids = [...a.events, ...b.events].flatMap((e) => (e.id ? [e.id] : []));
      if (ids.length === 0) return skip(NO_IDS);
      const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
      if (repeated !== undefined) return violated('event ids unique across the session', `id ${show(repeated)} on two streams: ${show(ids)}`);
      return ok();
    },
  },
  {
    id: 'SHTTP-RESUME-02',
    title: 'A replay carries only the disconnected stream',
    requirement: 'On a resume with Last-Event-ID the server MUST NOT replay messages that would have been delivered on a different stream.',
    level: 'MUST',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    async run(ctx) {
      const session = await ctx.http();
      const a = await pingStream(ctx, session, 'resume-02-a');
      const b = await pingStream(ctx, session, 'resume-02-b');
      if (!a || !b) return skip('the server answered ping with JSON, not an SSE stream');
      const eA = firstEventId(a);
      if (eA === undefined) return skip(NO_IDS);
      const { stream, ids } = await replay(session, eA);
      if (!isSseStream(stream)) return skip(`the server does not replay after Last-Event-ID (${describeStatus(stream.status, stream.error)})`);
      const foreign = ids.filter((id) => !sameIdValue(id, 'resume-02-a'));
      if (foreign.length > 0) {
        return violated(`only stream A's messages (response to "resume-02-a") after ${show(eA)}`, `replayed ${show(ids)}; events: ${showEvents(stream.events)}`);
      }
      return ok();
    },
  },
  {
    id: 'SHTTP-RESUME-03',
    title: 'A stream can be resumed with Last-Event-ID',
    requirement: 'The server MAY replay, after a GET with Last-Event-ID, the messages sent after that event on the disconnected stream.',
    level: 'MAY',
    spec: RESUMABILITY,
    transports: ['http'],
    revisions: STREAMABLE_2025,
    needs: ['progress-tool'],
    async run(ctx) {
      const session = await ctx.http();
      const id = 'resume-03';
      const stream = await postProgress(ctx.revision, ctx.fixtures.progressTool, session, id, 2, 20);
      if (!isSseStream(stream)) return skip('the server answered the progress call with JSON, not an SSE stream');
      await stream.next(PROMPT_MS, respondsTo(id));
      const first = firstEventId(stream);
      if (first === undefined) return skip(NO_IDS);
      const later = stream.events.slice(stream.events.findIndex((e) => e.id === first) + 1).filter((e) => eventMessage(e));
      const { stream: resumed, ids } = await replay(session, first);
      if (!isSseStream(resumed)) return violated('200 text/event-stream replaying the stream', describeStatus(resumed.status, resumed.error));
      if (ids.length < later.length) {
        return violated(`the ${later.length} message(s) sent after ${show(first)} replayed`, `replayed ${show(ids)}`);
      }
      return ok();
    },
  },
];
