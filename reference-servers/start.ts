/**
 * Starting a reference server, from the CLI (`mcp-harness serve`) or from code (tests, `npm start`,
 * benchmarks). Each server kind lives in its own module with the same `start` signature.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from '../drivers/session.js';
import type { Fixtures } from '../suites/check.js';
import { PROJECT_ROOT, selfCommand } from '../cli/self.js';
import type { ServerKind } from './kinds.js';
import { SERVER_KIND_INFO } from './kinds.js';
import { type FaultSet, parseFaults } from './faults/index.js';

export interface ServeOptions {
  /** the active faults: each turns on one defect through the server's seams (faults/hooks) */
  faults: FaultSet;
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
  parentScope: string;
  emptyScope: string;
}

export interface RunningServer {
  /** HTTP kinds: the MCP endpoint URL (Streamable HTTP) or the SSE stream URL (legacy) */
  url?: string;
  /** with `auth`: the tokens the server accepts (and the ones it must refuse) */
  tokens?: ServerTokens;
  /** a Streamable HTTP server that also serves old clients: its legacy HTTP+SSE stream URL */
  legacySseUrl?: string;
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
  'sdk-dual': () => import('./sdk/dual.js'),
  'min-stdio': () => import('./minimal/stdio.js'),
  'min-sse': () => import('./minimal/legacy-sse.js'),
  'min-http': () => import('./minimal/streamable-http.js'),
  'sdk-http-auth': async () => ({ start: (o) => import('./sdk/streamable-http.js').then((m) => m.start({ ...o, auth: true }, 'json')) }),
  'min-http-auth': async () => ({ start: (o) => import('./minimal/streamable-http.js').then((m) => m.start({ ...o, auth: true })) }),
  'sdk-stateless-auth': async () => ({ start: (o) => import('./sdk/stateless.js').then((m) => m.start({ ...o, auth: true })) }),
};

/**
 * The module of each stdio kind, as MODULES imports it: scripts/bundle-stdio.mjs puts only the
 * kind's own module into the kind's bundle.
 */
export const STDIO_SERVER_MODULES: Partial<Record<ServerKind, string>> = {
  'sdk-stdio': './sdk/stdio.js',
  'sdk-stdio-modern': './sdk/stdio-modern.js',
  'min-stdio': './minimal/stdio.js',
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
    const { command, args: entry } = stdioServerCommand(kind);
    const args = [...entry, '--server', kind, ...[...checked].flatMap((f) => ['--fault', f])];
    return {
      target: { transport: 'stdio', command, args },
      label: `mcp-harness serve --server ${kind}${[...checked].map((f) => ` --fault ${f}`).join('')}`,
      close: async () => {},
    };
  }
  const server = await startServer(kind, { faults: checked });
  if (!server.url) throw new Error(`${kind} started without a URL`);
  const tokens = server.tokens;
  if (!tokens) {
    const legacy = server.legacySseUrl ? { fixtures: { legacySseUrl: server.legacySseUrl } } : {};
    return { target: { transport: info.transport, url: server.url } as Target, label: server.url, ...legacy, close: () => server.close() };
  }
  return {
    target: { transport: info.transport, url: server.url, headers: { Authorization: `Bearer ${tokens.token}` } } as Target,
    label: server.url,
    fixtures: {
      authToken: tokens.token,
      authTokenOtherUser: tokens.otherUser,
      authTokenNoScope: tokens.noScope,
      authTokenWrongAudience: tokens.wrongAudience,
      authTokenParentScope: tokens.parentScope,
      authTokenEmptyScope: tokens.emptyScope,
    },
    close: () => server.close(),
  };
}

/**
 * How to spawn a stdio kind, cheapest first (it is spawned once per session): its bundle with a
 * code cache (scripts/bundle-stdio.mjs) while no file it was built from has changed since; the
 * lean compiled entry; the CLI from the sources. All three run runServeCommand; the arguments
 * `--server KIND [--fault NAME]...` follow.
 */
export function stdioServerCommand(kind: ServerKind): { command: string; args: string[] } {
  const bundles = join(PROJECT_ROOT, 'dist', 'stdio-bundles');
  if (bundleIsFresh(bundles, kind)) return { command: process.execPath, args: [join(bundles, 'load.cjs')] };
  const lean = join(PROJECT_ROOT, 'dist', 'reference-servers', 'stdio-main.js');
  if (existsSync(lean)) return { command: process.execPath, args: [lean] };
  const self = selfCommand();
  return { command: self.command, args: [...self.args, 'serve'] };
}

/** Whether the kind's bundle is there and no file it was built from changed since (stdio kinds only). */
export function stdioBundleIsFresh(kind: ServerKind): boolean {
  return bundleIsFresh(join(PROJECT_ROOT, 'dist', 'stdio-bundles'), kind);
}

function bundleIsFresh(bundles: string, kind: ServerKind): boolean {
  const bundle = join(bundles, `${kind}.cjs`);
  try {
    if (!existsSync(join(bundles, 'load.cjs'))) return false;
    const { inputs } = JSON.parse(readFileSync(join(bundles, `${kind}.json`), 'utf8')) as { inputs: string[] };
    const built = statSync(bundle).mtimeMs;
    return inputs.length > 0 && inputs.every((input) => statSync(join(PROJECT_ROOT, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}
