/**
 * The one tool set every reference server serves, SDK-based and hand-written alike, so that a
 * benchmark compares transports and not workloads. Plain JSON Schema (no zod), so the
 * hand-written servers can serve the same definitions.
 */

export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  isError?: boolean;
  [key: string]: unknown;
}

export interface ToolContext {
  /** aborted when the client cancels the request or goes away */
  signal: AbortSignal;
  /** present when the request carried a progressToken */
  progress?: (progress: number, total: number, message: string) => Promise<void>;
  /**
   * present when the transport can end this request's SSE stream before the response and let
   * the client resume it with Last-Event-ID (2025-11-25 polling: SHTTP-SSE-07)
   */
  poll?: () => void;
  /**
   * present when the server can send the client a request within this call and read its answer
   * (not on a JSON-only HTTP answer, nor in 2026-07-28, where servers send no requests): a ping
   * to the client, resolved by its answer (RPC-ID-02)
   */
  pingClient?: () => Promise<void>;
  /**
   * present when the server can send the session a notification that belongs to no request (over
   * Streamable HTTP it goes on the GET stream): notifications/tools/list_changed (SHTTP-MULTI-01)
   */
  notifySession?: () => Promise<void>;
  /**
   * present when the transport can end the connection of the session's GET stream without ending
   * the stream, for the client to resume it (2025-11-25 polling on GET: SHTTP-GET-04)
   */
  closeGetStream?: () => void;
}

export interface ToolDef {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

const text = (t: string): ToolResult => ({ content: [{ type: 'text', text: t }] });

function num(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return Math.max(0, Math.min(n, max));
}

/** Resolves after `ms`, or rejects when the signal aborts. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Bounds that keep a hostile or careless call from tying a reference server up. */
export const TOOL_LIMITS = { slowMaxMs: 60_000, progressMaxSteps: 1000, largeMaxBytes: 64 * 1024 * 1024 } as const;

export const TOOLS: readonly ToolDef[] = [
  {
    name: 'echo',
    description: 'Returns its text argument unchanged.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    async run(args) {
      return text(String(args.text ?? ''));
    },
  },
  {
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: {
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    },
    async run(args) {
      return text(String(Number(args.a) + Number(args.b)));
    },
  },
  {
    name: 'slow',
    description:
      'Waits `ms` milliseconds (default 2000), then answers. Cancellable. With `pollAfterMs`, ends the SSE stream after that long (where the transport can) and answers on the resumed stream.',
    inputSchema: { type: 'object', properties: { ms: { type: 'number' }, pollAfterMs: { type: 'number' } } },
    async run(args, ctx) {
      const ms = num(args.ms, 2000, TOOL_LIMITS.slowMaxMs);
      const pollAfter = typeof args.pollAfterMs === 'number' && ctx.poll ? num(args.pollAfterMs, 0, ms) : undefined;
      if (pollAfter !== undefined) {
        await abortableDelay(pollAfter, ctx.signal);
        ctx.poll?.();
      }
      await abortableDelay(ms - (pollAfter ?? 0), ctx.signal);
      return text(`waited ${ms} ms`);
    },
  },
  {
    name: 'progress',
    description: 'Sends `steps` progress notifications (default 5), `intervalMs` apart (default 20), then answers.',
    inputSchema: {
      type: 'object',
      properties: { steps: { type: 'number' }, intervalMs: { type: 'number' } },
    },
    async run(args, ctx) {
      const steps = Math.floor(num(args.steps, 5, TOOL_LIMITS.progressMaxSteps));
      const interval = num(args.intervalMs, 20, 10_000);
      for (let i = 1; i <= steps; i++) {
        await abortableDelay(interval, ctx.signal);
        await ctx.progress?.(i, steps, `step ${i} of ${steps}`);
      }
      return text(`sent ${steps} progress notifications`);
    },
  },
  {
    name: 'ping-client',
    description:
      'Pings the client `count` times (default 2), one after the other, each once the last was answered, where the transport can carry a request to the client; then answers.',
    inputSchema: { type: 'object', properties: { count: { type: 'number' } } },
    async run(args, ctx) {
      const count = Math.floor(num(args.count, 2, 10));
      if (!ctx.pingClient) return text('no way to reach the client within this call');
      for (let i = 0; i < count; i++) await ctx.pingClient();
      return text(`pinged the client ${count} times`);
    },
  },
  {
    name: 'large',
    description: 'Returns a text of `bytes` bytes (default 1024).',
    inputSchema: { type: 'object', properties: { bytes: { type: 'number' } } },
    async run(args) {
      const bytes = Math.floor(num(args.bytes, 1024, TOOL_LIMITS.largeMaxBytes));
      return text('x'.repeat(bytes));
    },
  },
  {
    name: 'fail',
    description: 'Always fails with a tool error (isError: true), not a protocol error.',
    inputSchema: { type: 'object', properties: {} },
    async run() {
      return { content: [{ type: 'text', text: 'this tool always fails' }], isError: true };
    },
  },
  {
    name: 'notify',
    description:
      'Sends the session a notifications/tools/list_changed that belongs to no request (where the transport can), then answers. With `closeGetStream`, first ends the connection of the GET stream (where the transport can), for the client to resume it.',
    inputSchema: { type: 'object', properties: { closeGetStream: { type: 'boolean' } } },
    async run(args, ctx) {
      if (args.closeGetStream === true) ctx.closeGetStream?.();
      if (!ctx.notifySession) return text('no way to notify the session');
      await ctx.notifySession();
      return text('sent notifications/tools/list_changed');
    },
  },
];

export function findTool(name: unknown): ToolDef | undefined {
  return TOOLS.find((t) => t.name === name);
}

/** The tools/list entries (what the server advertises). */
export function toolListing(): Array<Pick<ToolDef, 'name' | 'description' | 'inputSchema'>> {
  return TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
}

/** How long a reference server waits for the client to answer a request it sent (pingClient). */
export const CLIENT_ANSWER_MS = 5_000;

// ---- resources: one readable resource, so that asking for a missing one means something (RPC-ERR-05) ----

export interface ResourceDef {
  uri: string;
  name: string;
  mimeType: string;
  text: string;
}

export const RESOURCES: readonly ResourceDef[] = [
  { uri: 'harness://reference/readme', name: 'readme', mimeType: 'text/plain', text: 'The mcp-harness reference server.' },
];

export function findResource(uri: unknown): ResourceDef | undefined {
  return RESOURCES.find((r) => r.uri === uri);
}

/** The resources/list entries. */
export function resourceListing(): Array<Pick<ResourceDef, 'uri' | 'name' | 'mimeType'>> {
  return RESOURCES.map(({ uri, name, mimeType }) => ({ uri, name, mimeType }));
}

/** The resources/read result for a known resource. */
export function resourceContents(r: ResourceDef): { contents: Array<{ uri: string; mimeType: string; text: string }> } {
  return { contents: [{ uri: r.uri, mimeType: r.mimeType, text: r.text }] };
}

/**
 * The error code for a resource that does not exist: -32002 up to 2025-11-25 (a SHOULD), -32602
 * from 2026-07-28 on (a MUST, which retires -32002).
 */
export const RESOURCE_NOT_FOUND = { legacy: -32002, modern: -32602 } as const;

export const SERVER_INFO = { name: 'mcp-harness-reference', version: '0.1.0' } as const;
