// Landmarks → detection (bounding box of all points, every point a keypoint), following MediaPipe's
// LandmarksToDetectionCalculator; used to derive the next frame's ROI from landmarks.

import type { BoundingBox, Detection, Point2 } from '../types.js';

/** Axis-aligned bounds of the points (normalized). */
export function landmarksBounds(points: readonly Point2[]): BoundingBox {
  let xmin = Number.POSITIVE_INFINITY;
  let ymin = Number.POSITIVE_INFINITY;
  let xmax = Number.NEGATIVE_INFINITY;
  let ymax = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x < xmin) xmin = p.x;
    if (p.x > xmax) xmax = p.x;
    if (p.y < ymin) ymin = p.y;
    if (p.y > ymax) ymax = p.y;
  }
  if (points.length === 0) return { xmin: 0, ymin: 0, width: 0, height: 0 };
  return { xmin, ymin, width: xmax - xmin, height: ymax - ymin };
}

/** Optionally restrict keypoints (and the box) to `subset` indices. */
export function landmarksToDetection(points: readonly Point2[], subset?: readonly number[], score = 1): Detection {
  const chosen = subset === undefined ? points : subset.map((i) => {
    const p = points[i];
    if (p === undefined) throw new RangeError(`landmark #${i} out of range (${points.length})`);
    return p;
  });
  return {
    box: landmarksBounds(chosen),
    score,
    classId: 0,
    keypoints: chosen.map((p) => ({ x: p.x, y: p.y })),
  };
}
