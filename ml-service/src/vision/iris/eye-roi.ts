// Eye crop rules from MediaPipe's iris_landmark_landmarks_to_roi: centre between the two eye corners,
// rotated so the corner line is level, square on the long side, scaled by 2.3.

import { detectionToRect } from '../calculators/detection-to-rect.js';
import { landmarksToDetection } from '../calculators/landmarks-to-detection.js';
import { transformRect } from '../calculators/rect-transformation.js';
import type { ImageSize, NormalizedRect, Point2 } from '../types.js';

export const EYE_ROI_SCALE = 2.3;

/** Mesh corner indices per eye, in the order that makes the vector point to the image's right. */
export const EYE_CORNERS = Object.freeze({
  /** Image-left eye: outer corner 33 → inner corner 133. */
  left: [33, 133] as const,
  /** Image-right eye: inner corner 362 → outer corner 263 (this crop is flipped for the model). */
  right: [362, 263] as const,
});

export type EyeSide = keyof typeof EYE_CORNERS;

export function eyeRoiFromCorners(start: Point2, end: Point2, image: ImageSize, scale = EYE_ROI_SCALE): NormalizedRect {
  const detection = landmarksToDetection([start, end]);
  const rect = detectionToRect(detection, image, { rotationVectorStartKeypointIndex: 0, rotationVectorEndKeypointIndex: 1, rotationVectorTargetAngle: 0 });
  return transformRect(rect, image, { scaleX: scale, scaleY: scale, squareLong: true });
}

/** Eye ROI from face mesh landmarks (468 or 478 points). */
export function eyeRoiFromMesh(landmarks: readonly Point2[], side: EyeSide, image: ImageSize): NormalizedRect {
  const [a, b] = EYE_CORNERS[side];
  const start = landmarks[a];
  const end = landmarks[b];
  if (start === undefined || end === undefined) throw new RangeError(`face mesh has ${landmarks.length} points; eye ROI needs #${a} and #${b}`);
  return eyeRoiFromCorners(start, end, image);
}
