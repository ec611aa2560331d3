/** Catalog section 5, the stdio transport (5a, the server rows): framing, stdout hygiene, stderr, shutdown, the 2026-07-28 rows. Checks in catalog order. */
import { isModern, isRequest, MODERN_REVISION, REVISIONS, revisionRange } from '../drivers/protocol.js';
import { DEADLINES, sleep } from '../drivers/deadline.js';
import type { StdioSession } from '../drivers/session.js';
import type { Check } from './check.js';
import { ok, skip, spec, underTension, violated } from './check.js';
import { cancelSlowCall, harmlessMethod, initializeParams, rawRequest, receivedMatching, receivedResponse, show } from './probes.js';

const STDIO = spec('2025-11-25', 'basic/transports#stdio');

/** Why this stdout line is not one JSON-RPC message, or undefined when it is. */
function lineProblem(line: string): string | undefined {
  if (line.trim() === '') return 'a blank line';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  const items = Array.isArray(value) ? value : [value];
  const valid = items.every((m) => m && typeof m === 'object' && (m as { jsonrpc?: unknown }).jsonrpc === '2.0');
  return valid ? undefined : 'JSON but not a JSON-RPC 2.0 message';
}

function firstBadLine(session: StdioSession): { line: string; problem: string } | undefined {
  for (const line of session.stdoutLines) {
    const problem = lineProblem(line);
    if (problem) return { line, problem };
  }
  return undefined;
}

