/**
 * The raw-level steps on a Streamable HTTP session that checks take by hand: the session's
 * headers for a request without a body or for a stream GET, a POST read as a stream, a resume
 * with Last-Event-ID, and how an HTTP status reads in evidence. They live with the driver so
 * that checks talk to drivers only and never spell out headers or content types themselves.
 */
import { isEventStream } from './http-client.js';
import type { JsonRpcMessage, Revision } from './protocol.js';
import { rawRequest } from './rpc-core.js';
import type { HttpSession, SseStream } from './session.js';

/** Headers for a request without a body (DELETE, GET) on a Streamable HTTP session: its usual headers and `extra`, no Content-Type. */
export function bodylessHeaders(session: HttpSession, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...session.headersFor(), ...extra };
  delete headers['Content-Type'];
  return headers;
}

/** Headers for a GET on a Streamable HTTP session's stream: its usual headers, Accept SSE, no Content-Type. */
export function streamGetHeaders(session: HttpSession, extra: Record<string, string> = {}): Record<string, string> {
  return bodylessHeaders(session, { Accept: 'text/event-stream', ...extra });
}

/** POST `message` on the session as a stream the check reads event by event (a JSON answer is read whole). */
export function openPost(session: HttpSession, message: JsonRpcMessage, timeoutMs = 5000): Promise<SseStream> {
  return session.openStream({ method: 'POST', headers: session.headersFor(), body: JSON.stringify(message), timeoutMs });
}

/** The server answered with an SSE stream (200, text/event-stream). */
export function isSseStream(stream: SseStream): boolean {
  return stream.status === 200 && isEventStream(stream.headers['content-type'] ?? '');
}

/** Resume a stream: GET with Last-Event-ID and the session's headers. */
export function resumeStream(session: HttpSession, lastId: string, timeoutMs = 5000): Promise<SseStream> {
  return session.openStream({ method: 'GET', headers: streamGetHeaders(session, { 'Last-Event-ID': lastId }), timeoutMs });
}

/** A POST of the progress tool with a progress token (its request id), as a stream. */
export function postProgress(
  revision: Revision,
  tool: string | undefined,
  session: HttpSession,
  id: string,
  steps: number,
  intervalMs: number,
): Promise<SseStream> {
  const params = { name: tool, arguments: { steps, intervalMs }, _meta: { progressToken: id } };
  return openPost(session, rawRequest(revision, id, 'tools/call', params));
}

/** "400", or "no HTTP response (<error>)" for a reply that never came. */
export function describeStatus(status: number | undefined, error?: string): string {
  if (status === undefined) return 'no HTTP status';
  if (status === 0) return `no HTTP response${error ? ` (${error})` : ''}`;
  return String(status);
}
