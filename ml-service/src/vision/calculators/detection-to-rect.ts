// Detection → rotated NormalizedRect, following MediaPipe's DetectionsToRectsCalculator (NORM_RECT output,
// optional rotation from two keypoints).

import type { Detection, ImageSize, NormalizedRect } from '../types.js';
import { rotationFromPoints } from './math.js';

export interface DetectionToRectOptions {
  /** Keypoint indices whose vector defines the rotation; omit both for rotation 0. */
  rotationVectorStartKeypointIndex?: number;
  rotationVectorEndKeypointIndex?: number;
  /** Angle (radians) the start→end vector should have after rotation; e.g. 0 for eyes, π/2 for palm. */
  rotationVectorTargetAngle?: number;
}

/** Box centre and size become the rect; rotation is computed in pixel space using `image`. */
export function detectionToRect(detection: Detection, image: ImageSize, o: DetectionToRectOptions = {}): NormalizedRect {
  const { box } = detection;
  const rect: NormalizedRect = {
    xCenter: box.xmin + box.width / 2,
    yCenter: box.ymin + box.height / 2,
    width: box.width,
    height: box.height,
    rotation: 0,
  };
  const si = o.rotationVectorStartKeypointIndex;
  const ei = o.rotationVectorEndKeypointIndex;
  if (si !== undefined && ei !== undefined) {
    const start = detection.keypoints[si];
    const end = detection.keypoints[ei];
    if (start === undefined || end === undefined) {
      throw new RangeError(`detection has ${detection.keypoints.length} keypoints; rotation needs #${si} and #${ei}`);
    }
    rect.rotation = rotationFromPoints(start, end, image.width, image.height, o.rotationVectorTargetAngle ?? 0);
  }
  return rect;
}
