/**
 * `config.mcp` of an Artillery script, checked once when the engine loads, so that a typo fails
 * the run at start with a message instead of every virtual user failing alike.
 *
 * The target is `config.target` (a URL) or `config.mcp.command` (a stdio server spawned per
 * session); the transport is named, or inferred the way `mcp-harness test` infers it: a
 * command is stdio, a URL whose path ends in /sse is legacy HTTP+SSE, any other URL is
 * Streamable HTTP. The revision picks the Streamable HTTP era too: 2026-07-28 is stateless.
 */
import type { Revision, TransportKind } from '../../../drivers/protocol.js';
import { isRevision, REVISIONS, TRANSPORTS } from '../../../drivers/protocol.js';
import type { Target } from '../../../drivers/session.js';
import { splitCommandLine } from '../../../cli/argv-split.js';
import type { ArtilleryScript, EngineHelpers, Json, JsonObject } from './artillery-types.js';

/**
 * per-vu: each virtual user opens its own session (its `initialize` step, or its first request)
 * and closes it at `terminate` or when it ends. shared: one session per Artillery worker, opened
 * by the first user who needs it and closed when the worker's users are done. churn: every
 * request step opens a session, makes its request and closes the session again.
 */
export const SESSION_STRATEGIES = ['per-vu', 'shared', 'churn'] as const;
export type SessionStrategy = (typeof SESSION_STRATEGIES)[number];

export interface EngineConfig {
  target: Target;
  transport: TransportKind;
  /** the revision sessions open with, unless an `initialize` step names another */
  revision: Revision;
  sessions: SessionStrategy;
  /** per request, ms */
  timeoutMs: number;
  /** a failed request ends the virtual user (Artillery's `vusers.failed`) unless this is set */
  continueOnError: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`artillery-engine-mcp: ${message}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_TIMEOUT_S = 10;

function str(value: Json | undefined, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${what} must be a string`);
  return value;
}

function strings(value: Json | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new ConfigError(`${what} must be a list of strings`);
  }
  return value.map(String);
}

function stringMap(value: Json | undefined, what: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${what} must be a map of strings`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

export function parseRevision(value: Json | undefined, what: string): Revision | undefined {
  if (value === undefined || value === null) return undefined;
  // YAML reads an unquoted 2025-11-25 as a date; Artillery's loader keeps it a string, but be lenient
  const text = String(value);
  if (!isRevision(text)) throw new ConfigError(`${what} "${text}" is not a revision (${REVISIONS.join(', ')})`);
  return text;
}

function inferTransport(url: string | undefined, command: string | undefined): TransportKind {
  if (command !== undefined) return 'stdio';
  if (url === undefined) throw new ConfigError('config.target (a URL) or config.mcp.command (a stdio server) is required');
  try {
    return new URL(url).pathname.endsWith('/sse') ? 'sse' : 'http';
  } catch {
    throw new ConfigError(`config.target "${url}" is not a URL`);
  }
}

/** A templated value that named an unset variable renders as undefined or "undefined": absent. */
function present(value: Json | undefined): Json | undefined {
  return value === undefined || value === null || value === '' || value === 'undefined' ? undefined : value;
}

/**
 * `{{ $env.NAME }}` in config.target and config.mcp is read from the environment when the engine
 * loads, so one script serves any server: MCP_TARGET=… artillery run scenarios/ping.yml.
 */
export function parseConfig(script: ArtilleryScript, helpers: EngineHelpers): EngineConfig {
  const vars = { vars: { $env: process.env, $processEnvironment: process.env } };
  const templated = helpers.template({ target: script.config.target ?? null, mcp: script.config.mcp ?? {} }, vars) as {
    target: Json | undefined;
    mcp: JsonObject;
  };
  const mcp: JsonObject = Object.fromEntries(
    Object.entries(templated.mcp ?? {})
      .map(([k, v]) => [k, present(v)])
      .filter(([, v]) => v !== undefined),
  );
  const line = str(mcp.commandLine, 'config.mcp.commandLine');
  if (line !== undefined && mcp.command !== undefined) throw new ConfigError('config.mcp has both command and commandLine');
  // commandLine: one string split like `mcp-harness test --cmd` (POSIX quoting, never a shell)
  const argv = line === undefined ? undefined : splitCommandLine(line);
  if (argv !== undefined && argv.length === 0) throw new ConfigError('config.mcp.commandLine is empty');
  if (argv !== undefined) {
    mcp.command = argv[0]!;
    mcp.args = argv.slice(1);
  }
  const command = str(mcp.command, 'config.mcp.command');
  const target = str(present(templated.target), 'config.target');
  const url = str(mcp.url, 'config.mcp.url') ?? (command === undefined ? target : undefined);
  const named = str(mcp.transport, 'config.mcp.transport');
  if (named !== undefined && !(TRANSPORTS as readonly string[]).includes(named)) {
    throw new ConfigError(`config.mcp.transport "${named}" is not one of ${TRANSPORTS.join(', ')}`);
  }
  const transport = (named as TransportKind | undefined) ?? inferTransport(url, command);
  let spawnOrUrl: Target;
  if (transport === 'stdio') {
    if (command === undefined) throw new ConfigError('config.mcp.command is required for the stdio transport');
    const env = stringMap(mcp.env, 'config.mcp.env');
    const cwd = str(mcp.cwd, 'config.mcp.cwd');
    spawnOrUrl = { transport, command, args: strings(mcp.args, 'config.mcp.args'), ...(env ? { env } : {}), ...(cwd ? { cwd } : {}) };
  } else {
    if (url === undefined) throw new ConfigError(`config.target (a URL) is required for the ${transport} transport`);
    const headers = stringMap(mcp.headers, 'config.mcp.headers');
    spawnOrUrl = { transport, url, ...(headers ? { headers } : {}) };
  }
  const sessions = str(mcp.sessions, 'config.mcp.sessions') ?? 'per-vu';
  if (!(SESSION_STRATEGIES as readonly string[]).includes(sessions)) {
    throw new ConfigError(`config.mcp.sessions "${sessions}" is not one of ${SESSION_STRATEGIES.join(', ')}`);
  }
  const timeout = mcp.timeout ?? DEFAULT_TIMEOUT_S;
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new ConfigError('config.mcp.timeout must be a positive number of seconds');
  const revision = parseRevision(mcp.revision, 'config.mcp.revision') ?? (transport === 'sse' ? '2024-11-05' : '2025-11-25');
  return {
    target: spawnOrUrl,
    transport,
    revision,
    sessions: sessions as SessionStrategy,
    timeoutMs: Math.round(timeout * 1000),
    continueOnError: mcp.continueOnError === true,
  };
}
