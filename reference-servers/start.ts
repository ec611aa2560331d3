/**
 * Starting a reference server, from the CLI (`mcp-harness serve`) or from code (tests, `npm start`,
 * benchmarks). Each server kind lives in its own module with the same `start` signature.
 */
import type { Target } from '../drivers/session.js';
import type { Fixtures } from '../suites/check.js';
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
  /** HTTP kinds: act as an OAuth resource server (the *-auth kinds set it) */
  auth?: boolean;
}

/** The test tokens an auth-enabled server minted at start (reference-servers/http/auth.ts). */
export interface ServerTokens {
  token: string;
  otherUser: string;
  noScope: string;
  wrongAudience: string;
}

export interface RunningServer {
  /** HTTP kinds: the MCP endpoint URL (Streamable HTTP) or the SSE stream URL (legacy) */
  url?: string;
  /** with `auth`: the tokens the server accepts (and the ones it must refuse) */
  tokens?: ServerTokens;
  close(): Promise<void>;
}

type StartFn = (opts: ServeOptions) => Promise<RunningServer>;

const MODULES: Record<ServerKind, () => Promise<{ start: StartFn }>> = {
  'sdk-stdio': () => import('./sdk/stdio.js'),
  'sdk-sse': () => import('./sdk/legacy-sse.js'),
  'sdk-http-json': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start(o, 'json')) }),
  'sdk-http-sse': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start(o, 'sse')) }),
  'sdk-stateless': () => import('./sdk/stateless.js'),
  'sdk-stdio-modern': () => import('./sdk/stdio-modern.js'),
  'min-stdio': () => import('./minimal/stdio.js'),
  'min-sse': () => import('./minimal/legacy-sse.js'),
  'min-http': () => import('./minimal/streamable-http.js'),
  'sdk-http-auth': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start({ ...o, auth: true }, 'json')) }),
  'min-http-auth': async () => ({ start: (o) => import('./minimal/streamable-http.js').then((m) => m.start({ ...o, auth: true })) }),
  'sdk-stateless-auth': async () => ({ start: (o) => import('./sdk/stateless.js').then((m) => m.start({ ...o, auth: true })) }),
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
  /** what the harness needs beyond the target to test this server (an auth kind's tokens) */
  fixtures?: Fixtures;
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
  const tokens = server.tokens;
  if (!tokens) {
    return { target: { transport: info.transport, url: server.url } as Target, label: server.url, close: () => server.close() };
  }
  return {
    target: { transport: info.transport, url: server.url, headers: { Authorization: `Bearer ${tokens.token}` } } as Target,
    label: server.url,
    fixtures: {
      authToken: tokens.token,
      authTokenOtherUser: tokens.otherUser,
      authTokenNoScope: tokens.noScope,
      authTokenWrongAudience: tokens.wrongAudience,
    },
    close: () => server.close(),
  };
}
