/** Server-controlled text reaches the terminal and the JSON file inert, through one function. */
import { describe, expect, it } from 'vitest';
import type { WireEntry } from '../drivers/wire-log.js';
import { buildReport } from '../report/build.js';
import { renderConsole } from '../report/console.js';
import { resultDetail } from '../report/detail.js';
import { escapeJsonText, escapeText } from '../report/escape.js';
import { renderJson } from '../report/json.js';
import type { CheckResult, TargetInfo } from '../report/model.js';

describe('escapeText', () => {
  it.each([
    ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['title\x1b]0;owned\x07', 'title\\x1b]0;owned\\x07'],
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['nul\x00del\x7f', 'nul\\x00del\\x7f'],
    ['csi8\x9b2J', 'csi8\\x9b2J'],
    ['rtl\u202eevil\u2066', 'rtl\\u202eevil\\u2066'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['plain ünïcødé ✓ text', 'plain ünïcødé ✓ text'],
  ])('%j', (input, shown) => {
    expect(escapeText(input)).toBe(shown);
  });

  it('escapeJsonText keeps JSON valid and the data exact', () => {
    const value = { name: 'x\u009b2J\u202e', n: 1 };
    const text = escapeJsonText(JSON.stringify(value, null, 2));
    expect(text).not.toMatch(/[\u009b\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

const EVIL = 'evil\x1b[2J\x1b[1;1H    pass  FORGED-01\n\x9b31m\u202egnp.exe';

function evilReport() {
  const evidence: WireEntry[] = [
    { seq: 0, at: 1, channel: 'stdout', direction: 'in', summary: `stdout: ${EVIL}`, data: `{"name":"${EVIL}"}` },
    {
      seq: 1,
      at: 2,
      channel: 'http',
      direction: 'out',
      summary: 'POST /mcp -> 200',
      http: { method: 'POST', url: 'http://127.0.0.1/mcp', requestHeaders: {}, responseBody: EVIL, events: [{ data: EVIL, event: EVIL }] },
    },
  ];
  const label = `node ${EVIL}`;
  const result: CheckResult = {
    id: 'RPC-ERR-03',
    title: 'Unknown method → -32601',
    requirement: 'r',
    level: 'MUST',
    spec: 'https://modelcontextprotocol.io/specification/2025-11-25/basic',
    transport: 'stdio',
    revision: '2025-11-25',
    verdict: 'fail',
    expected: '-32601',
    actual: `tool ${EVIL}`,
    reason: EVIL,
    evidence,
    target: { index: 0, label },
    startOffsetMs: 0,
    durationMs: 3,
  };
  const target: TargetInfo = {
    label,
    transport: 'stdio',
    supportedRevisions: ['2025-11-25'],
    testedRevisions: ['2025-11-25'],
    serverInfo: { name: EVIL, version: '1' },
    phases: [],
  };
  return buildReport([target], [result], new Date());
}

describe('renderers escape what the server sent', () => {
  it('console without colour prints no control character at all', () => {
    const out = renderConsole(evilReport(), { color: false });
    // Newlines are the renderer's own; every other control character is gone.
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('\\x1b[2J');
    expect(out).toContain('\\u202e');
    // The server's newline could not start a forged report line.
    expect(out.split('\n').some((l) => /^\s+pass\s+FORGED-01/.test(l))).toBe(false);
  });

  it('console with colour uses only its own SGR sequences', () => {
    const out = renderConsole(evilReport(), { color: true });
    const withoutOurs = out.replace(/\x1b\[\d+m/g, '');
    expect(withoutOurs).not.toContain('\x1b');
    expect(out).toContain('\\x1b[1;1H');
  });

  it('the detail text used by the vitest mode is escaped too', () => {
    const text = resultDetail(evilReport().results[0] as CheckResult).join('\n');
    expect(text).not.toMatch(/[\u001b\u009b\u202e]/);
  });

  it('JSON keeps the text exact but inert', () => {
    const report = evilReport();
    const text = renderJson(report);
    expect(text).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(JSON.parse(text).results[0].actual).toBe(`tool ${EVIL}`);
  });
});
