/**
 * What the bench is running and how long is left, on stderr (stdout stays for the summary).
 * On a TTY a bar rewritten in place; elsewhere (CI logs) one line per phase.
 */
import { escapeText } from '../report/escape.js';

export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

const CLEAR = '\r\x1b[2K';
const WIDTH = 24;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class ProgressBar {
  private doneMs = 0;
  private current: { label: string; estMs: number; start: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();

  constructor(
    private readonly out: ProgressOut,
    /** estimated total run time */
    private totalMs: number,
  ) {}

  /** A phase begins; `estMs` is its expected length. */
  begin(label: string, estMs: number): void {
    this.current = { label: escapeText(label), estMs, start: performance.now() };
    if (this.out.isTTY) {
      this.render();
      clearInterval(this.timer);
      this.timer = setInterval(() => this.render(), 500);
      this.timer.unref();
    } else {
      this.out.write(`[bench ${this.percent()}%, ~${formatDuration(this.remainingMs())} left] ${this.current.label}\n`);
    }
  }

  end(): void {
    if (this.current) this.doneMs += this.current.estMs;
    this.current = undefined;
    // The plan can change (a knee search ends early): never let done exceed the total.
    this.totalMs = Math.max(this.totalMs, this.doneMs);
  }

  /** Adjust the plan (phases skipped or added). */
  replan(deltaMs: number): void {
    this.totalMs = Math.max(this.doneMs, this.totalMs + deltaMs);
  }

  message(text: string): void {
    this.out.write(`${this.out.isTTY ? CLEAR : ''}${escapeText(text)}\n`);
    if (this.out.isTTY && this.current) this.render();
  }

  finish(): void {
    clearInterval(this.timer);
    const took = formatDuration(performance.now() - this.started);
    this.out.write(`${this.out.isTTY ? CLEAR : ''}bench done in ${took}\n`);
  }

  private elapsedInPhase(): number {
    return this.current ? Math.min(this.current.estMs, performance.now() - this.current.start) : 0;
  }

  private percent(): number {
    return this.totalMs > 0 ? Math.min(100, Math.round(((this.doneMs + this.elapsedInPhase()) / this.totalMs) * 100)) : 0;
  }

  private remainingMs(): number {
    return Math.max(0, this.totalMs - this.doneMs - this.elapsedInPhase());
  }

  private render(): void {
    const pct = this.percent();
    const filled = Math.round((pct / 100) * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    this.out.write(`${CLEAR}[${bar}] ${pct}% ~${formatDuration(this.remainingMs())} left  ${this.current?.label ?? ''}`);
  }
}
