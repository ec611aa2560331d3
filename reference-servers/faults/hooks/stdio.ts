/** Hooks of the stdio faults (faults/stdio.ts): the process seam, and one message the server sends over stdout. */
import type { HookRegistry } from './registry.js';

const BANNER = 'mcp-harness reference server starting (fault stdout-banner: this line should not be on stdout)\n';
/** Fault batch-responses: messages written within this window share one line. */
const BATCH_WINDOW_MS = 10;
const SAMPLING_PARAMS = { messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }], maxTokens: 10 };

export const STDIO_HOOKS = {
  'stdout-banner': () => ({ process: { start: (io) => void io.stdout.write(BANNER) } }),
  'pretty-print-tool-results': () => ({
    message: { serialize: (m, { request }) => (request?.method === 'tools/call' ? JSON.stringify(m, null, 2) : undefined) },
  }),
  // the classic bug of a server that treats one read as whole messages: it works until a write is split across reads
  'no-line-buffering': () => ({ process: { unbufferedLines: true } }),
  // nothing keeps the process alive after EOF in a clean server; the wire's keep-alive timer does
  'ignore-stdin-eof': () => ({ process: { stdinEnd: () => 'ignore' as const } }),
  'batch-responses': () => ({ process: { batchWindowMs: BATCH_WINDOW_MS } }),
  // a log line in Latin-1, as a careless logger writes it
  'stderr-invalid-utf8': () => ({ process: { start: (io) => void io.stderr.write(Buffer.from('starting: caf\xe9 \xff\n', 'latin1')) } }),
  // a handler meant to clean up that never exits
  'sigterm-ignored': () => ({
    process: {
      start: () => {
        process.removeAllListeners('SIGTERM');
        process.on('SIGTERM', () => {});
      },
    },
  }),
  'server-request-on-stdout': () => ({
    message: {
      afterReceive: (m) =>
        m.method === 'tools/list'
          ? [{ jsonrpc: '2.0', id: 'harness-ref-sampling-2', method: 'sampling/createMessage', params: SAMPLING_PARAMS }]
          : [],
    },
  }),
  // the Windows line ending (tension T9)
  'crlf-output': () => ({ process: { lineEnd: '\r\n' } }),
} satisfies HookRegistry;
