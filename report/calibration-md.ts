/**
 * The calibration report as Markdown: the harness's request rates against autocannon's and a
 * bare stdio parent's (medians and paired ratios, with the ratio wanted), and whether open loop
 * showed the stall server's stall that closed loop hides. Reads the report only; labels are the
 * harness's own, not server text.
 */
import type { CalibrationReport } from '../load/calibrate.js';

export function formatCalibration(r: CalibrationReport): string {
  const lines: string[] = [];
  const pinned = r.pinned
    ? `server on CPU ${r.pinned.server}, generator on CPU ${r.pinned.generator}`
    : r.tasksetAvailable
      ? 'not pinned (one CPU)'
      : 'not pinned (no taskset)';
  lines.push(`Calibration: ${r.cpus} CPUs, ${pinned}; medians of ${r.repeats} repeats of ${r.durationMs / 1000} s`);
  lines.push('');
  lines.push('| comparison | harness req/s | reference req/s | ratio of medians | median of paired ratios | wanted | generator CPU |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const x of [...r.http, ...r.stdio, r.referenceVsMinimal]) {
    const ok = x.ratio >= x.target ? 'ok' : 'BELOW';
    const cpu = x.generatorCpu === undefined ? '' : `${x.generatorCpu}%`;
    lines.push(
      `| ${x.label} | ${x.oursMedian} | ${x.theirsMedian} | ${x.ratio.toFixed(2)}x | ${x.pairedRatio.toFixed(2)}x | >= ${x.target}x (${ok}) | ${cpu} |`,
    );
  }
  const s = r.openVsClosed;
  lines.push('');
  lines.push(
    `Stall server (${s.stallMs} ms once a second): open-loop p99 ${(s.openP99Us / 1000).toFixed(1)} ms (${s.openShowsStall ? 'shows the stall' : 'MISSES the stall'}), closed-loop p99 ${(s.closedP99Us / 1000).toFixed(1)} ms (${s.closedHidesStall ? 'hides it' : 'does not hide it'}); max ${(s.openMaxUs / 1000).toFixed(1)} / ${(s.closedMaxUs / 1000).toFixed(1)} ms`,
  );
  return lines.join('\n');
}
