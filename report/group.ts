/**
 * How renderers slice a RunReport: by target, then by spec area. Kept in one place so the
 * renderers agree on it.
 */
import type { CheckResult, RunReport, TargetInfo } from './model.js';

/**
 * The label of the target a result came from. CheckResult has no field for it yet, and a run
 * over several targets of one transport (`--reference all`) needs it, so results carry it as
 * an extra member; `resultsOf` is the only reader.
 */
type TargetedResult = CheckResult & { target?: string };

export function tagWithTarget(results: readonly CheckResult[], label: string): CheckResult[] {
  return results.map((r) => ({ ...r, target: label }) as TargetedResult);
}

export function resultsOf(report: RunReport, target: TargetInfo): CheckResult[] {
  const tagged = report.results as readonly TargetedResult[];
  if (tagged.some((r) => r.target !== undefined)) return tagged.filter((r) => r.target === target.label);
  return tagged.filter((r) => r.transport === target.transport);
}

const OTHER_TRANSPORT = 'applies to ';

/** The skip reason for a check written for other transports; the console folds these into one line. */
export function otherTransportReason(transports: readonly string[]): string {
  return `${OTHER_TRANSPORT}${transports.join(' and ')} only`;
}

export function isOtherTransportSkip(result: CheckResult): boolean {
  return result.verdict === 'skip' && (result.reason ?? '').startsWith(OTHER_TRANSPORT);
}

const AREA_TITLES: Record<string, string> = {
  RPC: 'JSON-RPC messages',
  BATCH: 'JSON-RPC batching',
  LC: 'Lifecycle',
  MOD: 'Modern stateless protocol (2026-07-28)',
  STDIO: 'stdio transport',
  SHTTP: 'Streamable HTTP (2025)',
  SEC: 'HTTP security',
  H4: 'Streamable HTTP (2026-07-28)',
  LSSE: 'Legacy HTTP+SSE',
  COMPAT: 'Era fallback',
  AUTH: 'Authorization',
};

/** The spec area of a check: the first segment of its ID ("SHTTP" of "SHTTP-SESSION-04"). */
export function areaOf(id: string): string {
  return id.split('-')[0] ?? id;
}

export function areaTitle(area: string): string {
  return AREA_TITLES[area] ?? area;
}

/** Results grouped by area, then by check ID, keeping the order of first appearance. */
export function groupByAreaAndCheck(results: readonly CheckResult[]): Map<string, Map<string, CheckResult[]>> {
  const areas = new Map<string, Map<string, CheckResult[]>>();
  for (const r of results) {
    const area = areaOf(r.id);
    let checks = areas.get(area);
    if (!checks) {
      checks = new Map();
      areas.set(area, checks);
    }
    const list = checks.get(r.id);
    if (list) list.push(r);
    else checks.set(r.id, [r]);
  }
  return areas;
}
