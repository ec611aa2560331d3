/**
 * RunReports built by hand for the renderer tests: every verdict, a target, and server text
 * that is hostile on purpose (markup, backticks, control characters), so a renderer that forgets
 * to escape shows it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { buildReport } from '../report/build.js';
import type { CheckResult, RunReport, TargetInfo } from '../report/model.js';

export const HOSTILE = '<script>window.__pwned = 1</script> ``` **bold** \x1b[31m';

export function result(over: Partial<CheckResult> & Pick<CheckResult, 'id' | 'verdict'>): CheckResult {
  return {
    title: `title of ${over.id}`,
    requirement: `requirement of ${over.id}`,
    level: 'MUST',
    spec: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports',
    transport: 'http',
    revision: '2025-11-25',
    evidence: [],
    startOffsetMs: 0,
    durationMs: 3,
    target: { index: 0, label: TARGET.label },
    ...over,
  } as CheckResult;
}

export const TARGET: TargetInfo = {
  label: 'http://127.0.0.1:9/mcp',
  transport: 'http',
  supportedRevisions: ['2025-06-18', '2025-11-25'],
  testedRevisions: ['2025-06-18', '2025-11-25'],
  serverInfo: { name: 'fixture', version: '1' },
  phases: [],
};

export function reportOf(results: CheckResult[], target: TargetInfo = TARGET): RunReport {
  return buildReport(
    [target],
    results.map((r) => ({ ...r, target: { index: 0, label: target.label } })),
    new Date('2026-12-01T10:00:00Z'),
  );
}

/** One of each verdict, the failure carrying hostile server text in its evidence. */
export function mixedReport(): RunReport {
  return reportOf([
    result({ id: 'RPC-ID-01', verdict: 'pass' }),
    result({ id: 'RPC-ID-01', verdict: 'pass', revision: '2025-06-18' }),
    result({
      id: 'SHTTP-POST-01',
      verdict: 'fail',
      expected: '202',
      actual: `200 with ${HOSTILE}`,
      evidence: [
        {
          seq: 1,
          at: 1.5,
          channel: 'http',
          direction: 'out',
          summary: 'POST /mcp -> 200',
          http: { method: 'POST', url: 'http://127.0.0.1:9/mcp', requestHeaders: {}, status: 200, responseBody: `{"name":"${HOSTILE}"}` },
        },
      ],
    }),
    result({ id: 'SEC-ORIGIN-02', level: 'SHOULD', verdict: 'warn', expected: '403', actual: '200' }),
    result({ id: 'LC-INIT-01', level: 'MAY', verdict: 'info', reason: 'noted' }),
    result({ id: 'AUTH-TOK-01', verdict: 'skip', reason: 'needs --auth-token', skip: { cause: 'token', option: '--auth-token' } }),
    result({ id: 'LC-VER-02', verdict: 'error', reason: 'check overran its deadline (30000 ms)' }),
  ]);
}

/** A JUnit testcase as fast-xml-parser reads it: an independent consumer of our XML. */
export interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  error?: { '@_message': string; '#text': string };
  skipped?: unknown;
  'system-out'?: string;
}

export function junitCases(xml: string): Case[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({
    ignoreAttributes: false,
    cdataPropName: false,
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  }).parse(xml);
  return doc.testsuites.testsuite.flatMap((s: { testcase?: Case[] }) => s.testcase ?? []);
}
