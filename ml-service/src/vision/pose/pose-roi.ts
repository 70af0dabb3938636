// Pose ROI for the next frame from this frame's auxiliary landmarks (MediaPipe pose_landmarks_to_roi):
// centred on the hip-centre point, sized and rotated by the vector to the body-scale point, ×1.25.

import { alignmentPointsToRect } from '../calculators/alignment-points-to-rect.js';
import { landmarksToDetection } from '../calculators/landmarks-to-detection.js';
import { transformRect } from '../calculators/rect-transformation.js';
import type { ImageSize, Landmark, NormalizedRect } from '../types.js';
import { POSE_LANDMARKS } from './pose-landmarks.js';

/** Auxiliary landmarks follow the 33 body landmarks: hip centre, then the body-scale point. */
export const POSE_AUX_HIP_CENTER = POSE_LANDMARKS;
export const POSE_AUX_SCALE_POINT = POSE_LANDMARKS + 1;

/** The two ROI landmarks (hip centre, scale point) out of the model's 39. */
export function roiLandmarks(all: readonly Landmark[]): Landmark[] {
  const hip = all[POSE_AUX_HIP_CENTER];
  const scale = all[POSE_AUX_SCALE_POINT];
  if (hip === undefined || scale === undefined) throw new RangeError(`pose ROI needs landmarks #33 and #34 (${all.length} given)`);
  return [hip, scale];
}

/** `aux` = [hip centre, scale point] (normalized). Same geometry as poseDetectionToRect. */
export function poseRoiFromLandmarks(aux: readonly Landmark[], image: ImageSize): NormalizedRect {
  const detection = landmarksToDetection(aux);
  const raw = alignmentPointsToRect(detection, image, { startKeypointIndex: 0, endKeypointIndex: 1, targetAngle: Math.PI / 2 });
  return transformRect(raw, image, { scaleX: 1.25, scaleY: 1.25, squareLong: true });
}
