/**
 * `npm run bench` / `npm run bench:merge`: the bench and merge subcommands on their own, for
 * running from sources without the full CLI (the same code `mcp-harness bench` runs).
 */
import { Command } from 'commander';
import { registerBenchCommands } from '../cli/bench-command.js';

const program = new Command('mcp-harness').exitOverride();
let code = 0;
registerBenchCommands(program, (c) => {
  code = c;
});
try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { exitCode?: number; message?: string };
  if (typeof e.exitCode === 'number') code = e.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`mcp-harness: ${e.message ?? String(err)}\n`);
    code = 2;
  }
}
process.stdout.write('', () => process.exit(code));
