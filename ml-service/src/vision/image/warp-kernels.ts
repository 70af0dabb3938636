// Sampling loops behind warpToTensor: an axis-aligned kernel whose per-column and per-row taps are
// computed once (detector letterboxes, whole-frame resizes), and a rotated kernel that skips the border
// checks on rows lying wholly inside the image. Both produce exactly the values of the per-pixel rule.

import { floorInt } from '../calculators/math.js';
import type { RgbImage } from '../types.js';

/**
 * The affine map of a warp: tensor pixel (i, j) samples source position
 * (ox + j·bx + i·ax, oy + j·by + i·ay), accumulated along each row as the reference rule does.
 */
export interface WarpMap {
  ox: number;
  oy: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Tensor size. */
  tw: number;
  th: number;
  /** Output value = sampled value · scale + lo. */
  scale: number;
  lo: number;
  replicate: boolean;
  nchw: boolean;
}

/** Bilinear taps along one axis: byte offsets of both neighbours and their weights (0 outside a zero border). */
interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/**
 * Taps at positions start + k·step, either accumulated (start, += step, as along a row) or multiplied
 * (as from row to row), matching the reference rule's rounding.
 */
function axisTaps(start: number, step: number, count: number, accumulate: boolean, size: number, unit: number, replicate: boolean): AxisTaps {
  const taps: AxisTaps = { i0: new Int32Array(count), i1: new Int32Array(count), w0: new Float64Array(count), w1: new Float64Array(count) };
  let acc = start;
  for (let k = 0; k < count; k++, acc += step) {
    const s = clampCoordinate(accumulate ? acc : start + k * step);
    let a = floorInt(s);
    const f = s - a;
    let b = a + 1;
    let w0 = 1 - f;
    let w1 = f;
    if (replicate) {
      a = a < 0 ? 0 : a >= size ? size - 1 : a;
      b = b < 0 ? 0 : b >= size ? size - 1 : b;
    } else {
      if (a < 0 || a >= size) { w0 = 0; a = 0; }
      if (b < 0 || b >= size) { w1 = 0; b = 0; }
    }
    taps.i0[k] = a * unit;
    taps.i1[k] = b * unit;
    taps.w0[k] = w0;
    taps.w1[k] = w1;
  }
  return taps;
}

/** Rotation-free warp (ay = bx = 0): sample positions are separable, so taps are computed per column and per row. */
export function warpAxisAligned(image: RgbImage, m: WarpMap, out: Float32Array): void {
  const { tw, th, scale, lo } = m;
  const src = image.data;
  // Along a row x accumulates from ox (ox + j·bx is ox, as bx is 0); y = oy + j·by per row (ay is 0).
  const cols = axisTaps(m.ox, m.ax, tw, true, image.width, 3, m.replicate);
  const rows = axisTaps(m.oy, m.by, th, false, image.height, image.width * 3, m.replicate);
  const { i0: c0, i1: c1, w0: cw0, w1: cw1 } = cols;
  const plane = tw * th;
  const step = m.nchw ? plane : 1;
  const pixelStep = m.nchw ? 1 : 3;
  for (let j = 0; j < th; j++) {
    const r0 = rows.i0[j]!;
    const r1 = rows.i1[j]!;
    const wy0 = rows.w0[j]!;
    const wy1 = rows.w1[j]!;
    let d = j * tw * pixelStep;
    if (wy0 === 0 && wy1 === 0) {
      // A letterbox row wholly outside a zero border: every weight is 0, so every value is lo.
      if (m.nchw) for (let c = 0; c < 3; c++) out.fill(lo, c * plane + j * tw, c * plane + (j + 1) * tw);
      else out.fill(lo, d, d + tw * 3);
      continue;
    }
    for (let i = 0; i < tw; i++, d += pixelStep) {
      const wx0 = cw0[i]!;
      const wx1 = cw1[i]!;
      const w00 = wx0 * wy0;
      const w10 = wx1 * wy0;
      const w01 = wx0 * wy1;
      const w11 = wx1 * wy1;
      const p00 = r0 + c0[i]!;
      const p10 = r0 + c1[i]!;
      const p01 = r1 + c0[i]!;
      const p11 = r1 + c1[i]!;
      out[d] = (src[p00]! * w00 + src[p10]! * w10 + src[p01]! * w01 + src[p11]! * w11) * scale + lo;
      out[d + step] = (src[p00 + 1]! * w00 + src[p10 + 1]! * w10 + src[p01 + 1]! * w01 + src[p11 + 1]! * w11) * scale + lo;
      out[d + 2 * step] = (src[p00 + 2]! * w00 + src[p10 + 2]! * w10 + src[p01 + 2]! * w01 + src[p11 + 2]! * w11) * scale + lo;
    }
  }
}

/**
 * Keeps far-outside coordinates within floorInt's range. Any position beyond ±2³⁰ is outside every
 * image, where the result does not depend on the exact position (zero weights, or one replicated pixel).
 */
