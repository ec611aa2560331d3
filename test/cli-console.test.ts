/** The console report's layout: per target, per area, merged revisions, details only where needed. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../cli/progress.js';
import { buildReport } from '../report/build.js';
import { renderConsole } from '../report/console.js';
import type { TargetRef } from '../report/model.js';
import { judged, sampleTarget as target, skipped } from './support/report-sample.js';

describe('renderConsole', () => {
  const a = target('server-a');
  const b = target('server-b');
  const ra: TargetRef = { index: 0, label: a.label };
  const rb: TargetRef = { index: 1, label: b.label };
  const report = buildReport(
    [a, b],
    [
      judged(ra, 'RPC-ID-01', '2025-03-26', 'pass'),
      judged(ra, 'RPC-ID-01', '2025-06-18', 'pass'),
      judged(ra, 'RPC-ID-01', '2025-11-25', 'pass'),
      judged(ra, 'SHTTP-GET-01', '2025-11-25', 'fail', { expected: 'SSE or 405', actual: '409' }),
      // The fold goes by the cause, not the wording: this reason does not say "applies to".
      skipped(ra, 'STDIO-FRAME-01', '2024-11-05', 'for the stdio transport', { cause: 'transport', transports: ['stdio'] }),
      skipped(ra, 'SHTTP-CANCEL-01', '2025-11-25', 'applies to servers with a slow tool', {
        cause: 'fixture',
        feature: 'slow-tool',
        option: '--slow-tool',
      }),
      judged(rb, 'RPC-ID-01', '2025-11-25', 'error', { reason: 'target is gone: ECONNRESET' }),
    ],
    new Date(Date.now() - 1000),
  );
  const out = renderConsole(report, { color: false });
  const section = (label: string) => out.split('■ ').find((part) => part.startsWith(label)) ?? '';

  it('keeps each target to its own results, even with the same transport', () => {
    expect(section('server-a')).toMatch(/FAIL\s+SHTTP-GET-01/);
    expect(section('server-a')).not.toMatch(/ERROR/);
    expect(section('server-b')).toMatch(/ERROR\s+RPC-ID-01/);
    expect(section('server-b')).not.toMatch(/SHTTP-GET-01/);
  });

  it('merges passing revisions into a range and details a failure', () => {
    expect(out).toMatch(/pass\s+RPC-ID-01\s+MUST\s+title RPC-ID-01\s+\[2025-03-26\.\.2025-11-25\]/);
    expect(out).toMatch(/expected: SSE or 405\n\s+actual:\s+409/);
    expect(out).toMatch(/reason:\s+target is gone: ECONNRESET/);
  });

  it('folds checks for other transports into one line, lists other skips, and ends with the summary', () => {
    expect(out).not.toMatch(/STDIO-FRAME-01/);
    expect(out).toMatch(/1 checks for other transports skipped/);
    expect(out).toMatch(/skip\s+SHTTP-CANCEL-01 .* — applies to servers with a slow tool/);
    expect(out.trimEnd().split('\n').pop()).toBe(
      '3 pass, 1 fail, 0 warn, 0 info, 2 skip, 1 error; a MUST check failed or a check could not complete (exit 1)',
    );
  });

  it('groups by catalog section, headed by the section number and title', () => {
    expect(out).toMatch(/\n {2}1\. JSON-RPC message rules\n[\s\S]*\n {2}6\. Streamable HTTP, 2025 shape\n/);
  });
});

describe('progress', () => {
  it('a TTY gets a live counter; a pipe gets lines only', () => {
    const writes: string[] = [];
    const tty = createProgress({ isTTY: true, write: (t: string) => writes.push(t) });
    tty.start(target('t'), 2);
    tty.result(judged({ index: 0, label: 't' }, 'RPC-ID-01', '2025-11-25', 'pass'));
    tty.message('hello');
    expect(writes[1]).toMatch(/^\r\x1b\[2K {2}\[1\/2\] RPC-ID-01 2025-11-25 pass$/);
    expect(writes[2]).toMatch(/^\r\x1b\[2Kmcp-harness: hello\n$/);

    const piped: string[] = [];
    const pipe = createProgress({ write: (t: string) => piped.push(t) });
    pipe.start(target('t'), 1);
    pipe.result(judged({ index: 0, label: 't' }, 'RPC-ID-01', '2025-11-25', 'pass'));
    pipe.finish('t', [judged({ index: 0, label: 't' }, 'RPC-ID-01', '2025-11-25', 'pass')]);
    expect(piped.every((l) => l.endsWith('\n') && !l.includes('\x1b'))).toBe(true);
    expect(piped).toHaveLength(2);
  });
});
