/**
 * `MCP_TARGET=<url or command line> npm test`: the conformance checks against that server, one
 * vitest test per check result. The suite runs once, at collection; each test then reports its
 * verdict: fail and error fail the test with expected, actual and evidence, skip skips it with
 * the reason, warn and info pass with the verdict in the name and the detail on the console.
 * MCP_TARGET_TRANSPORT=sse marks a URL as legacy HTTP+SSE (a path ending in /sse does too).
 * MCP_PROFILE=lenient lowers spec tensions to warnings; MCP_SPEC=2025-11-25 narrows the revisions.
 * MCP_ECHO_TOOL, MCP_SLOW_TOOL, MCP_PROGRESS_TOOL, … name the server's fixture tools, as the
 * CLI's --echo-tool, --slow-tool, --progress-tool, … do (suites/fixtures.ts, FIXTURE_TOOLS).
 */
import { describe, test } from 'vitest';
import { DEFAULT_CONCURRENCY, parseProfile, parseRevisions, toolFixturesFromEnv } from '../../cli/options.js';
import { targetFromEnv } from '../../cli/target-args.js';
import { resultDetail } from '../../report/detail.js';
import { escapeText } from '../../report/escape.js';
import type { CheckResult } from '../../report/model.js';
import { ALL_CHECKS } from '../../suites/index.js';
import { runSuite } from '../../suites/runner.js';

const spec = targetFromEnv(process.env);

function testName(r: CheckResult): string {
  const flag = r.verdict === 'warn' || r.verdict === 'info' ? ` (${r.verdict.toUpperCase()})` : '';
  const why = r.verdict === 'skip' && r.reason ? `: ${escapeText(r.reason)}` : '';
  return `${r.id} [${r.transport} ${r.revision}] ${r.title}${flag}${why}`;
}

if (!spec) {
  test.skip('MCP_TARGET is not set: nothing to test', () => {});
} else {
  const run = await runSuite({
    target: spec.target,
    label: spec.label,
    checks: ALL_CHECKS,
    fixtures: toolFixturesFromEnv(process.env),
    profile: parseProfile(process.env.MCP_PROFILE),
    concurrency: DEFAULT_CONCURRENCY,
    ...(process.env.MCP_SPEC ? { revisions: parseRevisions([process.env.MCP_SPEC]) ?? [] } : {}),
    onStart: (info, planned) =>
      process.stderr.write(`mcp-harness: ${escapeText(info.label)} (${info.transport}): ${planned} results to produce\n`),
    onProgress: (message) => process.stderr.write(`mcp-harness: ${escapeText(message)}\n`),
  });

  describe(`${escapeText(spec.label)} (${spec.target.transport})`, () => {
    for (const result of run.results) {
      const name = testName(result);
      if (result.verdict === 'skip') {
        test.skip(name, () => {});
        continue;
      }
      test(name, () => {
        const detail = resultDetail(result).join('\n');
        if (result.verdict === 'fail' || result.verdict === 'error') throw new Error(`${result.verdict}: ${result.requirement}\n${detail}`);
        if (result.verdict === 'warn' || result.verdict === 'info')
          console.log(`${result.id} [${result.revision}] ${result.verdict}\n${detail}`);
      });
    }
  });
}
