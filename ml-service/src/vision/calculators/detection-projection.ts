// Projects detections from a (rotated) region's coordinates back to the full image, following
// MediaPipe's DetectionProjectionCalculator (its PROJECTION_MATRIX is the one ImageToTensorCalculator
// used for the region; here the region itself is given). The region may extend past the image.

import type { Detection, NormalizedRect, Point2 } from '../types.js';

/** A point normalized to the region (0..1 across it) → normalized image coordinates. */
export function projectPoint(p: Point2, rect: NormalizedRect, aspect: number): Point2 {
  // Rotation is applied in pixels: aspect = image height / width.
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const x = (p.x - 0.5) * rect.width;
  const y = (p.y - 0.5) * rect.height * aspect;
  return { x: rect.xCenter + c * x - s * y, y: rect.yCenter + (s * x + c * y) / aspect };
}

/**
 * Detections normalized to `rect` → normalized to the image (`aspect` = image height / width).
 * Keypoints are projected; the box becomes the axis-aligned bounds of its projected corners, as
 * MediaPipe's calculator does for relative bounding boxes.
 */
export function projectDetections(detections: readonly Detection[], rect: NormalizedRect, aspect: number): Detection[] {
  return detections.map((d) => {
    const { xmin, ymin, width, height } = d.box;
    const corners = [
      { x: xmin, y: ymin },
      { x: xmin + width, y: ymin },
      { x: xmin + width, y: ymin + height },
      { x: xmin, y: ymin + height },
    ].map((p) => projectPoint(p, rect, aspect));
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    const x0 = Math.min(...xs);
    const y0 = Math.min(...ys);
    return {
      ...d,
      box: { xmin: x0, ymin: y0, width: Math.max(...xs) - x0, height: Math.max(...ys) - y0 },
      keypoints: d.keypoints.map((k) => projectPoint(k, rect, aspect)),
    };
  });
}
