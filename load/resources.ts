/**
 * CPU and memory of the processes in a run: the generator's own (process.cpuUsage, so a report
 * can show whether the client was the bottleneck) and the server's when the harness started it
 * (from /proc/<pid>/stat, Linux only; elsewhere the server figures are absent, not zero).
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat. 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_S = 100;
const PAGE_BYTES = 4096;

export interface ProcSample {
  /** user + system CPU time since the process started, ms */
  cpuMs: number;
  rssBytes: number;
}

/** One reading of /proc/<pid>/stat, or undefined when the process is gone or there is no /proc. */
export function readProcStat(pid: number): ProcSample | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, rss 24.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_S, rssBytes: rssPages * PAGE_BYTES };
}

export interface ResourceUsage {
  /** CPU time used during the window, ms */
  cpuMs: number;
  /** cpuMs over the window's wall time, in percent of one core (can exceed 100 with threads) */
  cpuPercent: number;
  /** highest resident set size seen, bytes (summed over the processes) */
  maxRssBytes: number;
  /** processes measured */
  pids: number[];
}

/**
 * Samples a set of processes once a second (for peak memory) and reads their CPU time at the
 * start and the end. Processes can join later (a stdio server spawned per session).
 */
export class ProcessSampler {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private maxRss = 0;
  private timer: NodeJS.Timeout | undefined;
  private startMs = 0;

  start(pids: readonly number[] = [], intervalMs = 1000): void {
    this.startMs = performance.now();
    for (const pid of pids) this.add(pid);
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  add(pid: number): void {
    if (this.first.has(pid)) return;
    const s = readProcStat(pid);
    if (!s) return;
    this.first.set(pid, s.cpuMs);
    this.last.set(pid, s.cpuMs);
    this.maxRss = Math.max(this.maxRss, s.rssBytes);
  }

  private sample(): void {
    let rss = 0;
    for (const pid of this.first.keys()) {
      const s = readProcStat(pid);
      if (!s) continue;
      this.last.set(pid, s.cpuMs);
      rss += s.rssBytes;
    }
    this.maxRss = Math.max(this.maxRss, rss);
  }

  /** Stop sampling; undefined when no process could be read. */
  stop(): ResourceUsage | undefined {
    clearInterval(this.timer);
    this.sample();
    if (this.first.size === 0) return undefined;
    let cpuMs = 0;
    for (const [pid, begin] of this.first) cpuMs += (this.last.get(pid) ?? begin) - begin;
    const wall = performance.now() - this.startMs;
    return {
      cpuMs,
      cpuPercent: wall > 0 ? Math.round((cpuMs / wall) * 1000) / 10 : 0,
      maxRssBytes: this.maxRss,
      pids: [...this.first.keys()],
    };
  }
}

/** The generator's own CPU over a window: call the returned function at the end. */
export function measureSelf(): () => ResourceUsage {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let maxRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    const d = process.cpuUsage(cpu0);
    const cpuMs = (d.user + d.system) / 1000;
    const wall = performance.now() - t0;
    return {
      cpuMs: Math.round(cpuMs),
      cpuPercent: wall > 0 ? Math.round((cpuMs / wall) * 1000) / 10 : 0,
      maxRssBytes: Math.max(maxRss, process.memoryUsage.rss()),
      pids: [process.pid],
    };
  };
}

/** Sum usages measured over the same window (several workers, several server processes). */
export function sumUsage(parts: readonly (ResourceUsage | undefined)[]): ResourceUsage | undefined {
  const present = parts.filter((p): p is ResourceUsage => p !== undefined);
  if (present.length === 0) return undefined;
  return {
    cpuMs: present.reduce((a, p) => a + p.cpuMs, 0),
    cpuPercent: Math.round(present.reduce((a, p) => a + p.cpuPercent, 0) * 10) / 10,
    maxRssBytes: present.reduce((a, p) => a + p.maxRssBytes, 0),
    pids: present.flatMap((p) => p.pids),
  };
}
