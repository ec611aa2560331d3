/**
 * What to test, from the flags of `mcp-harness test` or from MCP_TARGET: one parser for both,
 * so a URL or a command line means the same thing in either place.
 */
import type { Target } from '../drivers/session.js';
import { splitCommandLine } from './argv-split.js';
import { readServerConfig } from './config-file.js';
import { isHttpUrl, urlTarget } from './url-target.js';
import { UsageError } from './usage-error.js';

export interface TargetSpec {
  target: Target;
  /** what the report calls it: the URL, the command line, or the config entry */
  label: string;
}

export interface TargetFlags {
  url?: string;
  sseUrl?: string;
  cmd?: string;
  config?: string;
  server?: string;
}

export function commandTarget(line: string): TargetSpec {
  const [command, ...args] = splitCommandLine(line);
  return { target: { transport: 'stdio', command: command as string, args }, label: line.trim() };
}

export function targetFromFlags(flags: TargetFlags): TargetSpec {
  if (flags.url !== undefined) return { target: urlTarget(flags.url, 'http', undefined, '--url'), label: flags.url };
  if (flags.sseUrl !== undefined) return { target: urlTarget(flags.sseUrl, 'sse', undefined, '--sse-url'), label: flags.sseUrl };
  if (flags.cmd !== undefined) return commandTarget(flags.cmd);
  if (flags.config !== undefined) {
    return { target: readServerConfig(flags.config, flags.server), label: `${flags.server} (${flags.config})` };
  }
  throw new UsageError('no target: give --url, --sse-url, --cmd, --config with --server, or --reference');
}

/**
 * MCP_TARGET: a URL is Streamable HTTP, or legacy HTTP+SSE with MCP_TARGET_TRANSPORT=sse or a
 * path ending in /sse; anything else is a command line.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv): TargetSpec | undefined {
  const value = env.MCP_TARGET?.trim();
  if (!value) return undefined;
  if (!isHttpUrl(value)) return commandTarget(value);
  const hint = env.MCP_TARGET_TRANSPORT?.trim();
  if (hint !== undefined && hint !== '' && hint !== 'sse' && hint !== 'http') {
    throw new UsageError(`MCP_TARGET_TRANSPORT must be sse or http, not "${hint}"`);
  }
  return { target: urlTarget(value, hint === 'sse' || hint === 'http' ? hint : undefined, undefined, 'MCP_TARGET'), label: value };
}
