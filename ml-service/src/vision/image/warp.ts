// Affine warp of a (rotated) image region into a float tensor, with bilinear sampling, letterboxing,
// optional horizontal flip and value normalization in one pass (MediaPipe ImageToTensorCalculator).

import type { LetterboxPadding, NormalizedRect, RgbImage } from '../types.js';

export type BorderMode = 'zero' | 'replicate';

export interface WarpOptions {
  /** Tensor width and height in pixels. */
  width: number;
  height: number;
  /** Output value range that maps pixel values 0..255 (e.g. [-1, 1] or [0, 1]). */
  range: readonly [number, number];
  /** How pixels outside the image are filled: zero (value range minimum) or edge replication. */
  border?: BorderMode;
  /** Pad the region to the tensor's aspect ratio instead of stretching it (letterbox). */
  keepAspectRatio?: boolean;
  /** Mirror the region horizontally (MediaPipe flips right-eye crops this way). */
  flipHorizontal?: boolean;
  /** Output layout; TFJS-derived models use NHWC. */
  layout?: 'nhwc' | 'nchw';
}

export interface WarpResult {
  /** The region actually sampled (widened/heightened when keepAspectRatio is set). */
  roi: NormalizedRect;
  /** Letterbox padding as fractions of the tensor (all zero without keepAspectRatio). */
  padding: LetterboxPadding;
}

/** The whole image as a rect (rotation 0). */
export function fullImageRect(): NormalizedRect {
  return { xCenter: 0.5, yCenter: 0.5, width: 1, height: 1, rotation: 0 };
}

/** MediaPipe's PadRoi: grows the rect to the tensor aspect ratio and reports the padding. */
export function padRoiToAspect(roi: NormalizedRect, imageWidth: number, imageHeight: number, tensorWidth: number, tensorHeight: number): WarpResult {
  const tensorAspect = tensorHeight / tensorWidth;
  const roiWidthPx = roi.width * imageWidth;
  const roiHeightPx = roi.height * imageHeight;
  const roiAspect = roiHeightPx / roiWidthPx;
  if (tensorAspect > roiAspect) {
    const newHeightPx = roiWidthPx * tensorAspect;
    const pad = (newHeightPx - roiHeightPx) / newHeightPx / 2;
    return { roi: { ...roi, height: newHeightPx / imageHeight }, padding: { left: 0, top: pad, right: 0, bottom: pad } };
  }
  const newWidthPx = roiHeightPx / tensorAspect;
  const pad = (newWidthPx - roiWidthPx) / newWidthPx / 2;
  return { roi: { ...roi, width: newWidthPx / imageWidth }, padding: { left: pad, top: 0, right: pad, bottom: 0 } };
}

/**
 * Samples `roi` of `image` into `out` (length width × height × 3). Tensor pixel (i, j) maps to
 * the rect point at fractions (i / width, j / height) from its top-left corner, rotated about the
 * rect centre, as MediaPipe's CPU converter does; pixel k of the image sits at coordinate k.
 */
export function warpToTensor(image: RgbImage, roi: NormalizedRect, options: WarpOptions, out: Float32Array): WarpResult {
  const { width: tw, height: th } = options;
  if (out.length < tw * th * 3) throw new RangeError(`tensor buffer holds ${out.length} values, needs ${tw * th * 3}`);
  const fitted: WarpResult = options.keepAspectRatio === true
    ? padRoiToAspect(roi, image.width, image.height, tw, th)
    : { roi, padding: { left: 0, top: 0, right: 0, bottom: 0 } };
  const r = fitted.roi;
  const iw = image.width;
  const ih = image.height;
  const cos = Math.cos(r.rotation);
  const sin = Math.sin(r.rotation);
  const rw = r.width * iw;
  const rh = r.height * ih;
  const flip = options.flipHorizontal === true ? -1 : 1;
  // Source position = origin + i * (ax, ay) + j * (bx, by).
  const ax = (flip * cos * rw) / tw;
  const ay = (flip * sin * rw) / tw;
  const bx = (-sin * rh) / th;
  const by = (cos * rh) / th;
  const ox = r.xCenter * iw - 0.5 * flip * cos * rw + 0.5 * sin * rh;
  const oy = r.yCenter * ih - 0.5 * flip * sin * rw - 0.5 * cos * rh;
  const [lo, hi] = options.range;
  const scale = (hi - lo) / 255;
  const replicate = options.border === 'replicate';
  const nchw = options.layout === 'nchw';
  const plane = tw * th;
  const src = image.data;
  const rowStride = iw * 3;
  for (let j = 0; j < th; j++) {
    let sx = ox + j * bx;
    let sy = oy + j * by;
    for (let i = 0; i < tw; i++, sx += ax, sy += ay) {
      let x0 = Math.floor(sx);
      let y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
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
      const r0 = src[p00]! * w00 + src[p10]! * w10 + src[p01]! * w01 + src[p11]! * w11;
      const g0 = src[p00 + 1]! * w00 + src[p10 + 1]! * w10 + src[p01 + 1]! * w01 + src[p11 + 1]! * w11;
      const b0 = src[p00 + 2]! * w00 + src[p10 + 2]! * w10 + src[p01 + 2]! * w01 + src[p11 + 2]! * w11;
      const pix = j * tw + i;
      if (nchw) {
        out[pix] = r0 * scale + lo;
        out[plane + pix] = g0 * scale + lo;
        out[2 * plane + pix] = b0 * scale + lo;
      } else {
        const d = pix * 3;
        out[d] = r0 * scale + lo;
        out[d + 1] = g0 * scale + lo;
        out[d + 2] = b0 * scale + lo;
      }
    }
  }
  return fitted;
}
