/** Small statistics for repeated measurements. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Requests per second of a measured window. */
export function throughput(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 1000) / windowMs : 0;
}
