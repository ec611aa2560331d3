/**
 * One self-contained HTML file (no CDN, no fetch: it opens offline from a CI artifact): the
 * totals, a row per result with filters by verdict, level, transport, revision and section, and
 * each row's wire log one click away in a <details>. Rows are rendered here with every string
 * HTML-escaped (server text first goes through escapeText like every renderer); the one inline
 * script only toggles `hidden`, never builds markup. A Content-Security-Policy admits that script
 * alone, by hash, so even a missed escape could not run a server's script. Tokens were redacted
 * by the wire log before any renderer saw them.
 */
import { createHash } from 'node:crypto';
import { resultDetail } from './detail.js';
import { caseName, headline, inCatalogOrder, standingOf, tally, targetLabelOf } from './digest.js';
import { escapeText } from './escape.js';
import type { CheckResult, RunReport } from './model.js';
import { sectionLabel } from '../suites/sections.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value: control characters made visible, markup characters inert. */
export function html(text: string): string {
  return escapeText(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** The filters, each a data attribute on the rows and a <select> over the values that occur. */
const FILTERS = [
  { key: 'verdict', label: 'verdict', of: (r: CheckResult) => r.verdict },
  { key: 'level', label: 'level', of: (r: CheckResult) => r.level },
  { key: 'transport', label: 'transport', of: (r: CheckResult) => r.transport },
  { key: 'revision', label: 'revision', of: (r: CheckResult) => r.revision },
  { key: 'section', label: 'section', of: (r: CheckResult) => sectionLabel(r.id) },
] as const;

const SCRIPT = `
const selects = [...document.querySelectorAll('select[data-filter]')];
const rows = [...document.querySelectorAll('tbody tr')];
const shown = document.getElementById('shown');
function apply() {
  let n = 0;
  for (const row of rows) {
    const visible = selects.every((s) => s.value === '' || row.dataset[s.dataset.filter] === s.value);
    row.hidden = !visible;
    if (visible) n++;
  }
  shown.textContent = String(n);
}
for (const s of selects) s.addEventListener('change', apply);
apply();
`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; } .red { color: #c62828; } .amber { color: #b26a00; } .green { color: #2e7d32; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #ddd; vertical-align: top; }
td.v { font-weight: bold; } tr[data-verdict=fail] td.v, tr[data-verdict=error] td.v { color: #c62828; } tr[data-verdict=warn] td.v { color: #b26a00; }
tr[data-verdict=pass] td.v { color: #2e7d32; } tr[data-verdict=skip] td.v, tr[data-verdict=expected] td.v { color: #777; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 6px; margin: 4px 0; font-size: 12px; }
.filters label { margin-right: 1em; } .counts span { margin-right: 1em; }
`;

function select(key: string, label: string, values: string[]): string {
  const options = values.map((v) => `<option value="${html(v)}">${html(v)}</option>`).join('');
  return `<label>${label} <select data-filter="${key}"><option value="">all</option>${options}</select></label>`;
}

function row(r: CheckResult): string {
  const data = FILTERS.map((f) => `data-${f.key}="${html(f.of(r))}"`).join(' ');
  const note = r.known ? `expected failure (${r.known.was}): ${r.known.reason}` : (r.reason ?? '');
  // line by line: escapeText would show the line breaks themselves as \n
  const detail = [`${r.level}: ${r.requirement}`, ...resultDetail(r)].map(html).join('\n');
  return [
    `<tr ${data}>`,
    `<td class="v">${html(r.verdict)}</td><td>${html(r.level)}</td>`,
    `<td><code>${html(caseName(r))}</code> ${html(r.title)}${note ? `<br><small>${html(note)}</small>` : ''}`,
    `<details><summary>wire log</summary><pre>${detail}</pre></details></td>`,
    `<td>${html(targetLabelOf(r) ?? '')}</td>`,
    '</tr>',
  ].join('');
}

export function renderHtml(report: RunReport): string {
  const t = tally(report);
  const results = inCatalogOrder(report.results);
  const values = (of: (r: CheckResult) => string) => [...new Set(results.map(of))];
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  const counts = Object.entries(report.counts)
    .map(([v, n]) => `<span>${html(v)}: <b>${n}</b></span>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'">
<title>MCP transports: ${html(headline(t))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1 class="${standingOf(t)}">MCP transports: ${html(headline(t))}</h1>
<p>mcp-harness ${html(report.tool.version)} · profile ${html(report.profile)} · started ${html(report.startedAt)} · ${report.durationMs} ms · ${report.targets.map((x) => html(x.label)).join(', ')}</p>
<p class="counts">${counts}</p>
<p class="filters">${FILTERS.map((f) => select(f.key, f.label, values(f.of))).join('')} <span><b id="shown">${results.length}</b> shown</span></p>
<table>
<thead><tr><th>verdict</th><th>level</th><th>check</th><th>target</th></tr></thead>
<tbody>
${results.map(row).join('\n')}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
