/** Hooks of the legacy HTTP+SSE faults (faults/legacy-sse.ts): the stream writer, the session table, the POST's response head. */
import type { HookRegistry } from './registry.js';

/** Fault endpoint-not-first: a harmless log notification that arrives before the endpoint event. */
const STRAY_EVENT = `event: message\ndata: ${JSON.stringify({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { level: 'info', logger: 'mcp-harness-reference', data: 'stream opened' },
})}\n\n`;

const PROGRESS_EVENT = /^event: message(?=\r?\ndata: \{.*"method":"notifications\/progress")/m;

export const LEGACY_SSE_HOOKS = {
  'endpoint-not-first': () => ({ stream: { opening: () => STRAY_EVENT } }),
  // one endpoint for both: the endpoint event names the SSE URL itself (and the wire takes POSTs where its endpoint event says)
  'sse-single-endpoint': () => ({ stream: { event: (text) => text.replace(/^(event: endpoint\r?\ndata: )\/messages\?/m, '$1/sse?') } }),
  'progress-event-named': () => ({ stream: { event: (text) => text.replace(PROGRESS_EVENT, 'event: progress') } }),
  // a POST for a session that does not exist is acknowledged and dropped
  'unknown-sse-session-200': () => ({ session: { unknownSession: () => ({ status: 202, message: 'Accepted' }) } }),
  // ping is answered in the POST's own body (200), as well as on the stream
  'post-answer-in-body': () => ({
    head: {
      head: (head, { occasion, request }) => {
        const m = request as { method?: unknown; id?: unknown } | undefined;
        if (occasion !== 'accepted' || m?.method !== 'ping' || !m || !('id' in m)) return head;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }),
        };
      },
    },
  }),
} satisfies HookRegistry;
