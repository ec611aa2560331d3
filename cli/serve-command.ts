/**
 * `mcp-harness serve`: one reference server in the foreground. HTTP kinds print their URL (one
 * line on stdout) and run until SIGINT or SIGTERM; stdio kinds speak MCP on stdin/stdout, so
 * nothing else may ever be written to stdout here: notes go to stderr.
 */
import { DEADLINES, withDeadline } from '../drivers/deadline.js';
import { type FaultSet, parseFaults } from '../reference-servers/faults/index.js';
import { isServerKind, SERVER_KIND_INFO, SERVER_KINDS, type ServerKind } from '../reference-servers/kinds.js';
import { startServer, type ServeOptions } from '../reference-servers/start.js';
import { parseInteger } from './options.js';
import { UsageError } from './usage-error.js';

export interface ServeFlags {
  server?: string;
  port?: string;
  host?: string;
  fault?: string[];
}

function checkedKind(value: string | undefined): ServerKind {
  if (value === undefined || !isServerKind(value)) {
    throw new UsageError(
      `${value === undefined ? '--server KIND is required' : `unknown server "${value}"`}; known: ${SERVER_KINDS.join(', ')}`,
    );
  }
  return value;
}

function checkedFaults(values: readonly string[], kind: ServerKind): FaultSet {
  try {
    return parseFaults(values, kind);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Resolves with the exit code once the server has been stopped by a signal. */
export async function runServeCommand(flags: ServeFlags, stdout: { write(text: string): unknown }): Promise<number> {
  const kind = checkedKind(flags.server);
  const info = SERVER_KIND_INFO[kind];
  const faults = checkedFaults(flags.fault ?? [], kind);
  const opts: ServeOptions = { faults };
  const port = parseInteger(flags.port, '--port', 0, 65_535);
  if (port !== undefined) opts.port = port;
  if (flags.host !== undefined) opts.host = flags.host;
  if (info.transport === 'stdio' && (port !== undefined || flags.host !== undefined)) {
    throw new UsageError(`${kind} serves on stdin/stdout; --port and --host are for HTTP kinds`);
  }

  // Listen for the signal before starting, so one sent right after start-up is not lost.
  const stopped = nextStopSignal();
  const server = await startServer(kind, opts);
  if (info.transport !== 'stdio') {
    stdout.write(`${server.url}\n`);
    const faultText = faults.size > 0 ? ` with ${[...faults].join(', ')}` : '';
    process.stderr.write(`mcp-harness: ${kind} (${info.description})${faultText}; Ctrl-C stops it\n`);
    // The tokens live as long as this process (the signing secret is made at start).
    const t = server.tokens;
    if (t) {
      process.stderr.write(
        `mcp-harness: test with --auth-token ${t.token} --auth-token-other-user ${t.otherUser} ` +
          `--auth-token-no-scope ${t.noScope} --auth-token-wrong-audience ${t.wrongAudience} ` +
          `--auth-token-parent-scope ${t.parentScope} --auth-token-empty-scope ${t.emptyScope}\n`,
      );
    }
  }
  await stopped;
  await withDeadline(server.close(), DEADLINES.processExit, `stop ${kind}`).catch((err: Error) => {
    process.stderr.write(`mcp-harness: ${err.message}\n`);
  });
  return 0;
}
