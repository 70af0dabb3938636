// Affine warp of a (rotated) image region into a float tensor, with bilinear sampling, letterboxing,
// optional horizontal flip and value normalization in one pass (MediaPipe ImageToTensorCalculator).

import type { LetterboxPadding, NormalizedRect, RgbImage } from '../types.js';
import { warpAxisAligned, warpRotated, type WarpMap } from './warp-kernels.js';

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
  const map: WarpMap = {
    ox, oy, ax, ay, bx, by, tw, th, scale: (hi - lo) / 255, lo,
    replicate: options.border === 'replicate',
    nchw: options.layout === 'nchw',
  };
  if (ay === 0 && bx === 0) warpAxisAligned(image, map, out);
  else warpRotated(image, map, out);
  return fitted;
}
