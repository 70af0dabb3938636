// Small statistics and formatting helpers for benchmark output.

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Smallest and largest value. */
export function range(xs: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...xs), max: Math.max(...xs) };
}

/** Mebibytes per second for `bytes` moved in `ms` milliseconds. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / (1 << 20) / (ms / 1000);
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}

/** A number right-aligned in `width` characters with `digits` decimals. */
export function num(n: number, digits = 1, width = 8): string {
  return n.toFixed(digits).padStart(width);
}

/** Percent change from `a` to `b`. */
export function growthPercent(a: number, b: number): number {
  return ((b - a) / a) * 100;
}
