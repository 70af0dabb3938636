// When to stop measuring a concurrency level, as in Triton's perf_analyzer: the last `count` windows
// are stable when each one's throughput and mean latency lie within `tolerance` (a fraction, 0.1 =
// ±10%) of their mean over those windows.

/** What one measurement window saw. */
export interface WindowStats {
  /** Successful calls per second. */
  readonly throughput: number;
  /** Mean latency (ms) of the successful calls; NaN when there were none. */
  readonly meanLatencyMs: number;
  /** Calls that ended in the window (successful or not). */
  readonly calls: number;
}

/** Whether `values` all lie within ±tolerance of their mean. */
export function withinTolerance(values: readonly number[], tolerance: number): boolean {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) return false;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.every((v) => Math.abs(v - mean) <= tolerance * Math.abs(mean));
}

/** Whether the last `count` windows are stable (false while there are fewer). */
export function isStable(windows: readonly WindowStats[], tolerance: number, count = 3): boolean {
  if (windows.length < count) return false;
  const last = windows.slice(-count);
  // A window in which nothing finished says nothing about stability.
  if (last.some((w) => w.calls === 0)) return false;
  if (last.every((w) => w.throughput === 0)) return true; // every call failed: stable, and reported as errors
  return withinTolerance(last.map((w) => w.throughput), tolerance) && withinTolerance(last.map((w) => w.meanLatencyMs), tolerance);
}