export const stdioChecks: readonly Check[] = [
  {
    id: 'STDIO-FRAME-01',
    title: 'One message per line, newlines inside values escaped',
    requirement: 'Messages are delimited by newlines and MUST NOT contain embedded newlines.',
    level: 'MUST',
    spec: STDIO,
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio();
      // Provoke output that contains a newline: an error message naming the method, and tool output.
      // A response split over several lines never parses, so the driver sees no response.
      const probes: Array<[string, Record<string, unknown>]> = [['harness/no\nsuch', {}]];
      if (ctx.fixtures.echoTool) probes.push(['tools/call', { name: ctx.fixtures.echoTool, arguments: { text: 'line one\nline two' } }]);
      for (const [method, params] of probes) {
        const before = session.stdoutLines.length;
        const reply = await session.request(method, params, { timeoutMs: 3000 });
        if (!reply.response) {
          const lines = session.stdoutLines.slice(before, before + 5);
          return violated(`the response to ${show(method)} on one line`, `no parseable response; stdout lines: ${show(lines)}`);
        }
      }
      // A CR before the LF parses as JSON whitespace, but the spec does not address it (tension T9): a warning.
      const crlf = session.stdoutLines.find((l) => l.endsWith('\r'));
      if (crlf !== undefined)
        return underTension('T9', violated('lines ended by LF alone', `a line ended by CR LF: ${show(crlf, 120)}`, 'warn'));
      return ok(ctx.fixtures.echoTool ? undefined : 'probed with an error message only (no echo tool named)');
    },
  },
  {
    id: 'STDIO-FRAME-02',
    title: 'Nothing but MCP messages on stdout',
    requirement: 'The server MUST NOT write anything to stdout that is not a valid MCP message: no banner, log line, blank line or ANSI.',
    level: 'MUST',
    spec: STDIO,
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio({ initialize: false });
      // Start-up output is where banners live: wait before sending anything.
      await sleep(2000);
      if (!isModern(ctx.revision)) {
        await session.request('initialize', initializeParams(ctx.revision));
        await session.notify('notifications/initialized', {}, { timeoutMs: 100 });
      }
      await session.request(harmlessMethod(ctx.revision));
      await session.request('tools/list');
      await session.closeStdin(3000);
      const bad = firstBadLine(session);
      // A blank line is not an MCP message, but the spec does not address it (tension T9).
      const tension = bad?.problem === 'a blank line' ? 'T9' : undefined;
      if (bad && tension) return underTension(tension, violated('only JSON-RPC messages on stdout', `${bad.problem}: ${show(bad.line)}`));
      if (bad) return violated('only JSON-RPC messages on stdout', `${bad.problem}: ${show(bad.line)}`);
      return ok();
    },
  },
  {
    id: 'STDIO-FRAME-03',
    title: 'From 2025-06-18 no line carries a batch',
    requirement: 'From 2025-06-18 each stdout line MUST be one individual message, never a JSON array (2025-03-26 allowed batches).',
    level: 'MUST',
    spec: STDIO,
    transports: ['stdio'],
    revisions: revisionRange('2025-03-26'),
    async run(ctx) {
      if (ctx.revision === '2025-03-26') return skip('2025-03-26 lets a line carry a batch (see BATCH-01)');
      const session = await ctx.stdio();
      // Two requests in one write: the moment a server that batches its output would batch.
      const method = harmlessMethod(ctx.revision);
      await session.writeBytes(
        `${JSON.stringify(rawRequest(ctx.revision, 'batch-a', method))}\n${JSON.stringify(rawRequest(ctx.revision, 'batch-b', method))}\n`,
      );
      for (const id of ['batch-a', 'batch-b']) {
        // At 2026-07-28 there is no handshake: the first answer also waits for the process to start.
        if (!(await receivedResponse(session, id, DEADLINES.connect))) return violated(`a response for id "${id}"`, 'none');
      }
      const array = session.stdoutLines.find((line) => line.trimStart().startsWith('['));
      if (array !== undefined) return violated('one message per line', `an array: ${show(array)}`);
      return ok();
    },
  },
  {
    id: 'STDIO-FRAME-04',
    title: 'stdin is read as a stream, not a message per read',
    requirement: 'Two messages in one write, one message split across writes, and a CRLF terminator are all read correctly.',
    level: 'INF',
    spec: STDIO,
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio();
      const method = harmlessMethod(ctx.revision);
      const line = (id: string) => JSON.stringify(rawRequest(ctx.revision, id, method));
      const cases: Array<{ name: string; ids: string[]; write: () => Promise<void> }> = [
        {
          name: 'two messages in one write',
          ids: ['frame-a', 'frame-b'],
          write: () => session.writeBytes(`${line('frame-a')}\n${line('frame-b')}\n`),
        },
        {
          name: 'one message split across two writes',
          ids: ['frame-c'],
          write: async () => {
            const text = line('frame-c');
            await session.writeBytes(text.slice(0, 10));
            await sleep(200);
            await session.writeBytes(`${text.slice(10)}\n`);
          },
        },
        { name: 'a CRLF terminator', ids: ['frame-d'], write: () => session.writeBytes(`${line('frame-d')}\r\n`) },
      ];
      for (const c of cases) {
        await c.write();
        for (const id of c.ids) {
          const response = await receivedResponse(session, id, 3000);
          if (!response || 'error' in response) return violated(`a result for id "${id}" (${c.name})`, show(response));
        }
      }
      return ok();
    },
  },
  {
    id: 'STDIO-LOG-01',
    title: 'stderr is UTF-8 text',
    requirement: 'The server MAY write UTF-8 log text to stderr.',
    level: 'MAY',
    spec: STDIO,
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio();
      await session.request(harmlessMethod(ctx.revision), {}, { timeoutMs: DEADLINES.connect });
      await session.closeStdin(3000);
      // The driver decodes stderr as UTF-8; what is not UTF-8 became U+FFFD.
      const at = session.stderr.indexOf('\uFFFD');
      if (at >= 0)
        return violated('stderr that decodes as UTF-8', `invalid UTF-8 near ${show(session.stderr.slice(Math.max(0, at - 40), at + 40))}`);
      return ok(session.stderr === '' ? 'nothing on stderr' : undefined);
    },
  },
  {
    id: 'STDIO-SHUT-01',
    title: 'The server exits when stdin closes',
    requirement: 'The server SHOULD exit promptly, without a signal, when its stdin is closed.',
    level: 'SHOULD',
    spec: spec('2026-07-28', 'basic/transports/stdio'),
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio();
      const exit = await session.closeStdin(5000);
      // Before 2026-07-28 this is an inference from the shutdown sequence, not a stated SHOULD.
      const grade = isModern(ctx.revision) ? undefined : 'info';
      if (!exit) return violated('exit within 5 s of stdin closing', 'still running after 5 s', grade);
      if (exit.signal) return violated('exit without a signal', `killed by ${exit.signal}`, grade);
      return ok(`exited with code ${exit.code} after ${exit.afterMs ?? '?'} ms`);
    },
  },
  {
    id: 'STDIO-SHUT-02',
    title: 'The server exits on SIGTERM',
    requirement: 'The server exits within the grace period after SIGTERM (the client escalation path after closing stdin).',
    level: 'INF',
    spec: spec('2026-07-28', 'basic/transports/stdio'),
    transports: ['stdio'],
    revisions: REVISIONS,
    async run(ctx) {
      const session = await ctx.stdio();
      const exit = await session.terminate(5000);
      if (!exit) return violated('exit within 5 s of SIGTERM', 'still running after 5 s');
      return ok(exit.signal ? `ended by ${exit.signal}` : `exited with code ${exit.code}`);
    },
  },
  {
    id: 'STDIO-R4-01',
    title: 'No JSON-RPC requests on stdout (2026-07-28)',
    requirement: 'A 2026-07-28 server MUST NOT write JSON-RPC requests to stdout.',
    level: 'MUST',
    spec: spec('2026-07-28', 'basic/transports/stdio'),
    transports: ['stdio'],
    revisions: [MODERN_REVISION],
    async run(ctx) {
      const session = await ctx.stdio();
      await session.request(harmlessMethod(ctx.revision), {}, { timeoutMs: DEADLINES.connect });
      await session.request('tools/list', {}, { timeoutMs: 3000 });
      if (ctx.fixtures.echoTool)
        await session.request('tools/call', { name: ctx.fixtures.echoTool, arguments: { text: 'harness' } }, { timeoutMs: 3000 });
      const request = await receivedMatching(session, isRequest, 300);
      if (request) return violated('no request from the server', show(request));
      return ok();
    },
  },
  {
    id: 'STDIO-R4-02',
    title: 'Nothing for a request after its cancellation (2026-07-28)',
    requirement:
      'After notifications/cancelled, a 2026-07-28 server MUST NOT send further messages for that request, and SHOULD stop its work.',
    level: 'MUST',
    spec: spec('2026-07-28', 'basic/transports/stdio'),
    transports: ['stdio'],
    revisions: [MODERN_REVISION],
    needs: ['slow-tool'],
    async run(ctx) {
      // The slow tool would answer at 1000 ms; cancelled at 100 ms, then a 1 s grace.
      const { response, raced } = await cancelSlowCall(ctx, 2000);
      if (response && !raced) return violated('nothing for the cancelled request', show(response));
      return ok(raced ? 'the response won the race with the cancellation' : undefined);
    },
  },
];
