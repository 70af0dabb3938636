// Temporal smoothing of person masks in video, as MediaPipe's SegmentationSmoothingCalculator does:
// each pixel mixes in the previous frame's value in proportion to how uncertain the new value is
// (near 0.5 → mostly the previous value; near 0 or 1 → the new one), which removes edge flicker.

import { roundNonNegative } from '../calculators/math.js';

/** MediaPipe's default weight of the previous mask (combine_with_previous_ratio). */
export const DEFAULT_PREVIOUS_RATIO = 0.7;

/**
 * Uncertainty of a probability p in [0, 1]: 1 at p = 0.5, falling to 0 at 0 and 1 (MediaPipe's
 * polynomial approximation of the squared binary-entropy-based uncertainty).
 */
export function maskUncertainty(p: number): number {
  const t = p - 0.5;
  const x = t * t;
  const poly = x * (5.68842 + x * (-0.748699 + x * (-57.8051 + x * (291.309 + x * -624.717))));
  return 1 - Math.min(1, poly);
}

export interface ByteMask {
  /** 255 = person, one byte per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** One per stream. The history resets when the mask size changes or reset() is called. */
export class MaskSmoother {
  /** Weight of the previous value for each new byte value (uncertainty × ratio). */
  private readonly weights = new Float32Array(256);
  private previous: ByteMask | undefined;

  constructor(ratio = DEFAULT_PREVIOUS_RATIO) {
    if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`previous-mask ratio must be within [0, 1], got ${ratio}`);
    for (let v = 0; v < 256; v++) this.weights[v] = maskUncertainty(v / 255) * ratio;
  }

  /** Returns the smoothed mask (a new buffer; `mask` is left untouched) and remembers it. */
  apply(mask: ByteMask): ByteMask {
    const prev = this.previous;
    const out = new Uint8Array(mask.data.length);
    if (prev === undefined || prev.width !== mask.width || prev.height !== mask.height) {
      out.set(mask.data);
    } else {
      const now = mask.data;
      const before = prev.data;
      for (let i = 0; i < now.length; i++) {
        const p = now[i]!;
        out[i] = roundNonNegative(p + (before[i]! - p) * this.weights[p]!);
      }
    }
    this.previous = { data: out, width: mask.width, height: mask.height };
    return this.previous;
  }

  reset(): void {
    this.previous = undefined;
  }
}
