/**
 * The charts of a bench run, one per question: latency percentiles per target, throughput
 * against concurrency, latency over time, p99 against offered rate. Each is a chart.js
 * configuration built from the result model only; report/png-chart.ts draws them, and
 * renderCharts writes the PNGs under results/<run>/charts/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartConfiguration } from 'chart.js';
import type { ScenarioResult, TargetEntry } from '../load/result.js';
import { drawPng } from './png-chart.js';

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const measured = (t: TargetEntry): boolean => !t.error && !t.skipped && t.phases.length > 0;
const toMs = (us: number): number => us / 1000;

/** Grouped bars: p50, p90, p99, p99.9 for each target (log scale, ms). */
export function latencyChart(r: ScenarioResult): ChartConfiguration | undefined {
  const targets = r.targets.filter(measured);
  if (targets.length === 0) return undefined;
  const keys = [
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p999', 'p99.9'],
  ] as const;
  return {
    type: 'bar',
    data: {
      labels: targets.map((t) => `${t.label} (${t.transport})`),
      datasets: keys.map(([k, label], i) => ({
        label,
        data: targets.map((t) => toMs(t.phases[0]!.latency[k])),
        backgroundColor: COLORS[i],
      })),
    },
    options: {
      plugins: { title: { display: true, text: `${r.scenario.title}: latency percentiles (ms)` } },
      scales: { y: { type: 'logarithmic', title: { display: true, text: 'ms (log)' } } },
    },
  };
}

/** Lines: throughput against concurrency, one per target. */
export function concurrencyChart(r: ScenarioResult): ChartConfiguration | undefined {
  if (r.scenario.plan.kind !== 'concurrency-sweep') return undefined;
  const levels = r.scenario.plan.levels;
  const targets = r.targets.filter(measured);
  if (targets.length === 0) return undefined;
  return {
    type: 'line',
    data: {
      labels: levels.map(String),
      datasets: targets.map((t, i) => ({
        label: `${t.label} (${t.transport})`,
        data: levels.map((l) => t.phases.find((p) => p.load.mode === 'closed' && p.load.concurrency === l)?.throughput ?? null),
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
      })),
    },
    options: {
      plugins: { title: { display: true, text: `${r.scenario.title}: throughput against concurrency` } },
      scales: {
        x: { title: { display: true, text: 'requests in flight' } },
        // Transports differ by orders of magnitude (an SDK server over HTTP against a bare stdio
        // loop): on a linear axis all but the fastest would lie flat along the bottom.
        y: { type: 'logarithmic', title: { display: true, text: 'requests/s (log)' } },
      },
    },
  };
}

/** Lines: p99 per second of the measured window, one per target. */
export function timelineChart(r: ScenarioResult): ChartConfiguration | undefined {
  const targets = r.targets.filter(measured);
  if (targets.length === 0) return undefined;
  const seconds = Math.max(...targets.map((t) => t.phases[0]!.run.series.length));
  if (seconds === 0) return undefined;
  return {
    type: 'line',
    data: {
      labels: Array.from({ length: seconds }, (_, i) => String(i + 1)),
      datasets: targets.map((t, i) => ({
        label: `${t.label} (${t.transport}) p99`,
        data: t.phases[0]!.run.series.map((p) => toMs(p.p99)),
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
      })),
    },
    options: {
      plugins: { title: { display: true, text: `${r.scenario.title}: p99 latency over time (ms)` } },
      scales: {
        x: { title: { display: true, text: 'second of the measured window' } },
        y: { type: 'logarithmic', title: { display: true, text: 'ms (log)' } },
      },
    },
  };
}

/** Lines: p99 against offered rate during the knee search, one per target. */
export function kneeChart(r: ScenarioResult): ChartConfiguration | undefined {
  if (r.scenario.plan.kind !== 'rate-sweep') return undefined;
  const targets = r.targets.filter((t) => t.knee && t.knee.steps.length > 0);
  if (targets.length === 0) return undefined;
  return {
    type: 'scatter',
    data: {
      datasets: targets.map((t, i) => ({
        label: `${t.label} (${t.transport})`,
        data: [...t.knee!.steps].sort((a, b) => a.rate - b.rate).map((s) => ({ x: s.rate, y: toMs(s.p99Us) })),
        showLine: true,
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
      })),
    },
    options: {
      plugins: { title: { display: true, text: `${r.scenario.title}: p99 against offered rate` } },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'requests/s offered (log)' } },
        y: { type: 'logarithmic', title: { display: true, text: 'p99 ms (log)' } },
      },
    },
  };
}

/** Render every chart that applies; returns the files written. */
export async function renderCharts(dir: string, results: readonly ScenarioResult[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, config: ChartConfiguration | undefined): void => {
    if (!config) return;
    const file = join(dir, `${name}.png`);
    writeFileSync(file, drawPng(config));
    files.push(file);
  };
  for (const r of results) {
    const name = r.scenario.name;
    if (r.scenario.plan.kind === 'single') {
      put(`${name}-latency`, latencyChart(r));
      put(`${name}-timeline`, timelineChart(r));
    } else if (r.scenario.plan.kind === 'concurrency-sweep') {
      put(`${name}-throughput`, concurrencyChart(r));
    } else {
      put(`${name}-knee`, kneeChart(r));
    }
  }
  return files;
}
