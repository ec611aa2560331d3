/**
 * The CI options of `mcp-harness test` and the `compare` command, registered on commander by
 * main.ts. Only names and help live here: the modules that act on them (report-options.ts,
 * run-policy.ts, compare-command.ts) load on demand, so a `serve` start-up never pays for the
 * renderers' packages.
 */
import type { Command } from 'commander';
import { REPORT_FORMAT_NAMES } from '../report/formats.js';
import { collect } from './options.js';

export const DEFAULT_OUT_DIR = 'results';

export function registerCiOptions(command: Command): Command {
  return command
    .option('--report <formats>', `write reports: ${REPORT_FORMAT_NAMES.join(', ')} (repeatable, or a comma list)`, collect)
    .option('--out <dir>', `the folder --report writes into (default ${DEFAULT_OUT_DIR})`)
    .option('--sarif-location <path>', 'the file SARIF results point at (default package.json)')
    .option(
      '--expected-failures <file>',
      'a JSON list of known failures (id, transport?, revision?, reason): they become "expected" and do not fail the run',
    )
    .option('--strict-expected', 'fail the run when a listed expected failure now passes (stale)')
    .option('--write-expected-failures <file>', "write this run's failures as an expected-failures file")
    .option('--fail-on <level>', 'must (default): fail on a new MUST failure; should: on a SHOULD not met too');
}

export function registerCompareCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('compare')
    .description('what changed between two JSON reports: newly failing, newly passing, changed (exit 1 on a new MUST failure)')
    .argument('<old>', 'the earlier report (JSON)')
    .argument('<new>', 'the later report (JSON)')
    .option('--format <format>', 'console (default) or md (for $GITHUB_STEP_SUMMARY)', 'console')
    .action(async (oldFile: string, newFile: string, opts: { format: string }) => {
      const { runCompare } = await import('./compare-command.js');
      setExit(await runCompare(oldFile, newFile, opts.format, process.stdout));
    });
}
