// Scales, shifts, squares and rotates a NormalizedRect, following MediaPipe's RectTransformationCalculator.

import type { ImageSize, NormalizedRect } from '../types.js';
import { normalizeRadians } from './math.js';

export interface RectTransformationOptions {
  scaleX?: number;
  scaleY?: number;
  /** Extra rotation in radians added to the rect's own. */
  rotation?: number;
  /** Shifts as fractions of the rect's width/height, along the rect's rotated axes. */
  shiftX?: number;
  shiftY?: number;
  /** Make the rect square (in pixels) using its long or short side; applied before scaling. */
  squareLong?: boolean;
  squareShort?: boolean;
}

export function transformRect(rect: NormalizedRect, image: ImageSize, o: RectTransformationOptions): NormalizedRect {
  const { width: iw, height: ih } = image;
  let { width, height, rotation, xCenter, yCenter } = rect;
  if (o.rotation !== undefined && o.rotation !== 0) rotation = normalizeRadians(rotation + o.rotation);
  const sx = o.shiftX ?? 0;
  const sy = o.shiftY ?? 0;
  if (rotation === 0) {
    xCenter += width * sx;
    yCenter += height * sy;
  } else {
    const c = Math.cos(rotation);
    const s = Math.sin(rotation);
    xCenter += (iw * width * sx * c - ih * height * sy * s) / iw;
    yCenter += (iw * width * sx * s + ih * height * sy * c) / ih;
  }
  if (o.squareLong === true) {
    const side = Math.max(width * iw, height * ih);
    width = side / iw;
    height = side / ih;
  } else if (o.squareShort === true) {
    const side = Math.min(width * iw, height * ih);
    width = side / iw;
    height = side / ih;
  }
  return { xCenter, yCenter, width: width * (o.scaleX ?? 1), height: height * (o.scaleY ?? 1), rotation };
}
