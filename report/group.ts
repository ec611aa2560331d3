/**
 * How renderers slice a RunReport: by target, then by spec area. Kept in one place so the
 * renderers agree on it.
 */
import type { CheckResult } from './model.js';

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
