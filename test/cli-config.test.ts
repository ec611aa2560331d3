/** The mcpServers config file, and every way it can be wrong. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerConfig, readServerConfig } from '../cli/config-file.js';
import { commandTarget, targetFromEnv, targetFromFlags } from '../cli/target-args.js';
import { UsageError } from '../cli/usage-error.js';

const parse = (json: unknown, name: string | undefined = 'srv') => parseServerConfig(JSON.stringify(json), 'mcp.json', name);

describe('parseServerConfig', () => {
  it('reads a stdio server with args, env and cwd', () => {
    const target = parse({ mcpServers: { srv: { command: 'node', args: ['a b.js', '--x'], env: { K: 'v' }, cwd: '/tmp' } } });
    expect(target).toEqual({ transport: 'stdio', command: 'node', args: ['a b.js', '--x'], env: { K: 'v' }, cwd: '/tmp' });
  });

  it('does not split the command: it is a program path', () => {
    expect(parse({ mcpServers: { srv: { command: '/opt/my server/bin' } } })).toEqual({
      transport: 'stdio',
      command: '/opt/my server/bin',
      args: [],
    });
  });

  it.each([
    [{ url: 'http://127.0.0.1:3000/mcp' }, 'http'],
    [{ url: 'http://127.0.0.1:3000/sse' }, 'sse'],
    [{ url: 'http://127.0.0.1:3000/sse', type: 'http' }, 'http'],
    [{ url: 'http://127.0.0.1:3000/events', type: 'sse' }, 'sse'],
    [{ url: 'https://example.test/mcp', type: 'streamable-http' }, 'http'],
  ])('reads a URL server %j as %s', (entry, transport) => {
    expect(parse({ mcpServers: { srv: entry } })).toMatchObject({ transport, url: entry.url });
  });

  it('keeps headers of a URL server', () => {
    expect(parse({ mcpServers: { srv: { url: 'http://127.0.0.1/mcp', headers: { Authorization: 'Bearer t' } } } })).toEqual({
      transport: 'http',
      url: 'http://127.0.0.1/mcp',
      headers: { Authorization: 'Bearer t' },
    });
  });

  it('reads the "servers" key of VS Code files too', () => {
    expect(parse({ servers: { srv: { command: 'x' } } })).toMatchObject({ transport: 'stdio', command: 'x' });
  });

  it.each<[string, unknown, string | undefined, RegExp]>([
    ['not JSON', '{"mcpServers": ', 'srv', /is not valid JSON/],
    ['no mcpServers', { other: {} }, 'srv', /has no "mcpServers" object/],
    ['mcpServers not an object', { mcpServers: [] }, 'srv', /has no "mcpServers" object/],
    ['top level not an object', [1, 2], 'srv', /has no "mcpServers" object/],
    [
      'no --server',
      { mcpServers: { a: { command: 'x' }, b: { command: 'y' } } },
      undefined,
      /needs --server NAME; servers in "mcp.json": a, b/,
    ],
    ['unknown server', { mcpServers: { a: { command: 'x' }, b: { command: 'y' } } }, 'c', /no server "c" in "mcp.json"; available: a, b/],
    ['unknown server, empty file', { mcpServers: {} }, 'c', /available: \(none\)/],
    ['inherited name', { mcpServers: {} }, 'toString', /no server "toString"/],
    ['entry not an object', { mcpServers: { srv: 'node x' } }, 'srv', /is not an object/],
    ['neither command nor url', { mcpServers: { srv: { args: [] } } }, 'srv', /neither "command" nor "url"/],
    ['both command and url', { mcpServers: { srv: { command: 'x', url: 'http://a/' } } }, 'srv', /both "command" and "url"/],
    ['empty command', { mcpServers: { srv: { command: '' } } }, 'srv', /"command" must be a non-empty string/],
    ['command not a string', { mcpServers: { srv: { command: ['node'] } } }, 'srv', /"command" must be a non-empty string/],
    ['args not strings', { mcpServers: { srv: { command: 'x', args: [1] } } }, 'srv', /"args" must be an array of strings/],
    ['args a string', { mcpServers: { srv: { command: 'x', args: 'a b' } } }, 'srv', /"args" must be an array of strings/],
    ['env not strings', { mcpServers: { srv: { command: 'x', env: { K: 1 } } } }, 'srv', /"env" must be an object of strings/],
    ['cwd not a string', { mcpServers: { srv: { command: 'x', cwd: 1 } } }, 'srv', /"cwd" must be a string/],
    ['unknown type', { mcpServers: { srv: { url: 'http://a/', type: 'websocket' } } }, 'srv', /"type" must be one of/],
    ['stdio type with url', { mcpServers: { srv: { url: 'http://a/', type: 'stdio' } } }, 'srv', /stdio needs a "command"/],
    ['sse type with command', { mcpServers: { srv: { command: 'x', type: 'sse' } } }, 'srv', /needs a "url"/],
    ['url not a string', { mcpServers: { srv: { url: 3 } } }, 'srv', /"url" must be a string/],
    ['url not a URL', { mcpServers: { srv: { url: 'not a url' } } }, 'srv', /is not a URL/],
    ['url not http', { mcpServers: { srv: { url: 'ftp://a/b' } } }, 'srv', /not an http or https URL/],
    [
      'headers not strings',
      { mcpServers: { srv: { url: 'http://a/', headers: { X: true } } } },
      'srv',
      /"headers" must be an object of strings/,
    ],
  ])('%s is a usage error', (_what, json, name, message) => {
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    expect(() => parseServerConfig(text, 'mcp.json', name)).toThrow(UsageError);
    expect(() => parseServerConfig(text, 'mcp.json', name)).toThrow(message);
  });
});

describe('readServerConfig', () => {
  it('reads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-config-'));
    const file = join(dir, 'claude_desktop_config.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', 'server'] } } }));
    expect(readServerConfig(file, 'fs')).toEqual({ transport: 'stdio', command: 'npx', args: ['-y', 'server'] });
  });

  it('a missing file is a usage error naming it', () => {
    expect(() => readServerConfig('/nonexistent/mcp.json', 'x')).toThrow(/cannot read config file "\/nonexistent\/mcp.json"/);
  });
});

describe('targets from flags and from MCP_TARGET', () => {
  it('--url is Streamable HTTP even when the path ends in /sse; --sse-url is legacy', () => {
    expect(targetFromFlags({ url: 'http://127.0.0.1:1/sse' }).target.transport).toBe('http');
    expect(targetFromFlags({ sseUrl: 'http://127.0.0.1:1/events' }).target.transport).toBe('sse');
    expect(() => targetFromFlags({ url: 'localhost:3000' })).toThrow(/--url: .* not an http or https URL/);
    expect(() => targetFromFlags({})).toThrow(/no target/);
  });

  it('--cmd is split, and labelled by the line as given', () => {
    expect(commandTarget(`node "my server.js"`)).toEqual({
      target: { transport: 'stdio', command: 'node', args: ['my server.js'] },
      label: 'node "my server.js"',
    });
  });

  it('MCP_TARGET: URL, URL ending in /sse, MCP_TARGET_TRANSPORT, command line, unset', () => {
    expect(targetFromEnv({ MCP_TARGET: 'http://127.0.0.1:3000/mcp' })?.target).toEqual({
      transport: 'http',
      url: 'http://127.0.0.1:3000/mcp',
    });
    expect(targetFromEnv({ MCP_TARGET: 'http://127.0.0.1:3000/sse' })?.target.transport).toBe('sse');
    expect(targetFromEnv({ MCP_TARGET: 'http://127.0.0.1:3000/x', MCP_TARGET_TRANSPORT: 'sse' })?.target.transport).toBe('sse');
    expect(targetFromEnv({ MCP_TARGET: 'http://127.0.0.1:3000/sse', MCP_TARGET_TRANSPORT: 'http' })?.target.transport).toBe('http');
    expect(targetFromEnv({ MCP_TARGET: "node -e 'x()'" })?.target).toEqual({ transport: 'stdio', command: 'node', args: ['-e', 'x()'] });
    expect(targetFromEnv({})).toBeUndefined();
    expect(() => targetFromEnv({ MCP_TARGET: 'http://a/', MCP_TARGET_TRANSPORT: 'ws' })).toThrow(/MCP_TARGET_TRANSPORT/);
  });
});
