/**
 * The benchmark's result model: one JSON file per scenario, versioned. It keeps the encoded
 * histograms next to their summaries, so that runs taken on several machines at once can be
 * merged exactly later (`mcp-harness merge`), and every renderer (Markdown, charts) reads this
 * and nothing else.
 */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type { LoadShape, Scenario, SessionStrategy } from '../scenarios/types.js';
import type { LatencySummary } from './histogram.js';
import { decodeHistogram, summarize } from './histogram.js';
import type { KneeStep } from './knee.js';
import { mergePhaseResults } from './merge.js';
import type { PhaseResult } from './phase.js';
import type { PinPlan } from './pin.js';
import { round, throughput } from './stats.js';

export const RESULT_SCHEMA_VERSION = 1 as const;

export interface PhaseSummary {
  /** "16 in flight", "2000 req/s" */
  label: string;
  load: LoadShape;
  strategy: SessionStrategy;
  /** generator processes on one machine */
  workers: number;
  /** machines whose runs were merged into this one (1 unless `merge` made it) */
  machines: number;
  /** completions per second in the measured window */
  throughput: number;
  latency: LatencySummary;
  /** failed / measured */
  errorRate: number;
  initializeLatency?: LatencySummary;
  progressLatency?: { firstEvent: LatencySummary; gap: LatencySummary; events: number; expected: number };
  /** open loop: how late the generator's sends left after their due time */
  lagLatency?: LatencySummary;
}

/** One phase: the summaries, then everything needed to merge it again (the raw PhaseResult). */
export type PhaseEntry = PhaseSummary & PhaseResult;

export interface TargetEntry {
  /** a reference server kind ("min-http") or "target" for --url/--cmd */
  id: string;
  /** what to show: a URL or a command line */
  label: string;
  description: string;
  transport: TransportKind;
  revision: Revision;
  hasSessions: boolean;
  phases: PhaseEntry[];
  knee?: { rate: number | undefined; p99BoundMs: number; maxErrorRate: number; steps: KneeStep[] };
  /** why this scenario does not apply to this target */
  skipped?: string;
  /** the run failed (the target refused sessions, died, ...) */
  error?: string;
}

export interface RunInfo {
  /** results/<id>/ */
  id: string;
  startedAt: string;
  host: { cpus: number; node: string; platform: string; hostname?: string };
  pinned?: PinPlan;
  workers: number;
}

export interface ScenarioResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'mcp-harness'; version: string };
  run: RunInfo;
  scenario: Scenario;
  targets: TargetEntry[];
}

function latencyOf(encoded: string): LatencySummary {
  return summarize(decodeHistogram(encoded));
}

export function phaseLabel(load: LoadShape): string {
  return load.mode === 'closed' ? `${load.concurrency} in flight` : `${Math.round(load.rate)} req/s`;
}

/** Summaries for a phase result (after merging workers or machines). */
export function toPhaseEntry(
  r: PhaseResult,
  meta: { load: LoadShape; strategy: SessionStrategy; workers: number; machines?: number },
): PhaseEntry {
  const entry: PhaseEntry = {
    label: phaseLabel(meta.load),
    load: meta.load,
    strategy: meta.strategy,
    workers: meta.workers,
    machines: meta.machines ?? 1,
    throughput: round(throughput(r.run.count, r.run.windowMs), 1),
    latency: latencyOf(r.run.histogram),
    errorRate: r.run.count > 0 ? r.run.errors.total / r.run.count : 0,
    ...r,
  };
  if (r.initialize) entry.initializeLatency = latencyOf(r.initialize);
  if (r.progress) {
    entry.progressLatency = {
      firstEvent: latencyOf(r.progress.firstEvent),
      gap: latencyOf(r.progress.gap),
      events: r.progress.events,
      expected: r.progress.expected,
    };
  }
  if (r.run.lag) entry.lagLatency = latencyOf(r.run.lag);
  return entry;
}

/** The raw part of an entry, for merging. */
export function toPhaseResult(e: PhaseEntry): PhaseResult {
  const r: PhaseResult = { run: e.run, generator: e.generator, hasSessions: e.hasSessions, startedAtEpochMs: e.startedAtEpochMs };
  if (e.server) r.server = e.server;
  if (e.initialize) r.initialize = e.initialize;
  if (e.progress) r.progress = e.progress;
  return r;
}

/** Merge phases taken at the same time on several machines (histograms add exactly). */
export function mergePhaseEntries(parts: readonly PhaseEntry[]): PhaseEntry {
  const first = parts[0]!;
  const merged = mergePhaseResults(parts.map(toPhaseResult));
  const load: LoadShape =
    first.load.mode === 'closed'
      ? { mode: 'closed', concurrency: parts.reduce((a, p) => a + (p.load as { concurrency: number }).concurrency, 0) }
      : {
          mode: 'open',
          rate: parts.reduce((a, p) => a + (p.load as { rate: number }).rate, 0),
          maxInFlight: parts.reduce((a, p) => a + (p.load as { maxInFlight: number }).maxInFlight, 0),
        };
  return toPhaseEntry(merged, {
    load,
    strategy: first.strategy,
    workers: parts.reduce((a, p) => a + p.workers, 0),
    machines: parts.reduce((a, p) => a + p.machines, 0),
  });
}

export function isScenarioResult(value: unknown): value is ScenarioResult {
  const v = value as ScenarioResult | undefined;
  return v?.schemaVersion === RESULT_SCHEMA_VERSION && Array.isArray(v.targets) && typeof v.scenario?.name === 'string';
}
