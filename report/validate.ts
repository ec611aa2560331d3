/**
 * Checks a JSON report against its contract, report/schema/report.schema.json (draft 2020-12,
 * with ajv), and against what a schema cannot say: every result names a target the report has,
 * by place and label, and the counts and exit code agree with the results. Tests run it on
 * every report they write; a user's tooling may run it on theirs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { PROJECT_ROOT } from '../cli/self.js';
import { countVerdicts, exitCodeFor, type RunReport, targetProblem } from './model.js';

export const REPORT_SCHEMA_FILE = join(PROJECT_ROOT, 'report', 'schema', 'report.schema.json');

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    compiled = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as object);
  }
  return compiled;
}

/** What the schema leaves to code: the cross references and the tallies. */
function consistencyProblems(report: RunReport): string[] {
  const problems: string[] = [];
  report.results.forEach((r, i) => {
    const problem = targetProblem(report.targets, r);
    if (problem) problems.push(`/results/${i}/target: ${problem}`);
  });
  const counts = countVerdicts(report.results);
  for (const [verdict, n] of Object.entries(counts)) {
    const stated = report.counts[verdict as keyof typeof counts];
    if (stated !== n) problems.push(`/counts/${verdict}: ${stated}, but the results hold ${n}`);
  }
  // The CI policy (cli/run-policy.ts) may raise the verdicts' code: 3 for an unreachable target,
  // 1 for a warn under --fail-on should or a stale known failure under --strict-expected.
  const exit = exitCodeFor(report.results);
  const raisable = report.counts.warn > 0 || (report.staleExpectations?.length ?? 0) > 0;
  const allowed: readonly number[] = exit === 1 ? [1, 3] : raisable ? [0, 1] : [0];
  if (!allowed.includes(report.exitCode)) problems.push(`/exitCode: ${report.exitCode}, but the results make it ${exit}`);
  return problems;
}

/** The problems with `value` as a report: none when it keeps the contract. */
export function reportProblems(value: unknown): string[] {
  const validate = schemaValidator();
  if (!validate(value))
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  return consistencyProblems(value as RunReport);
}
