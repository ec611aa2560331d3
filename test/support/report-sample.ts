/**
 * Results and reports made by hand, for the renderer and schema tests: small builders for the
 * cases a test names, and one report with every optional field filled, so that a field the
 * TypeScript model gains without the schema (or the other way round) shows up.
 */
import type { Revision } from '../../drivers/protocol.js';
import { buildReport } from '../../report/build.js';
import type { CheckResult, RunReport, SkipCause, TargetInfo, TargetRef } from '../../report/model.js';
import type { Verdict } from '../../suites/check.js';

type Judged = Exclude<Verdict, 'skip'>;

export function sampleTarget(label: string, extra: Partial<TargetInfo> = {}): TargetInfo {
  return {
    label,
    transport: 'http',
    supportedRevisions: ['2025-03-26', '2025-06-18', '2025-11-25'],
    testedRevisions: ['2025-11-25'],
    phases: [],
    ...extra,
  };
}

const common = (target: TargetRef, id: string, revision: Revision) => ({
  id,
  title: `title ${id}`,
  requirement: 'r',
  level: 'MUST' as const,
  spec: 'https://example.invalid/',
  transport: 'http' as const,
  revision,
  target,
  evidence: [],
  startOffsetMs: 0,
  durationMs: 1,
});

/** A judged result (any verdict but skip). */
export function judged(
  target: TargetRef,
  id: string,
  revision: Revision,
  verdict: Judged,
  extra: Pick<CheckResult, 'reason' | 'expected' | 'actual'> = {},
): CheckResult {
  return { ...common(target, id, revision), verdict, ...extra };
}

export function skipped(target: TargetRef, id: string, revision: Revision, reason: string, skip: SkipCause): CheckResult {
  return { ...common(target, id, revision), verdict: 'skip', reason, skip };
}

/** Every field of the model set at least once, every skip cause used once. */
export function fullReport(): RunReport {
  const a: TargetInfo = sampleTarget('min-http: http://127.0.0.1:1/mcp', {
    serverInfo: { name: 'min-http', version: '1.0.0' },
    phases: [
      { name: 'open', startOffsetMs: 0, durationMs: 30 },
      { name: 'discovery', startOffsetMs: 30, durationMs: 12 },
      { name: 'checks', startOffsetMs: 42, durationMs: 200 },
      { name: 'close', startOffsetMs: 242, durationMs: 3 },
    ],
  });
  const b: TargetInfo = sampleTarget('node server.js', {
    transport: 'stdio',
    phases: [{ name: 'discovery', startOffsetMs: 0, durationMs: 5 }],
  });
  const ra: TargetRef = { index: 0, label: a.label };
  const rb: TargetRef = { index: 1, label: b.label };
  const failed: CheckResult = {
    ...judged(ra, 'SHTTP-SESSION-05', '2025-11-25', 'fail', {
      reason: 'spec tension T1 (catalog section 12)',
      expected: '404',
      actual: '200',
    }),
    evidence: [
      {
        seq: 3,
        at: 85.2,
        channel: 'http',
        direction: 'out',
        summary: 'DELETE /mcp -> 200',
        data: 'x',
        http: {
          method: 'DELETE',
          url: 'http://127.0.0.1:1/mcp',
          requestHeaders: { 'mcp-session-id': 's' },
          requestBody: '',
          status: 200,
          responseHeaders: { 'content-type': 'text/event-stream' },
          responseBody: 'event: message\ndata: {}\n\n',
          events: [{ event: 'message', id: '1', data: '{}', retry: 10, noData: false, at: 1.5 }],
          durationMs: 4,
          error: 'socket hang up',
        },
      },
      { seq: 4, at: 90, channel: 'stdout', direction: 'in', summary: '{"jsonrpc":"2.0"}' },
    ],
  };
  const results: CheckResult[] = [
    judged(ra, 'RPC-ID-01', '2025-11-25', 'pass', { reason: 'a note' }),
    failed,
    judged(ra, 'SHTTP-GET-01', '2025-11-25', 'warn', { expected: 'e', actual: 'a' }),
    judged(ra, 'LC-INIT-01', '2025-11-25', 'info', { expected: 'e', actual: 'a' }),
    skipped(ra, 'STDIO-FRAME-01', '2024-11-05', 'applies to stdio only', { cause: 'transport', transports: ['stdio'] }),
    skipped(ra, 'MOD-CAP-01', '2026-07-28', 'target does not serve 2026-07-28', { cause: 'revision', revisions: ['2026-07-28'] }),
    skipped(ra, 'SHTTP-CANCEL-01', '2025-11-25', 'needs a slow tool (--slow-tool NAME)', {
      cause: 'fixture',
      feature: 'slow-tool',
      option: '--slow-tool',
    }),
    skipped(ra, 'SHTTP-RESUME-01', '2025-11-25', 'the server sent no event ids', { cause: 'feature' }),
    skipped(ra, 'AUTH-TOK-02', '2025-11-25', 'no token for another audience', { cause: 'token', option: '--auth-token-wrong-audience' }),
    skipped(ra, 'SHTTP-POST-02', '2025-11-25', 'blocked by SHTTP-POST-01', { cause: 'blocked', by: 'SHTTP-POST-01' }),
    skipped(ra, 'SEC-STDIO-01', '2025-11-25', 'the harness did not launch the target', { cause: 'harness' }),
    { ...judged(rb, 'RPC-ID-01', '2025-11-25', 'error', { reason: 'target is gone: ECONNRESET' }), transport: 'stdio' },
    {
      ...judged(ra, 'SEC-ORIGIN-01', '2025-11-25', 'expected', { expected: '403', actual: '200' }),
      known: { was: 'fail', reason: 'listed as known' },
    },
  ];
  const report = buildReport([a, b], results, new Date(Date.now() - 1000), 'lenient');
  report.staleExpectations = [{ id: 'RPC-ID-01', transport: 'http', revision: '2025-11-25', reason: 'fixed since' }];
  return report;
}
