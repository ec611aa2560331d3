/**
 * The lean entry point of a stdio reference server: `node stdio-main.js --server KIND [--fault F]...`.
 * It is `mcp-harness serve` without the CLI around it (commander, the other subcommands), since a
 * stdio server is spawned once per session and its start-up is most of what a stdio proof costs.
 * It is also the entry that scripts/bundle-stdio.mjs bundles, one file per kind (see start.ts).
 * Behaviour (usage errors, signals, exit codes) is runServeCommand's own.
 */
import { runServeCommand } from '../cli/serve-command.js';
import { UsageError } from '../cli/usage-error.js';

const USAGE_EXIT = 2;

function parse(argv: readonly string[]): { server?: string; fault: string[] } {
  const flags: { server?: string; fault: string[] } = { fault: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = argv[i + 1];
    if ((arg === '--server' || arg === '--fault') && value !== undefined) {
      if (arg === '--server') flags.server = value;
      else flags.fault.push(value);
      i++;
    } else {
      throw new UsageError(`unexpected argument "${arg}" (usage: --server KIND [--fault NAME]...)`);
    }
  }
  return flags;
}

function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

export function main(argv: readonly string[]): void {
  Promise.resolve()
    .then(() => runServeCommand(parse(argv), process.stdout))
    .then(exitAfterFlush, (err: unknown) => {
      const usage = err instanceof UsageError;
      process.stderr.write(`mcp-harness: ${usage ? '' : 'harness error: '}${err instanceof Error ? err.message : String(err)}\n`);
      exitAfterFlush(USAGE_EXIT);
    });
}

// Run when executed, not when a bundle's loader or a test imports it for main().
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) main(process.argv.slice(2));
