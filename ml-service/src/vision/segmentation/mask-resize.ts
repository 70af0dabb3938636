// Mask resampling: bilinear upsampling of a model-size probability mask to the frame, and mapping a
// mask predicted on a rotated crop back onto the full image.

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

function sample(src: MaskSource, x: number, y: number, stride: number, offset: number): number {
  // Pixel centres: source pixel k covers [k, k + 1) and its value sits at k + 0.5.
  const fx = Math.min(Math.max(x - 0.5, 0), src.width - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), src.height - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
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
      dst[j * width + i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
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
      dst[j * width + i] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
  return dst;
}
