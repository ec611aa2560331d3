/**
 * The CI renderers over hand-built RunReports: JUnit read back by an independent parser
 * (fast-xml-parser), Markdown escaping of server text, the badge's colour rule. The CLI test
 * (cli-report.test.ts) runs them on a real faulty server.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { badgeOf, renderBadgeEndpoint, renderBadgeSvg } from '../report/badge.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { mdFence, mdInline } from '../report/markdown-text.js';
import { SECTIONS, sectionLabel } from '../suites/sections.js';
import { type Case, HOSTILE, junitCases, mixedReport, reportOf, result } from './report-fixture.js';

describe('JUnit', () => {
  const report = mixedReport();
  const xml = renderJunit(report);
  const cases = junitCases(xml);

  it('one testcase per result, named by ID, transport and revision, classed by catalog section', () => {
    expect(cases).toHaveLength(report.results.length);
    const names = cases.map((c) => c['@_name']);
    expect(names).toContain('RPC-ID-01 [http 2025-06-18] title of RPC-ID-01');
    expect(names).toContain('RPC-ID-01 [http 2025-11-25] title of RPC-ID-01');
    const post = cases.find((c) => c['@_name'].startsWith('SHTTP-POST-01')) as Case;
    expect(post['@_classname']).toBe('06 Streamable HTTP, 2025 shape');
    expect(cases.find((c) => c['@_name'].startsWith('AUTH-'))?.['@_classname']).toBe('10 Authorization');
  });

  it('a fail is a failure carrying requirement, expected, actual and the wire log', () => {
    const failures = cases.filter((c) => c.failure);
    expect(failures.map((c) => c['@_name'].split(' ')[0])).toEqual(['SHTTP-POST-01']);
    const f = (failures[0] as Case).failure as NonNullable<Case['failure']>;
    expect(f['@_type']).toBe('MUST');
    expect(f['@_message']).toContain('expected 202');
    expect(f['#text']).toContain('MUST: requirement of SHTTP-POST-01');
    expect(f['#text']).toContain('expected: 202');
    expect(f['#text']).toContain('POST /mcp -> 200');
    // the server's text arrives intact (as data), its control characters escaped
    expect(f['#text']).toContain('<script>window.__pwned = 1</script>');
    expect(f['#text']).not.toContain('\x1b');
    expect(f['#text']).toContain('\\x1b[31m');
  });

  it('an error is an error, a skip is skipped with its cause, warn and info pass with their detail', () => {
    const error = cases.find((c) => c['@_name'].startsWith('LC-VER-02')) as Case;
    expect(error.error?.['@_message']).toContain('overran its deadline');
    const skip = cases.find((c) => c['@_name'].startsWith('AUTH-TOK-01')) as Case;
    expect(skip.skipped).toBeDefined();
    expect(skip['system-out']).toBe('skipped (token): needs --auth-token');
    const warn = cases.find((c) => c['@_name'].startsWith('SEC-ORIGIN-02')) as Case;
    expect(warn.failure ?? warn.error ?? warn.skipped).toBeUndefined();
    expect(warn['@_name']).toContain('(WARN)');
    expect(warn['system-out']).toContain('expected: 403');
  });

  it('the totals on testsuites agree with the report', () => {
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites).toMatchObject({
      '@_tests': String(report.results.length),
      '@_failures': '1',
      '@_errors': '1',
      '@_skipped': '1',
    });
  });
});

describe('Markdown summary', () => {
  const md = renderMarkdown(mixedReport());

  it('headline and totals, MUST failures before SHOULD, passes folded', () => {
    expect(md.split('\n')[0]).toBe('## 🔴 MCP transports: 2025-06-18..2025-11-25 · 2 MUST failed · 2/6');
    expect(md).toContain('**2 MUST failed** · 1 SHOULD failed');
    const must = md.indexOf('### MUST failures (2)');
    const should = md.indexOf('### SHOULD failures (1)');
    const passes = md.indexOf('<details><summary>2 passed</summary>');
    expect(must).toBeGreaterThan(0);
    expect(should).toBeGreaterThan(must);
    expect(passes).toBeGreaterThan(should);
    expect(md.indexOf('SHTTP-POST-01')).toBeLessThan(should);
    expect(md).toContain('- `RPC-ID-01` title of RPC-ID-01 (http 2025-06-18..2025-11-25)');
  });

  it('server text cannot inject markup: inline text is neutralised and the evidence fence outlasts its backticks', () => {
    // outside fences no raw tag survives
    const outsideFences = md.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toContain('<script>');
    expect(md).toContain('````text');
    expect(mdInline(HOSTILE)).toBe('&lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt; \\`\\`\\` \\*\\*bold\\*\\* \\\\x1b\\[31m');
    expect(mdFence(['a ````` b'])).toMatch(/^`{6}text\n/);
  });
});

describe('badge', () => {
  it('red on a MUST failure, amber on SHOULD failures only, green otherwise', () => {
    expect(badgeOf(mixedReport()).color).toBe('red');
    const amber = reportOf([
      result({ id: 'RPC-ID-01', verdict: 'pass' }),
      result({ id: 'SEC-ORIGIN-02', level: 'SHOULD', verdict: 'warn' }),
    ]);
    expect(badgeOf(amber)).toEqual({ label: 'MCP transports', message: '2025-06-18..2025-11-25 · 0 MUST failed · 1/2', color: 'orange' });
    const green = reportOf([result({ id: 'RPC-ID-01', verdict: 'pass' }), result({ id: 'AUTH-TOK-01', verdict: 'skip', reason: 'x' })]);
    expect(badgeOf(green)).toMatchObject({ message: '2025-06-18..2025-11-25 · 0 MUST failed · 1/1', color: 'brightgreen' });
  });

  it('an SVG that says it, and a shields endpoint JSON that says the same', () => {
    const report = mixedReport();
    const svg = renderBadgeSvg(report);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('MCP transports');
    expect(svg).toContain('2 MUST failed');
    expect(JSON.parse(renderBadgeEndpoint(report))).toEqual({ schemaVersion: 1, ...badgeOf(report) });
  });
});

it('sections follow the catalog numbering, with the titles of suites/sections.ts', () => {
  const ids = [
    'RPC-ID-01',
    'BATCH-01',
    'LC-VER-02',
    'MOD-CAP-01',
    'STDIO-FRAME-01',
    'SHTTP-GET-01',
    'SEC-ORIGIN-01',
    'H4-POST-01',
    'LSSE-EP-01',
    'COMPAT-SRV-01',
    'AUTH-TOK-01',
  ];
  const title = (n: number) => SECTIONS.find((s) => s.number === n)?.title;
  expect(ids.map(sectionLabel)).toEqual([
    `01 ${title(1)}`,
    `02 ${title(2)}`,
    `03 ${title(3)}`,
    `04 ${title(4)}`,
    `05 ${title(5)}`,
    `06 ${title(6)}`,
    `07 ${title(7)}`,
    `08 ${title(8)}`,
    `09 ${title(9)}`,
    `09 ${title(9)}`,
    `10 ${title(10)}`,
  ]);
  expect(sectionLabel('XYZ-01')).toBe('XYZ');
});
