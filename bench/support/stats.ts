/**
 * Summaries of samples. Percentiles use the nearest-rank method (the smallest sample with at least p % of the samples
 * at or below it): every reported figure is a value that was actually observed, never an interpolation.
 */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] ?? Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Rounds for reports: JSON gets no spurious precision (a millisecond timer cannot resolve 0.001 ms). */
export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `a / b` that reports null instead of Infinity or NaN when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number, digits = 3): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  return round(numerator / denominator, digits);
}

/** A Summary rounded for the results file; NaN (no samples) becomes null, which JSON can carry. */
export function reportSummary(summary: Summary, digits = 1): Record<keyof Summary, number | null> {
  const out = {} as Record<keyof Summary, number | null>;
  for (const key of Object.keys(summary) as (keyof Summary)[]) {
    const value = summary[key];
    out[key] = Number.isFinite(value) ? round(value, key === 'count' ? 0 : digits) : null;
  }
  return out;
}
