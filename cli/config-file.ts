/**
 * A server from an `mcpServers` JSON file, the format desktop clients and editors write:
 *
 *   {"mcpServers": {"name": {"command": "node", "args": ["server.js"], "env": {"K": "v"}}}}
 *   {"mcpServers": {"name": {"url": "http://127.0.0.1:3000/mcp", "type": "http", "headers": {}}}}
 *
 * VS Code's `"servers"` key is read the same way. Every problem is a UsageError that names the
 * file and, where it helps, the servers the file does have.
 */
import { readFileSync } from 'node:fs';
import type { Target } from '../drivers/session.js';
import { urlTarget } from './url-target.js';
import { UsageError } from './usage-error.js';

const URL_TYPES: Record<string, 'http' | 'sse'> = { sse: 'sse', http: 'http', 'streamable-http': 'http', streamableHttp: 'http' };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown, what: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new UsageError(`${what} must be an object of strings`);
  }
  return value as Record<string, string>;
}

function entryToTarget(entry: Json, where: string): Target {
  const type = entry.type;
  if (type !== undefined && type !== 'stdio' && !(typeof type === 'string' && type in URL_TYPES)) {
    throw new UsageError(`${where}: "type" must be one of stdio, ${Object.keys(URL_TYPES).join(', ')}`);
  }
  if (entry.command !== undefined && entry.url !== undefined) {
    throw new UsageError(`${where} has both "command" and "url"; keep one`);
  }
  if (entry.command !== undefined) {
    if (type !== undefined && type !== 'stdio') throw new UsageError(`${where}: "type" ${type} needs a "url", not a "command"`);
    if (typeof entry.command !== 'string' || entry.command === '') throw new UsageError(`${where}: "command" must be a non-empty string`);
    const args = entry.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
      throw new UsageError(`${where}: "args" must be an array of strings`);
    }
    const target: Target = { transport: 'stdio', command: entry.command, args: args as string[] };
    const env = stringRecord(entry.env, `${where}: "env"`);
    if (env) target.env = env;
    if (entry.cwd !== undefined) {
      if (typeof entry.cwd !== 'string') throw new UsageError(`${where}: "cwd" must be a string`);
      target.cwd = entry.cwd;
    }
    return target;
  }
  if (entry.url !== undefined) {
    if (type === 'stdio') throw new UsageError(`${where}: "type" stdio needs a "command", not a "url"`);
    if (typeof entry.url !== 'string') throw new UsageError(`${where}: "url" must be a string`);
    const headers = stringRecord(entry.headers, `${where}: "headers"`);
    const transport = typeof type === 'string' ? URL_TYPES[type] : undefined;
    return urlTarget(entry.url, transport, headers, where);
  }
  throw new UsageError(`${where} has neither "command" nor "url"`);
}

/** The named server of a config file's text, as a Target. `file` is only for messages. */
export function parseServerConfig(text: string, file: string, name: string | undefined): Target {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file "${file}" is not valid JSON: ${(err as Error).message}`);
  }
  const servers = isObject(json) ? (json.mcpServers ?? json.servers) : undefined;
  if (!isObject(servers)) throw new UsageError(`config file "${file}" has no "mcpServers" object`);
  const names = Object.keys(servers);
  const available = names.length > 0 ? names.join(', ') : '(none)';
  if (name === undefined) throw new UsageError(`--config needs --server NAME; servers in "${file}": ${available}`);
  if (!Object.hasOwn(servers, name)) throw new UsageError(`no server "${name}" in "${file}"; available: ${available}`);
  const entry = servers[name];
  const where = `server "${name}" in "${file}"`;
  if (!isObject(entry)) throw new UsageError(`${where} is not an object`);
  return entryToTarget(entry, where);
}

export function readServerConfig(file: string, name: string | undefined): Target {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file "${file}": ${(err as Error).message}`);
  }
  return parseServerConfig(text, file, name);
}
