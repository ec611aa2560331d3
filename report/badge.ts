/**
 * The compliance badge, hosted by nobody: an SVG made by badge-maker (the library shields.io
 * itself renders with) to commit or publish as an artifact, and a shields.io endpoint JSON with
 * the same label, message and colour for those who prefer shields to draw it.
 */
import { makeBadge } from 'badge-maker';
import { headline, type Standing, standingOf, tally } from './digest.js';
import type { RunReport } from './model.js';

export const BADGE_LABEL = 'MCP transports';

/** shields' named colours, which both the SVG and the endpoint JSON accept */
const COLOR: Record<Standing, string> = { red: 'red', amber: 'orange', green: 'brightgreen' };

export interface Badge {
  label: string;
  message: string;
  color: string;
}

export function badgeOf(report: RunReport): Badge {
  const t = tally(report);
  return { label: BADGE_LABEL, message: headline(t), color: COLOR[standingOf(t)] };
}

export function renderBadgeSvg(report: RunReport): string {
  return `${makeBadge(badgeOf(report))}\n`;
}

/** https://shields.io/badges/endpoint-badge: schemaVersion 1 is that format's, not ours. */
export function renderBadgeEndpoint(report: RunReport): string {
  return `${JSON.stringify({ schemaVersion: 1, ...badgeOf(report) }, null, 2)}\n`;
}
