// Face ROI rules from MediaPipe's face_detection_front_detection_to_roi and face_landmark_landmarks_to_roi:
// rotate so the eyes are level, square on the long side, scale by 1.5.

import { detectionToRect } from '../calculators/detection-to-rect.js';
import { landmarksToDetection } from '../calculators/landmarks-to-detection.js';
import { transformRect } from '../calculators/rect-transformation.js';
import type { Detection, ImageSize, NormalizedRect, Point2 } from '../types.js';

export const FACE_ROI_SCALE = 1.5;
/** Mesh landmarks at the outer corners of the image-left and image-right eyes. */
export const MESH_LEFT_EYE_OUTER = 33;
export const MESH_RIGHT_EYE_OUTER = 263;

/** ROI for the mesh model from a BlazeFace detection (keypoint 0 → 1 is eye to eye). */
export function faceRoiFromDetection(detection: Detection, image: ImageSize, scale = FACE_ROI_SCALE): NormalizedRect {
  const rect = detectionToRect(detection, image, { rotationVectorStartKeypointIndex: 0, rotationVectorEndKeypointIndex: 1, rotationVectorTargetAngle: 0 });
  return transformRect(rect, image, { scaleX: scale, scaleY: scale, squareLong: true });
}

/** ROI for the next frame from this frame's mesh (bounds of all landmarks, eyes 33 → 263 level). */
export function faceRoiFromLandmarks(landmarks: readonly Point2[], image: ImageSize, scale = FACE_ROI_SCALE): NormalizedRect {
  const detection = landmarksToDetection(landmarks);
  const rect = detectionToRect(detection, image, {
    rotationVectorStartKeypointIndex: MESH_LEFT_EYE_OUTER,
    rotationVectorEndKeypointIndex: MESH_RIGHT_EYE_OUTER,
    rotationVectorTargetAngle: 0,
  });
  return transformRect(rect, image, { scaleX: scale, scaleY: scale, squareLong: true });
}
