// Mask resampling: bilinear upsampling of a model-size probability mask to the frame, and mapping a
// mask predicted on a rotated crop back onto the full image.

import { roundNonNegative } from '../calculators/math.js';
import type { NormalizedRect } from '../types.js';

/** A single-channel mask: probabilities 0..1 (float) or 0..255 (bytes), row-major. */
export interface MaskSource {
  data: Float32Array | Uint8Array;
  width: number;
  height: number;
  /** Values between consecutive pixels (for reading one channel of a multi-channel tensor). Default 1. */
  stride?: number;
  /** Index of the first value. Default 0. */
  offset?: number;
}

function scaleOf(src: MaskSource): number {
  return src.data instanceof Uint8Array ? 1 : 255;
}

/** Clamps to 0..255 and rounds half up (as Math.round, which is slow per pixel: see roundNonNegative). */
function toByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : roundNonNegative(v);
}

function sample(src: MaskSource, x: number, y: number, stride: number, offset: number): number {
  // Pixel centres: source pixel k covers [k, k + 1) and its value sits at k + 0.5.
  const fx = Math.min(Math.max(x - 0.5, 0), src.width - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), src.height - 1);
  // fx, fy ≥ 0 here, so truncation is floor.
  const x0 = fx | 0;
  const y0 = fy | 0;
  const x1 = Math.min(x0 + 1, src.width - 1);
  const y1 = Math.min(y0 + 1, src.height - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const d = src.data;
  const at = (xx: number, yy: number): number => d[offset + (yy * src.width + xx) * stride]!;
  const top = at(x0, y0) * (1 - ax) + at(x1, y0) * ax;
  const bottom = at(x0, y1) * (1 - ax) + at(x1, y1) * ax;
  return top * (1 - ay) + bottom * ay;
}

/**
 * Bilinear resize of `src` to `width × height` bytes (0..255). Pixel centres are aligned, as in
 * OpenCV/sharp resizing. Writes into `out` when given (length ≥ width × height).
 */
export function resizeMask(src: MaskSource, width: number, height: number, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(width * height);
  if (dst.length < width * height) throw new RangeError(`mask buffer holds ${dst.length} bytes, needs ${width * height}`);
  const stride = src.stride ?? 1;
  const offset = src.offset ?? 0;
  const k = scaleOf(src);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let j = 0; j < height; j++) {
    const y = (j + 0.5) * sy;
    for (let i = 0; i < width; i++) {
      const v = sample(src, (i + 0.5) * sx, y, stride, offset) * k;
      dst[j * width + i] = toByte(v);
    }
  }
  return dst;
}

/**
 * Maps a mask predicted on the crop `roi` (as sampled by warpToTensor: tensor pixel i sits at
 * fraction i / width across the rect, rotated about its centre) back to a full image of
 * `width × height`. Image pixels outside the rect get 0.
 */
export function unprojectMask(src: MaskSource, roi: NormalizedRect, width: number, height: number, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(width * height);
  if (dst.length < width * height) throw new RangeError(`mask buffer holds ${dst.length} bytes, needs ${width * height}`);
  if (roi.rotation === 0 && unprojectAxisAligned(src, roi, width, height, dst)) return dst;
  const stride = src.stride ?? 1;
  const offset = src.offset ?? 0;
  const k = scaleOf(src);
  const rw = roi.width * width;
  const rh = roi.height * height;
  const cx = roi.xCenter * width;
  const cy = roi.yCenter * height;
  const c = Math.cos(roi.rotation);
  const s = Math.sin(roi.rotation);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      // Image pixel (at coordinate i, j, as warpToTensor samples) → rect fractions (0..1 across).
      const dx = i - cx;
      const dy = j - cy;
      const u = (dx * c + dy * s) / rw + 0.5;
      const v = (-dx * s + dy * c) / rh + 0.5;
      let value = 0;
      if (u >= 0 && u <= 1 && v >= 0 && v <= 1) {
        // Tensor pixel k sits at fraction k / W; sample() puts pixel k's value at k + 0.5.
        value = sample(src, u * src.width + 0.5, v * src.height + 0.5, stride, offset) * k;
      }
      dst[j * width + i] = toByte(value);
    }
  }
  return dst;
}

/**
 * unprojectMask for an unrotated rect: sample positions are separable, so each mask row is first
 * interpolated horizontally (once per source row, at most two kept), then rows are blended per
 * output row. Same arithmetic as sample(). False when the covered columns are not one run (a
 * degenerate rect), for the general path to handle.
 */
function unprojectAxisAligned(src: MaskSource, roi: NormalizedRect, width: number, height: number, dst: Uint8Array): boolean {
  const stride = src.stride ?? 1;
  const offset = src.offset ?? 0;
  const k = scaleOf(src);
  const sw = src.width;
  const sh = src.height;
  const rw = roi.width * width;
  const rh = roi.height * height;
  const cx = roi.xCenter * width;
  const cy = roi.yCenter * height;
  const col0 = new Int32Array(width);
  const col1 = new Int32Array(width);
  const colA = new Float64Array(width);
  let first = -1;
  let last = -2;
  for (let i = 0; i < width; i++) {
    const u = (i - cx) / rw + 0.5;
    if (!(u >= 0 && u <= 1)) continue;
    if (first < 0) first = i;
    else if (last !== i - 1) return false;
    last = i;
    const fx = Math.min(Math.max(u * sw + 0.5 - 0.5, 0), sw - 1);
    const x0 = Math.floor(fx);
    col0[i] = x0 * stride;
    col1[i] = Math.min(x0 + 1, sw - 1) * stride;
    colA[i] = fx - x0;
  }
  const end = last + 1;
  if (first < 0) {
    dst.fill(0, 0, width * height);
    return true;
  }
  // Two horizontally interpolated source rows, at offsets a and b of `rows`.
  const rows = new Float64Array(2 * width);
  let a = 0;
  let b = width;
  let rowOfA = -1;
  let rowOfB = -1;
  const d = src.data;
  const fill = (at: number, y: number): void => {
    const base = offset + y * sw * stride;
    for (let i = first; i < end; i++) {
      const ax = colA[i]!;
      rows[at + i] = d[base + col0[i]!]! * (1 - ax) + d[base + col1[i]!]! * ax;
    }
  };
  for (let j = 0; j < height; j++) {
    const o = j * width;
    const v = (j - cy) / rh + 0.5;
    if (!(v >= 0 && v <= 1)) {
      dst.fill(0, o, o + width);
      continue;
    }
    const fy = Math.min(Math.max(v * sh + 0.5 - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const ay = fy - y0;
    if (rowOfA !== y0) {
      if (rowOfB === y0) {
        [a, b] = [b, a];
        rowOfB = rowOfA;
      } else {
        fill(a, y0);
      }
      rowOfA = y0;
    }
    if (rowOfB !== y1) {
      fill(b, y1);
      rowOfB = y1;
    }
    dst.fill(0, o, o + first);
    for (let i = first; i < end; i++) dst[o + i] = toByte((rows[a + i]! * (1 - ay) + rows[b + i]! * ay) * k);
    dst.fill(0, o + end, o + width);
  }
  return true;
}
