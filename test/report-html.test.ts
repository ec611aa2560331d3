/**
 * The HTML report in a real headless Chromium (Debian's, driven by playwright-core): built from
 * a RunReport made here, whose server text holds <script> and an onerror handler and whose wire
 * log went through a real WireLog with a Bearer token. No script of the server's runs, its text
 * shows as text, the token is nowhere, the page asks for nothing over the network, the wire log
 * opens with one click, and the verdict filter changes the visible rows. A screenshot is kept
 * under results/ as a CI artifact. Outside CI a machine without Chromium skips; in CI it fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../cli/self.js';
import { WireLog } from '../drivers/wire-log.js';
import { applyExpectedFailures } from '../cli/expected-failures.js';
import { renderHtml } from '../report/html.js';
import { reportOf, result } from './report-fixture.js';
import { sectionLabel } from '../suites/sections.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const TOKEN = 'secret-token-5f3a9c';
const EVIL = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

function hostileReport() {
  const log = new WireLog();
  log.record({
    channel: 'http',
    direction: 'out',
    summary: 'POST /mcp -> 200',
    http: {
      method: 'POST',
      url: 'http://127.0.0.1:9/mcp',
      requestHeaders: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      requestBody: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
      status: 200,
      responseBody: JSON.stringify({ jsonrpc: '2.0', id: 2, result: { tools: [{ name: EVIL, inputSchema: { type: 'object' } }] } }),
    },
  });
  const results = [
    result({ id: 'RPC-ID-01', verdict: 'pass' }),
    result({ id: 'RPC-ID-01', verdict: 'pass', revision: '2025-06-18' }),
    result({ id: 'SHTTP-POST-01', verdict: 'fail', expected: '202', actual: `a tool named ${EVIL}`, evidence: [...log.entries()] }),
    result({ id: 'SEC-ORIGIN-02', level: 'SHOULD', verdict: 'warn', expected: '403', actual: '200' }),
    result({ id: 'AUTH-TOK-01', verdict: 'skip', reason: 'needs --auth-token' }),
    result({ id: 'LC-VER-02', verdict: 'fail', transport: 'http', revision: '2025-06-18', actual: 'x' }),
  ];
  return reportOf(applyExpectedFailures(results, [{ id: 'LC-VER-02', reason: 'known' }]).results);
}

describe.skipIf(!hasChromium && !process.env.CI)('the HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-harness-html-'));
  const file = join(dir, 'report.html');
  const page_ = { page: undefined as Page | undefined, requests: [] as string[], dialogs: 0 };
  let browser: Browser | undefined;
  let text = '';

  beforeAll(async () => {
    text = renderHtml(hostileReport());
    writeFileSync(file, text);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    page.on('request', (r) => page_.requests.push(r.url()));
    page.on('dialog', (d) => {
      page_.dialogs++;
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { timeout: 30_000 });
    page_.page = page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const page = () => page_.page as Page;
  const visibleRows = () => page().locator('tbody tr:visible').count();

  it('runs no script of the server and shows its text as text', async () => {
    expect(await page().evaluate('window.__pwned')).toBeUndefined();
    expect(await page().evaluate('document.scripts.length')).toBe(1);
    expect(await page().locator('img').count()).toBe(0);
    expect(page_.dialogs).toBe(0);
    await expect(page().locator('tbody').textContent()).resolves.toContain(
      'a tool named <script>window.__pwned = 1</script><img src=x onerror=',
    );
  });

  it('asks nothing of the network and holds no token', () => {
    expect(page_.requests).toEqual([pathToFileURL(file).href]);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('Bearer &lt;redacted');
  });

  it('shows the totals and a wire log one click away', async () => {
    await expect(page().locator('h1').textContent()).resolves.toBe('MCP transports: 2025-06-18..2025-11-25 · 1 MUST failed · 2/5');
    const row = page().locator('tbody tr[data-verdict=fail]');
    const log = row.locator('pre');
    expect(await log.isVisible()).toBe(false);
    await row.locator('summary').click();
    expect(await log.isVisible()).toBe(true);
    await expect(log.textContent()).resolves.toContain('POST /mcp -> 200');
    await expect(log.textContent()).resolves.toContain('\nexpected: 202\nactual:   a tool named <script>');
  });

  it('the filters change the visible rows', async () => {
    expect(await visibleRows()).toBe(6);
    await page().selectOption('select[data-filter=verdict]', 'fail');
    expect(await visibleRows()).toBe(1);
    await expect(page().locator('#shown').textContent()).resolves.toBe('1');
    await page().selectOption('select[data-filter=verdict]', '');
    await page().selectOption('select[data-filter=revision]', '2025-06-18');
    expect(await visibleRows()).toBe(2);
    await page().selectOption('select[data-filter=section]', sectionLabel('LC-INIT-01'));
    expect(await visibleRows()).toBe(1);
    await expect(page().locator('tbody tr:visible td.v').textContent()).resolves.toBe('expected');
    await page().selectOption('select[data-filter=section]', '');
    await page().selectOption('select[data-filter=revision]', '');
    await page().selectOption('select[data-filter=level]', 'SHOULD');
    expect(await visibleRows()).toBe(1);
    await page().selectOption('select[data-filter=level]', '');
    await page().selectOption('select[data-filter=transport]', 'http');
    expect(await visibleRows()).toBe(6);
  });

  it('keeps a screenshot for CI', async () => {
    const out = join(PROJECT_ROOT, 'results');
    mkdirSync(out, { recursive: true });
    await page().screenshot({ path: join(out, 'report-html.png'), fullPage: true });
    expect(existsSync(join(out, 'report-html.png'))).toBe(true);
  });
});
