// Overlap of NormalizedRects for associating tracked and detected faces, like MediaPipe's
// AssociationNormRectCalculator (axis-aligned, rotation ignored, measured in pixels).

import { iou } from '../calculators/math.js';
import type { BoundingBox, ImageSize, NormalizedRect } from '../types.js';

function pixelBox(r: NormalizedRect, image: ImageSize): BoundingBox {
  const w = r.width * image.width;
  const h = r.height * image.height;
  return { xmin: r.xCenter * image.width - w / 2, ymin: r.yCenter * image.height - h / 2, width: w, height: h };
}

export function rectIou(a: NormalizedRect, b: NormalizedRect, image: ImageSize): number {
  return iou(pixelBox(a, image), pixelBox(b, image));
}
