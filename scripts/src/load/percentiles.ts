// Percentiles of latency lists, interpolated linearly between the closest ranks (numpy's default,
// which vLLM's serving benchmark reports), and the summary of a list of samples.
import type { Percentiles, Sample } from './types.js';

/** The p-th percentile (0 ≤ p ≤ 100) of `xs`; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

/** p50, p90 and p99 of `xs`. */
export function percentiles(xs: readonly number[]): Percentiles {
  return { p50: percentile(xs, 50), p90: percentile(xs, 90), p99: percentile(xs, 99) };
}

/** Counts of the failed samples by code. */
export function errorCounts(samples: readonly Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (!s.ok) out[s.code] = (out[s.code] ?? 0) + 1;
  return out;
}

/** Latency (ms) of every successful sample. */
export function okLatencies(samples: readonly Sample[]): number[] {
  return samples.filter((s) => s.ok).map((s) => s.endMs - s.startMs);
}
