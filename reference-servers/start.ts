/**
 * Starting a reference server, from the CLI (`mcp-harness serve`) or from code (tests, `npm start`,
 * benchmarks). Each server kind lives in its own module with the same `start` signature.
 */
import type { Target } from '../drivers/session.js';
import { selfCommand } from '../cli/self.js';
import type { ServerKind } from './kinds.js';
import { SERVER_KIND_INFO } from './kinds.js';
import { parseFaults } from './faults.js';

export interface ServeOptions {
  faults: ReadonlySet<string>;
  /** HTTP kinds: the address to bind (always loopback by default) */
  host?: string;
  /** HTTP kinds: 0 picks a free port */
  port?: number;
}

export interface RunningServer {
  /** HTTP kinds: the MCP endpoint URL (Streamable HTTP) or the SSE stream URL (legacy) */
  url?: string;
  close(): Promise<void>;
}

type StartFn = (opts: ServeOptions) => Promise<RunningServer>;

const MODULES: Record<ServerKind, () => Promise<{ start: StartFn }>> = {
  'sdk-stdio': () => import('./sdk/stdio.js'),
  'sdk-sse': () => import('./sdk/legacy-sse.js'),
  'sdk-http-json': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start(o, 'json')) }),
  'sdk-http-sse': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start(o, 'sse')) }),
  'sdk-stateless': () => import('./sdk/stateless.js'),
  'min-stdio': () => import('./minimal/stdio.js'),
  'min-sse': () => import('./minimal/legacy-sse.js'),
  'min-http': () => import('./minimal/streamable-http.js'),
};

/** Start a server in this process. For stdio kinds this serves on process.stdin/stdout. */
export async function startServer(kind: ServerKind, opts: ServeOptions): Promise<RunningServer> {
  const mod = await MODULES[kind]();
  return mod.start({ host: '127.0.0.1', port: 0, ...opts });
}

export interface ReferenceTarget {
  target: Target;
  /** what to show the user: a URL or a command line */
  label: string;
  close(): Promise<void>;
}

/**
 * A reference server as a target for the harness: HTTP kinds start in this process and give
 * their URL; stdio kinds give the command that the stdio driver spawns (and reaps) per session.
 */
export async function referenceTarget(kind: ServerKind, faults: readonly string[] = []): Promise<ReferenceTarget> {
  const checked = parseFaults(faults, kind);
  const info = SERVER_KIND_INFO[kind];
  if (info.transport === 'stdio') {
    const self = selfCommand();
    const args = [...self.args, 'serve', '--server', kind, ...[...checked].flatMap((f) => ['--fault', f])];
    return {
      target: { transport: 'stdio', command: self.command, args },
      label: `mcp-harness serve --server ${kind}${[...checked].map((f) => ` --fault ${f}`).join('')}`,
      close: async () => {},
    };
  }
  const server = await startServer(kind, { faults: checked });
  if (!server.url) throw new Error(`${kind} started without a URL`);
  return {
    target: { transport: info.transport, url: server.url } as Target,
    label: server.url,
    close: () => server.close(),
  };
}
