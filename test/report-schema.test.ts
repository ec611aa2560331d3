/**
 * The JSON report's contract, report/schema/report.schema.json: it accepts what the harness
 * writes (a hand-made report with every field set, and a real run over three transports), it
 * rejects what the harness must not write, and it stays in step with the TypeScript model
 * (report/model.ts): the same keys, required the same way, and the same enumerations.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTestCommand } from '../cli/test-command.js';
import { REVISIONS, TRANSPORTS } from '../drivers/protocol.js';
import type { Channel, Direction, HttpExchange, SseEvent, WireEntry } from '../drivers/wire-log.js';
import { renderJson } from '../report/json.js';
import { type CheckResult, countVerdicts, type RunReport, type TargetInfo, type TargetPhase, type TargetRef } from '../report/model.js';
import { REPORT_SCHEMA_FILE, reportProblems } from '../report/validate.js';
import { type Level, SKIP_CAUSES } from '../suites/check.js';
import { FIXTURE_TOOLS } from '../suites/fixtures.js';
import { fullReport } from './support/report-sample.js';

interface ObjectSchema {
  required?: string[];
  properties: Record<string, { enum?: unknown[]; const?: unknown }>;
  oneOf?: ObjectSchema[];
}
const schema = JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as ObjectSchema & {
  $defs: Record<string, ObjectSchema & { enum?: unknown[] }>;
};
const def = (name: string) => schema.$defs[name] as ObjectSchema & { enum?: unknown[] };

/** The sample as a machine reads it: through the JSON renderer and back. */
const asJson = (report: RunReport): Record<string, unknown> => JSON.parse(renderJson(report)) as Record<string, unknown>;

// ---- the TypeScript side, checked by tsc: each list names exactly the keys of its type ----
type KeysOf<T> = T extends unknown ? keyof T : never;
/** keys optional in at least one member of a union */
type OptionalKeys<T> = T extends unknown ? { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T] : never;
type RequiredKeys<T> = Exclude<KeysOf<T>, OptionalKeys<T>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type InStep<T, R, O> = Same<RequiredKeys<T>, R> extends true ? Same<OptionalKeys<T>, O> : false;

function keys<T>() {
  return <const R extends readonly string[], const O extends readonly string[]>(
    required: R,
    optional: O,
    inStep: InStep<T, R[number], O[number]>,
  ) => {
    void inStep;
    return { required: [...required], optional: [...optional] };
  };
}

const MODEL = {
  report: keys<RunReport>()(
    ['schemaVersion', 'tool', 'startedAt', 'durationMs', 'profile', 'targets', 'results', 'counts', 'exitCode'],
    ['staleExpectations'],
    true,
  ),
  target: keys<TargetInfo>()(['label', 'transport', 'supportedRevisions', 'testedRevisions', 'phases'], ['serverInfo'], true),
  phase: keys<TargetPhase>()(['name', 'startOffsetMs', 'durationMs'], [], true),
  targetRef: keys<TargetRef>()(['index', 'label'], [], true),
  result: keys<CheckResult>()(
    [
      'id',
      'title',
      'requirement',
      'level',
      'spec',
      'transport',
      'revision',
      'target',
      'verdict',
      'evidence',
      'startOffsetMs',
      'durationMs',
    ],
    ['reason', 'skip', 'expected', 'actual', 'known'],
    true,
  ),
  wireEntry: keys<WireEntry>()(['seq', 'at', 'channel', 'direction', 'summary'], ['data', 'http'], true),
  httpExchange: keys<HttpExchange>()(
    ['method', 'url', 'requestHeaders'],
    ['requestBody', 'status', 'responseHeaders', 'responseBody', 'events', 'durationMs', 'error'],
    true,
  ),
  sseEvent: keys<SseEvent>()(['data'], ['event', 'id', 'retry', 'noData', 'at'], true),
};

const LEVELS = ['MUST', 'SHOULD', 'MAY', 'INF'] as const;
const CHANNELS = ['stdin', 'stdout', 'stderr', 'process', 'http', 'sse'] as const;
const DIRECTIONS = ['out', 'in', 'meta'] as const;
const PHASES = ['open', 'discovery', 'checks', 'close'] as const;
const enumsInStep: [
  Same<(typeof LEVELS)[number], Level>,
  Same<(typeof CHANNELS)[number], Channel>,
  Same<(typeof DIRECTIONS)[number], Direction>,
  Same<(typeof PHASES)[number], TargetPhase['name']>,
] = [true, true, true, true];
void enumsInStep;

const sorted = (list: Iterable<unknown>) => [...list].map(String).sort();

