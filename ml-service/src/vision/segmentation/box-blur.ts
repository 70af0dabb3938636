// Fast separable box blur of packed RGB on typed arrays; three passes approximate a Gaussian.

import { roundNonNegative } from '../calculators/math.js';

/** One horizontal running-sum pass of radius r over packed RGB rows (edges clamped). */
function blurRows(src: Uint8Array, dst: Uint8Array, width: number, height: number, r: number): void {
  const div = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += src[row + Math.min(width - 1, Math.max(0, k)) * 3 + c]!;
      for (let x = 0; x < width; x++) {
        dst[row + x * 3 + c] = roundNonNegative(sum / div);
        const addX = Math.min(width - 1, x + r + 1);
        const subX = Math.max(0, x - r);
        sum += src[row + addX * 3 + c]! - src[row + subX * 3 + c]!;
      }
    }
  }
}

/** One vertical running-sum pass of radius r (edges clamped). */
function blurCols(src: Uint8Array, dst: Uint8Array, width: number, height: number, r: number): void {
  const div = 2 * r + 1;
  const stride = width * 3;
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < 3; c++) {
      const col = x * 3 + c;
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += src[Math.min(height - 1, Math.max(0, k)) * stride + col]!;
      for (let y = 0; y < height; y++) {
        dst[y * stride + col] = roundNonNegative(sum / div);
        const addY = Math.min(height - 1, y + r + 1);
        const subY = Math.max(0, y - r);
        sum += src[addY * stride + col]! - src[subY * stride + col]!;
      }
    }
  }
}

/**
 * Blurs packed RGB with `passes` horizontal+vertical box passes of radius `radius` (pixels).
 * Three passes of radius r approximate a Gaussian of sigma ≈ r. Returns a new buffer; `scratch`
 * (same length as the image) may be given to avoid one allocation.
 */
export function boxBlurRgb(src: Uint8Array, width: number, height: number, radius: number, passes = 3, scratch?: Uint8Array): Uint8Array {
  const n = width * height * 3;
  if (src.length < n) throw new RangeError(`image holds ${src.length} bytes, needs ${n}`);
  const out = new Uint8Array(src.subarray(0, n));
  const r = Math.floor(radius);
  if (r <= 0) return out;
  const tmp = scratch !== undefined && scratch.length >= n ? scratch : new Uint8Array(n);
  for (let p = 0; p < passes; p++) {
    blurRows(out, tmp, width, height, r);
    blurCols(tmp, out, width, height, r);
  }
  return out;
}
