export interface Distribution {
  total: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles of `values` (sorted here). */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { total: 0, min: 0, p50: 0, p95: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  let total = 0;
  for (const v of sorted) total += v;
  return { total, min: sorted[0], p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1] };
}

export interface HistogramBin {
  /** Rows whose length is in [from, to). */
  from: number;
  to: number;
  rows: number;
}

/** Equal-width bins from 0 past the longest row and the limit, so the limit falls on a bin edge. */
export function histogram(values: readonly number[], limit: number | undefined, bins = 24): HistogramBin[] {
  let top = Math.max(1, limit ?? 0);
  for (const v of values) if (v > top) top = v;
  // With a limit, bins are limit / k wide so one edge is exactly at the limit.
  const width = limit ? limit / Math.max(1, Math.floor((bins * limit) / top)) : Math.ceil(top / bins);
  const count = Math.max(1, Math.floor(top / width) + 1);
  const rows = new Array<number>(count).fill(0);
  for (const v of values) rows[Math.min(count - 1, Math.floor(v / width))]++;
  return rows.map((n, i) => ({ from: Math.round(i * width), to: Math.round((i + 1) * width), rows: n }));
}
