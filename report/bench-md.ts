/**
 * The Markdown summary of a bench run: per scenario, the targets side by side (throughput,
 * latency percentiles, errors, CPU and memory), the sweeps and knees, the in-run autocannon
 * calibration, and links to the charts. Reads the result model only. Labels come from the user
 * (URLs, command lines) and error texts from servers: both are escaped for a table cell.
 */
import type { AutocannonComparison } from '../load/autocannon-compare.js';
import type { LatencySummary } from '../load/histogram.js';
import type { RegressionRow } from '../load/regression.js';
import type { PhaseEntry, ScenarioResult, TargetEntry } from '../load/result.js';
import { describeWorkload } from '../load/workload.js';
import { escapeText } from './escape.js';
import { clip } from './text.js';

/** Room for a server's error text in a table cell: enough to recognise it, not enough to break the table. */
const ERROR_CHARS = 300;

/** Text for a table cell: inert in a terminal (escapeText), and no HTML, no column break, no code span. */
export function cell(text: string): string {
  return escapeText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

const ms = (us: number): string =>
  us >= 100_000 ? (us / 1000).toFixed(0) : us >= 10_000 ? (us / 1000).toFixed(1) : (us / 1000).toFixed(2);
const pct = (x: number): string => (x === 0 ? '0' : x < 0.0001 ? '<0.01' : (x * 100).toFixed(2));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const num = (x: number): string => Math.round(x).toLocaleString('en-US');

function errorsText(p: PhaseEntry): string {
  if (p.run.errors.total === 0) return '0';
  const kinds = Object.entries(p.run.errors.byDetail)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${pct(p.errorRate)} % (${kinds})`;
}

function latencyCells(l: LatencySummary): string {
  return `${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)}`;
}

function targetName(t: TargetEntry): string {
  return `${cell(t.label)} <br><sub>${t.transport}, ${t.revision}${t.hasSessions ? ', sessions' : ''}</sub>`;
}

function notRun(t: TargetEntry): string | undefined {
  if (t.error) return `error: ${cell(clip(t.error, ERROR_CHARS))}`;
  if (t.skipped) return `skipped: ${cell(t.skipped)}`;
  return undefined;
}

function singleTable(r: ScenarioResult, lines: string[]): void {
  const extra = r.scenario.workload.kind === 'progress' ? ' first event p50 / p99 | gap p50 / p99 | events |' : '';
  // The time to open a session matters where sessions are opened in numbers: per slot or per request.
  const init = r.scenario.sessions !== 'shared' ? ' initialize p50 / p99 |' : '';
  lines.push(`| target | req/s | p50 | p90 | p99 | p99.9 | max | errors |${init}${extra} generator CPU | server CPU | server RSS MiB |`);
  const cols = 11 + (init ? 1 : 0) + (extra ? 3 : 0);
  lines.push(`|${'---|'.repeat(1)}${'---:|'.repeat(cols - 1)}`);
  for (const t of r.targets) {
    const skip = notRun(t);
    const p = t.phases[0];
    if (skip || !p) {
      lines.push(`| ${targetName(t)} | ${skip ?? 'no data'} |${' |'.repeat(cols - 2)}`);
      continue;
    }
    const initCell = init ? ` ${p.initializeLatency ? `${ms(p.initializeLatency.p50)} / ${ms(p.initializeLatency.p99)}` : ''} |` : '';
    const pg = p.progressLatency;
    const extraCells = extra
      ? pg && pg.events > 0
        ? ` ${ms(pg.firstEvent.p50)} / ${ms(pg.firstEvent.p99)} | ${ms(pg.gap.p50)} / ${ms(pg.gap.p99)} | ${pg.events} / ${pg.expected} |`
        : ` none | none | ${pg?.events ?? 0} / ${pg?.expected ?? 0} |`
      : '';
    const server = p.server ? `${p.server.cpuPercent}% | ${mb(p.server.maxRssBytes)}` : 'n/a | n/a';
    lines.push(
      `| ${targetName(t)} | ${num(p.throughput)} | ${latencyCells(p.latency)} | ${errorsText(p)} |${initCell}${extraCells} ${p.generator.cpuPercent}% | ${server} |`,
    );
  }
}

function sweepTable(r: ScenarioResult, lines: string[]): void {
  const levels = r.scenario.plan.kind === 'concurrency-sweep' ? r.scenario.plan.levels : [];
  lines.push(`| target | ${levels.map((l) => `${l} in flight: req/s (p99 ms)`).join(' | ')} |`);
  lines.push(`|---|${levels.map(() => '---:|').join('')}`);
  for (const t of r.targets) {
    const skip = notRun(t);
    if (skip) {
      lines.push(`| ${targetName(t)} | ${skip} |${' |'.repeat(Math.max(0, levels.length - 1))}`);
      continue;
    }
    const cells = levels.map((l) => {
      const p = t.phases.find((x) => x.load.mode === 'closed' && x.load.concurrency === l);
      return p ? `${num(p.throughput)} (${ms(p.latency.p99)})${p.run.errors.total ? ` ⚠ ${pct(p.errorRate)} % errors` : ''}` : '';
    });
    lines.push(`| ${targetName(t)} | ${cells.join(' | ')} |`);
  }
}

function kneeTable(r: ScenarioResult, lines: string[]): void {
  lines.push('| target | knee (req/s) | rates tried: p99 ms, errors |');
  lines.push('|---|---:|---|');
  for (const t of r.targets) {
    const skip = notRun(t);
    if (skip || !t.knee) {
      lines.push(`| ${targetName(t)} | ${skip ?? 'no data'} | |`);
      continue;
    }
    const steps = t.knee.steps
      .map((s) => `${s.retry ? 'again ' : ''}${num(s.rate)}: ${ms(s.p99Us)}, ${pct(s.errorRate)} % ${s.pass ? '✓' : '✗'}`)
      .join('; ');
    lines.push(
      `| ${targetName(t)} | ${t.knee.rate === undefined ? `below ${num(Math.min(...t.knee.steps.map((x) => x.rate)))}` : num(t.knee.rate)} | ${steps} |`,
    );
  }
}

export function renderSummary(
  results: readonly ScenarioResult[],
  calibration: readonly AutocannonComparison[],
  charts: readonly string[],
  regressions: readonly RegressionRow[] = [],
): string {
  const lines: string[] = [];
  const run = results[0]?.run;
  lines.push(`# mcp-harness bench ${run ? cell(run.id) : ''}`);
  lines.push('');
  if (run) {
    const pin = run.pinned ? `server pinned to CPU ${run.pinned.server}, generator to CPU ${run.pinned.generator}` : 'not pinned';
    lines.push(
      `${run.startedAt}, ${run.host.cpus} CPUs, Node ${run.host.node}, ${run.workers} generator process${run.workers === 1 ? '' : 'es'}, ${pin}. Latencies in ms; req/s over the measured window (warm-up excluded). Open-loop latencies count from each request's due time.`,
    );
    lines.push('');
  }
  for (const r of results) {
    const s = r.scenario;
    lines.push(`## ${cell(s.title)}`);
    lines.push('');
    lines.push(
      `${cell(s.description)} Workload: ${cell(describeWorkload(s.workload))}; sessions: ${s.sessions}; ${s.warmupMs / 1000} s warm-up, ${s.durationMs / 1000} s measured per phase.`,
    );
    lines.push('');
    if (s.plan.kind === 'single') singleTable(r, lines);
    else if (s.plan.kind === 'concurrency-sweep') sweepTable(r, lines);
    else kneeTable(r, lines);
    const mine = charts.filter((c) => c.includes(`/${s.name}-`));
    if (mine.length > 0) {
      lines.push('');
      for (const c of mine) lines.push(`![${cell(s.name)}](${c})`);
    }
    lines.push('');
  }
  if (calibration.length > 0) {
    lines.push('## Calibration: the harness against autocannon, same server, same connections');
    lines.push('');
    lines.push('| target | connections | harness req/s | autocannon req/s | harness / autocannon | generator CPU |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const c of calibration) {
      const bad =
        c.autocannonErrors + c.autocannonNon2xx > 0 ? ` (autocannon: ${c.autocannonErrors} errors, ${c.autocannonNon2xx} non-2xx)` : '';
      lines.push(
        `| ${cell(c.target)} | ${c.connections} | ${num(c.harnessRps)} | ${num(c.autocannonRps)}${bad} | ${c.ratio.toFixed(2)}x | ${c.generatorCpuPercent}% |`,
      );
    }
    lines.push('');
    lines.push(
      'A ratio near 1x with the generator CPU below 100 % means the server, not the harness, set the pace. `npm run bench:calibrate` measures the ratios on minimal servers, pinned, with repeats.',
    );
    lines.push('');
  }
  if (regressions.length > 0) regressionTable(regressions, lines);
  return `${lines.join('\n')}\n`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
}

function regressionTable(rows: readonly RegressionRow[], lines: string[]): void {
  const bad = rows.filter((r) => r.regressed).length;
  lines.push(`## Against the baseline: ${bad === 0 ? 'no regression' : `${bad} regression${bad === 1 ? '' : 's'}`}`);
  lines.push('');
  lines.push('| scenario | target | load | req/s (baseline → now) | p99 ms (baseline → now) | |');
  lines.push('|---|---|---|---:|---:|---|');
  for (const r of rows) {
    lines.push(
      `| ${cell(r.scenario)} | ${cell(r.target)} | ${cell(r.phase)} | ${num(r.baselineThroughput)} → ${num(r.throughput)} (${signed(r.throughputChange)}) | ${ms(r.baselineP99Us)} → ${ms(r.p99Us)} (${signed(r.p99Change)}) | ${r.regressed ? '**regressed**' : ''} |`,
    );
  }
  lines.push('');
}
