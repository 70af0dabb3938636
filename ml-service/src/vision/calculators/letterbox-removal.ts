// Undoes letterbox padding on detections and landmarks, following MediaPipe's
// DetectionLetterboxRemovalCalculator and LandmarkLetterboxRemovalCalculator.

import type { Detection, Landmark, LetterboxPadding } from '../types.js';

export function removeLetterboxFromDetections(detections: readonly Detection[], p: LetterboxPadding): Detection[] {
  const sx = 1 - p.left - p.right;
  const sy = 1 - p.top - p.bottom;
  return detections.map((d) => ({
    ...d,
    box: {
      xmin: (d.box.xmin - p.left) / sx,
      ymin: (d.box.ymin - p.top) / sy,
      width: d.box.width / sx,
      height: d.box.height / sy,
    },
    keypoints: d.keypoints.map((k) => ({ x: (k.x - p.left) / sx, y: (k.y - p.top) / sy })),
  }));
}

export function removeLetterboxFromLandmarks(landmarks: readonly Landmark[], p: LetterboxPadding): Landmark[] {
  const sx = 1 - p.left - p.right;
  const sy = 1 - p.top - p.bottom;
  return landmarks.map((lm) => ({ ...lm, x: (lm.x - p.left) / sx, y: (lm.y - p.top) / sy, z: lm.z / sx }));
}