describe('the schema and the TypeScript model', () => {
  it.each(Object.entries(MODEL))('%s: the same keys, required the same way', (name, model) => {
    const s = name === 'report' ? schema : def(name);
    expect(sorted(s.required ?? [])).toEqual(sorted(model.required));
    expect(sorted(Object.keys(s.properties))).toEqual(sorted([...model.required, ...model.optional]));
  });

  it('the same enumerations', () => {
    expect(def('revision').enum).toEqual([...REVISIONS]);
    expect(sorted(def('transport').enum ?? [])).toEqual(sorted(TRANSPORTS));
    expect(sorted(def('verdict').enum ?? [])).toEqual(sorted(Object.keys(countVerdicts([]))));
    expect(sorted(def('level').enum ?? [])).toEqual(sorted(LEVELS));
    expect(sorted(def('feature').enum ?? [])).toEqual(sorted(['auth', ...Object.keys(FIXTURE_TOOLS)]));
    expect(sorted(def('wireEntry').properties.channel?.enum ?? [])).toEqual(sorted(CHANNELS));
    expect(sorted(def('wireEntry').properties.direction?.enum ?? [])).toEqual(sorted(DIRECTIONS));
    expect(sorted(def('phase').properties.name?.enum ?? [])).toEqual(sorted(PHASES));
    expect(schema.properties.schemaVersion?.const).toBe(fullReport().schemaVersion);
  });

  it('one branch per skip cause, each requiring every field it declares', () => {
    const branches = def('skipCause').oneOf ?? [];
    expect(sorted(branches.map((b) => b.properties.cause?.const))).toEqual(sorted(SKIP_CAUSES));
    for (const b of branches) expect(sorted(['cause', ...(b.required ?? [])])).toEqual(sorted(Object.keys(b.properties)));
  });

  it('the hand-made report sets every field the schema declares, and is valid', () => {
    const report = fullReport();
    const results = report.results;
    const http = results.flatMap((r) => r.evidence).find((e) => e.http)?.http as HttpExchange;
    const seen = {
      report: Object.keys(report),
      target: report.targets.flatMap((t) => Object.keys(t)),
      phase: report.targets.flatMap((t) => t.phases.flatMap((p) => Object.keys(p))),
      targetRef: results.flatMap((r) => Object.keys(r.target)),
      result: results.flatMap((r) => Object.keys(r)),
      wireEntry: results.flatMap((r) => r.evidence.flatMap((e) => Object.keys(e))),
      httpExchange: Object.keys(http),
      sseEvent: (http.events ?? []).flatMap((e) => Object.keys(e)),
    };
    for (const [name, model] of Object.entries(MODEL)) {
      expect(sorted(new Set(seen[name as keyof typeof seen])), name).toEqual(sorted([...model.required, ...model.optional]));
    }
    expect(sorted(new Set(results.flatMap((r) => (r.skip ? [r.skip.cause] : []))))).toEqual(sorted(SKIP_CAUSES));
    expect(reportProblems(asJson(report))).toEqual([]);
  });
});

describe('the schema rejects what the harness must not write', () => {
  // biome-ignore lint/suspicious/noExplicitAny: each spoiler writes what the model's types forbid, which is the point
  type Json = Record<string, any>;
  const cases: [string, (r: Json) => void, RegExp][] = [
    ['a schemaVersion 1 report', (r) => (r.schemaVersion = 1), /^\/schemaVersion/],
    ['the target as a bare label (schemaVersion 1)', (r) => (r.results[0].target = r.results[0].target.label), /^\/results\/0\/target/],
    ['a result without a target', (r) => delete r.results[0].target, /^\/results\/0: .*target/],
    ['a skip without its cause', (r) => delete r.results.find((x: Json) => x.verdict === 'skip').skip, /^\/results\/\d+: .*skip/],
    ['a skip without its reason', (r) => delete r.results.find((x: Json) => x.verdict === 'skip').reason, /^\/results\/\d+: .*reason/],
    ['a cause on a pass', (r) => (r.results[0].skip = { cause: 'feature' }), /^\/results\/0: /],
    ['an unknown cause', (r) => (r.results.find((x: Json) => x.verdict === 'skip').skip = { cause: 'weather' }), /^\/results\/\d+\/skip/],
    ['a fixture cause without its option', (r) => delete r.results.find((x: Json) => x.skip?.cause === 'fixture').skip.option, /\/skip/],
    ['an undeclared field', (r) => (r.results[0].note = 'x'), /additional/],
    ['an unknown verdict', (r) => (r.results[0].verdict = 'maybe'), /^\/results\/0\/verdict/],
    ['a negative offset', (r) => (r.results[0].startOffsetMs = -1), /^\/results\/0\/startOffsetMs/],
    ['an unknown revision', (r) => (r.targets[0].testedRevisions = ['2025-13-01']), /^\/targets\/0\/testedRevisions/],
    ['a wire entry without a channel', (r) => delete r.results[1].evidence[0].channel, /^\/results\/1\/evidence\/0/],
    ['a result naming a target the report lacks', (r) => (r.results[0].target.index = 7), /^\/results\/0\/target: index 7/],
    ["a result naming another target's place", (r) => (r.results[0].target.index = 1), /^\/results\/0\/target: label/],
    ['counts that do not tally', (r) => (r.counts.pass += 1), /^\/counts\/pass/],
    ['an exit code the results do not make', (r) => (r.exitCode = 0), /^\/exitCode/],
  ];
  it.each(cases)('%s', (_name, spoil, path) => {
    const report = asJson(fullReport());
    expect(reportProblems(report)).toEqual([]);
    spoil(report);
    const problems = reportProblems(report);
    expect(
      problems.some((p) => path.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('a real run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('over every transport, several targets at once, writes a valid report', { timeout: 180_000 }, async () => {
    const file = join(dir, 'report.json');
    const sink = { write: () => true };
    // Two revisions keep it short: the legacy one (the only one of HTTP+SSE) and the newest of 2025.
    const flags = { reference: 'sdk-http-sse,min-stdio,min-sse', spec: ['2024-11-05,2025-11-25'], json: file, color: false };
    const code = await runTestCommand(flags, { stdout: sink, stderr: sink, env: {} });
    const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
    expect(reportProblems(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.targets.map((t) => t.transport)).toEqual(['http', 'stdio', 'sse']);
    // Every target has its results, by place, and the runner set the causes it decides.
    expect(report.targets.map((_t, i) => report.results.filter((r) => r.target.index === i).length).every((n) => n > 0)).toBe(true);
    const causes = new Set(report.results.flatMap((r) => (r.skip ? [r.skip.cause] : [])));
    for (const cause of ['transport', 'revision', 'token'] as const) expect(causes).toContain(cause);
    expect(report.targets.every((t) => t.phases.map((p) => p.name).join() === 'open,discovery,checks,close')).toBe(true);
  });
});
