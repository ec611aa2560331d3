#!/usr/bin/env node
/**
 * The `mcp-harness` command. Exit codes: 0 no new MUST check failed, 1 one did (or a check could
 * not complete), 2 the harness was used wrongly or broke, 3 a target could not be reached
 * (cli/run-policy.ts). Each subcommand lives in its own module.
 */
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../report/tool.js';
import { registerBenchCommands } from './bench-command.js';
import { registerCiOptions, registerCompareCommand } from './ci-options.js';
import { FIXTURE_TOOLS } from '../suites/fixtures.js';
import { collect } from './options.js';
import type { ServeFlags } from './serve-command.js';
import type { TestFlags } from './test-command.js';
import { UsageError } from './usage-error.js';

const USAGE_EXIT = 2;

function program(setExit: (code: number) => void): Command {
  const cli = new Command('mcp-harness')
    .description('Conformance and load testing for the transports of the Model Context Protocol')
    .version(toolVersion())
    .showHelpAfterError('(mcp-harness --help shows the usage)')
    // Throw instead of exiting, so every usage error leaves with code 2 (commander's default is 1, the code for a failed MUST).
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const test = cli
    .command('test')
    .description('run the conformance checks against a server and report a verdict per check')
    .option('--url <url>', 'a Streamable HTTP endpoint')
    .option(
      '--sse-url <url>',
      "a legacy HTTP+SSE event-stream URL (2024-11-05); beside --url, the same server's legacy endpoints (COMPAT-SRV-01)",
    )
    .option('--cmd <command line>', 'a stdio server, split into argv with shell quoting rules (never run by a shell)')
    .option('--config <file>', 'an mcpServers JSON file, as desktop clients and editors write it')
    .option('--server <name>', 'the server of --config to test')
    .option('--reference <kinds>', 'bundled reference servers: all, or kinds separated by commas')
    .option('--spec <revision>', 'test only this revision (repeatable, or a comma list; draft = 2026-07-28)', collect)
    .option('--check <id>', 'run only this check (repeatable, or a comma list)', collect)
    .option('--fault <name>', 'switch a defect on in the reference servers (repeatable; with --reference)', collect)
    .option('--timeout <ms>', 'deadline for each request that a check does not time itself')
    .option(
      '--auth-token <token>',
      'a Bearer token for an HTTP server with authorization: sent on every request, and switches the auth checks on',
    )
    .option('--auth-token-other-user <token>', "with --auth-token: another user's valid token (session binding, SEC-SESS-02)")
    .option('--auth-token-no-scope <token>', 'with --auth-token: a valid token lacking the scope tools/call needs (AUTH-SCOPE-01)')
    .option('--auth-token-wrong-audience <token>', 'with --auth-token: a token issued for another resource (AUTH-TOK-02)')
    .option(
      '--auth-token-parent-scope <token>',
      'with --auth-token: a token holding only a broader scope that implies the ones tools/call needs (AUTH-SCOPE-02)',
    )
    .option('--auth-token-empty-scope <token>', 'with --auth-token: a valid token with no scope at all (AUTH-SCOPE-02)');
  for (const tool of Object.values(FIXTURE_TOOLS)) test.option(`${tool.flag} <name>`, `your server's fixture: ${tool.contract}`);
  test
    .option('--profile <name>', 'strict (default), or lenient: spec tensions (catalog section 12) become warnings')
    .option(
      '--concurrency <n>',
      'checks run side by side, each with its own connection or process (default 4; 1 for a rate-limited target)',
    )
    .option('--json <file>', 'also write the report as JSON');
  registerCiOptions(test)
    .option('--no-color', 'no colour in the console report (also: NO_COLOR=1)')
    .action(async (flags: TestFlags) => {
      const { runTestCommand } = await import('./test-command.js');
      setExit(await runTestCommand(flags, { stdout: process.stdout, stderr: process.stderr, env: process.env }));
    });

  cli
    .command('serve')
    .description('run one reference server in the foreground (HTTP kinds print their URL)')
    .option('--server <kind>', 'the server kind (mcp-harness list servers)')
    .option('--port <n>', 'HTTP kinds: the port (0 picks a free one)')
    .option('--host <host>', 'HTTP kinds: the address to bind (default 127.0.0.1)')
    .option('--fault <name>', 'switch a defect on (repeatable, or a comma list)', collect)
    .action(async (flags: ServeFlags) => {
      // Loaded on demand: a stdio reference server is spawned once per session, so its start-up time counts.
      const { runServeCommand } = await import('./serve-command.js');
      setExit(await runServeCommand(flags, process.stdout));
    });

  cli
    .command('list')
    .description('print a catalog: checks, faults, servers, or counts (checks per transport and revision)')
    .argument('<what>', 'checks|faults|servers|counts')
    .action(async (what: string) => {
      const { renderList } = await import('./list-command.js');
      process.stdout.write(renderList(what));
      setExit(0);
    });

  cli
    .command('explain')
    .description('from a check ID to its requirement, its definition, the faults that prove it and their proof command')
    .argument('<id>', 'a check ID, e.g. SHTTP-SESSION-05')
    .action(async (id: string) => {
      const { renderExplain } = await import('./explain-command.js');
      process.stdout.write(renderExplain(id));
      setExit(0);
    });

  // bench and merge are owned by cli/bench-command.ts, which registers them itself.
  registerBenchCommands(cli, setExit);
  registerCompareCommand(cli, setExit);

  return cli;
}

/** Exit once stdout has taken everything: a report piped to a file must not lose its tail. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

async function main(argv: string[]): Promise<void> {
  let code = 0;
  try {
    await program((c) => {
      code = c;
    }).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end up here as well, with exit code 0.
      code = err.exitCode === 0 ? 0 : USAGE_EXIT;
    } else {
      const usage = err instanceof UsageError;
      process.stderr.write(`mcp-harness: ${usage ? '' : 'harness error: '}${err instanceof Error ? err.message : String(err)}\n`);
      code = USAGE_EXIT;
    }
  }
  exitAfterFlush(code);
}

void main(process.argv);