function clampCoordinate(v: number): number {
  return v < -1073741824 ? -1073741824 : v > 1073741824 ? 1073741824 : v;
}

/** Margin keeping the interior test safe from rounding in the accumulated row positions. */
const EDGE_MARGIN = 1e-6;

/** General (rotated) warp. Rows whose samples all have both neighbours inside the image skip the border logic. */
export function warpRotated(image: RgbImage, m: WarpMap, out: Float32Array): void {
  const { tw, th, ax, ay, scale, lo, replicate } = m;
  const iw = image.width;
  const ih = image.height;
  const src = image.data;
  const rowStride = iw * 3;
  const step = m.nchw ? tw * th : 1;
  const pixelStep = m.nchw ? 1 : 3;
  const spanX = (tw - 1) * ax;
  const spanY = (tw - 1) * ay;
  for (let j = 0; j < th; j++) {
    let sx = m.ox + j * m.bx;
    let sy = m.oy + j * m.by;
    let d = j * tw * pixelStep;
    const inside =
      Math.min(sx, sx + spanX) >= EDGE_MARGIN && Math.max(sx, sx + spanX) <= iw - 1 - EDGE_MARGIN &&
      Math.min(sy, sy + spanY) >= EDGE_MARGIN && Math.max(sy, sy + spanY) <= ih - 1 - EDGE_MARGIN;
    if (inside) {
      for (let i = 0; i < tw; i++, sx += ax, sy += ay, d += pixelStep) {
        // Inside the image both coordinates are positive, so truncation is floor.
        const x0 = sx | 0;
        const y0 = sy | 0;
        const fx = sx - x0;
        const fy = sy - y0;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        const p00 = y0 * rowStride + x0 * 3;
        const p10 = p00 + 3;
        const p01 = p00 + rowStride;
        const p11 = p01 + 3;
        out[d] = (src[p00]! * w00 + src[p10]! * w10 + src[p01]! * w01 + src[p11]! * w11) * scale + lo;
        out[d + step] = (src[p00 + 1]! * w00 + src[p10 + 1]! * w10 + src[p01 + 1]! * w01 + src[p11 + 1]! * w11) * scale + lo;
        out[d + 2 * step] = (src[p00 + 2]! * w00 + src[p10 + 2]! * w10 + src[p01 + 2]! * w01 + src[p11 + 2]! * w11) * scale + lo;
      }
      continue;
    }
    for (let i = 0; i < tw; i++, sx += ax, sy += ay, d += pixelStep) {
      const cx = clampCoordinate(sx);
      const cy = clampCoordinate(sy);
      let x0 = floorInt(cx);
      let y0 = floorInt(cy);
      const fx = cx - x0;
      const fy = cy - y0;
      let x1 = x0 + 1;
      let y1 = y0 + 1;
      let w00 = (1 - fx) * (1 - fy);
      let w10 = fx * (1 - fy);
      let w01 = (1 - fx) * fy;
      let w11 = fx * fy;
      if (x0 < 0 || y0 < 0 || x1 >= iw || y1 >= ih) {
        if (replicate) {
          x0 = x0 < 0 ? 0 : x0 >= iw ? iw - 1 : x0;
          x1 = x1 < 0 ? 0 : x1 >= iw ? iw - 1 : x1;
          y0 = y0 < 0 ? 0 : y0 >= ih ? ih - 1 : y0;
          y1 = y1 < 0 ? 0 : y1 >= ih ? ih - 1 : y1;
        } else {
          // Zero border: outside neighbours contribute nothing (pixel value 0).
          if (x0 < 0 || x0 >= iw) { w00 = 0; w01 = 0; x0 = 0; }
          if (x1 < 0 || x1 >= iw) { w10 = 0; w11 = 0; x1 = 0; }
          if (y0 < 0 || y0 >= ih) { w00 = 0; w10 = 0; y0 = 0; }
          if (y1 < 0 || y1 >= ih) { w01 = 0; w11 = 0; y1 = 0; }
        }
      }
      const p00 = y0 * rowStride + x0 * 3;
      const p10 = y0 * rowStride + x1 * 3;
      const p01 = y1 * rowStride + x0 * 3;
      const p11 = y1 * rowStride + x1 * 3;
      out[d] = (src[p00]! * w00 + src[p10]! * w10 + src[p01]! * w01 + src[p11]! * w11) * scale + lo;
      out[d + step] = (src[p00 + 1]! * w00 + src[p10 + 1]! * w10 + src[p01 + 1]! * w01 + src[p11 + 1]! * w11) * scale + lo;
      out[d + 2 * step] = (src[p00 + 2]! * w00 + src[p10 + 2]! * w10 + src[p01 + 2]! * w01 + src[p11 + 2]! * w11) * scale + lo;
    }
  }
}
