// Detection → rect centred on one keypoint and sized by the distance to another, following MediaPipe's
// AlignmentPointsRectsCalculator (used by BlazePose-style detectors).

import type { Detection, ImageSize, NormalizedRect } from '../types.js';
import { rotationFromPoints } from './math.js';

export interface AlignmentPointsOptions {
  /** Keypoint at the rect centre. */
  startKeypointIndex: number;
  /** Keypoint whose distance from the centre is half the rect side. */
  endKeypointIndex: number;
  /** Target angle (radians) for the start→end vector; BlazePose uses π/2. */
  targetAngle?: number;
}

export function alignmentPointsToRect(detection: Detection, image: ImageSize, o: AlignmentPointsOptions): NormalizedRect {
  const start = detection.keypoints[o.startKeypointIndex];
  const end = detection.keypoints[o.endKeypointIndex];
  if (start === undefined || end === undefined) {
    throw new RangeError(`detection has ${detection.keypoints.length} keypoints; needs #${o.startKeypointIndex} and #${o.endKeypointIndex}`);
  }
  const dx = (end.x - start.x) * image.width;
  const dy = (end.y - start.y) * image.height;
  const side = 2 * Math.sqrt(dx * dx + dy * dy);
  return {
    xCenter: start.x,
    yCenter: start.y,
    width: side / image.width,
    height: side / image.height,
    rotation: rotationFromPoints(start, end, image.width, image.height, o.targetAngle ?? 0),
  };
}
