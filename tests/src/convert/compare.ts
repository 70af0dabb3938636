// Numeric comparison of two output tensors: worst absolute difference relative to the reference's scale.

/** Result of comparing a candidate tensor with a reference. */
export interface Comparison {
  /** max |a - b| over all elements. */
  readonly maxAbsDiff: number;
  /** max |b| over the reference. */
  readonly refScale: number;
  /** maxAbsDiff / max(refScale, floor): scale-aware error that stays meaningful near zero. */
  readonly relError: number;
  /** Index of the worst element. */
  readonly worstIndex: number;
}

/** Compares `actual` with `expected`; `floor` keeps tiny references from inflating the ratio. */
export function compareTensors(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-3): Comparison {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let maxAbsDiff = 0;
  let refScale = 0;
  let worstIndex = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    const d = Number.isNaN(a) !== Number.isNaN(b) ? Infinity : Math.abs(a - b);
    if (d > maxAbsDiff) {
      maxAbsDiff = d;
      worstIndex = i;
    }
    refScale = Math.max(refScale, Math.abs(b));
  }
  return { maxAbsDiff, refScale, relError: maxAbsDiff / Math.max(refScale, floor), worstIndex };
}
