/** Timing and memory helpers for the benchmark. */

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sorted.length ? sum / sorted.length : 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Milliseconds an async or sync call takes. */
export async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

export const MB = 1024 * 1024;

/** Resident set size now, in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** The process' peak resident set size so far, in MB (getrusage maxrss). */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** Rounds for the report: 3 significant digits below 10, else 1 decimal (or none past 1000). */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value);
  if (magnitude >= 10) return Math.round(value * 10) / 10;
  return Number(value.toPrecision(3));
}
