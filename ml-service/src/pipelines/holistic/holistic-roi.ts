// Face and hand regions of interest derived from the 33 pose landmarks, as MediaPipe Holistic does
// before it refines them: hands from wrist, pinky and index (HandDetectionsFromPoseToRectsCalculator,
// ×2.7, shifted a tenth toward the fingers), the face from the pose's eye, ear and mouth points.

import { normalizeRadians, rotationFromPoints } from '../../vision/calculators/math.js';
import { transformRect } from '../../vision/calculators/rect-transformation.js';
import type { ImageSize, Landmark, NormalizedRect } from '../../vision/types.js';

/** The subject's sides, as BlazePose names them. */
export type BodySide = 'left' | 'right';

/** BlazePose indices of the points each hand ROI is built from. */
export const POSE_HAND_POINTS: Readonly<Record<BodySide, { wrist: number; pinky: number; index: number }>> = Object.freeze({
  left: Object.freeze({ wrist: 15, pinky: 17, index: 19 }),
  right: Object.freeze({ wrist: 16, pinky: 18, index: 20 }),
});

/** BlazePose face points. */
export const POSE_FACE_POINTS = Object.freeze({ leftEye: 2, rightEye: 5, leftEar: 7, rightEar: 8, mouthLeft: 9, mouthRight: 10 });

/** Pose-derived hand ROI expansion (MediaPipe hand_landmarks_from_pose_to_recrop_roi). */
export const POSE_TO_HAND = Object.freeze({ scaleX: 2.7, scaleY: 2.7, shiftY: -0.1, squareLong: true });

/**
 * Face ROI size from pose points, as multiples of the ear-to-ear, eye-to-eye and eyes-to-mouth
 * distances (the largest wins, so turning or tilting the head keeps the face inside); calibrated so
 * the ROI matches the face mesh's own landmark ROI (bounds ×1.5) on frontal faces.
 */
export const FACE_SIZE_PER = Object.freeze({ ears: 2.25, eyes: 4.1, eyesToMouth: 4.3 });
/** The face ROI centre sits this many eyes-to-mouth distances above the eyes/mouth midpoint. */
export const FACE_CENTER_RAISE = 0.14;

/** Smallest visibility of the points an ROI is built from. */
export function minVisibility(pose: readonly Landmark[], indices: readonly number[]): number {
  return Math.min(...indices.map((i) => point(pose, i).visibility ?? 1));
}

function point(pose: readonly Landmark[], i: number): Landmark {
  const p = pose[i];
  if (p === undefined) throw new RangeError(`pose landmark #${i} missing (${pose.length} given)`);
  return p;
}

/**
 * Hand ROI from the pose: the middle finger is estimated at (2·index + pinky) / 3; the box is centred
 * there with side twice its distance from the wrist, rotated so wrist → middle points up, then
 * expanded by POSE_TO_HAND.
 */
export function handRoiFromPose(pose: readonly Landmark[], side: BodySide, image: ImageSize): NormalizedRect {
  const idx = POSE_HAND_POINTS[side];
  const wrist = point(pose, idx.wrist);
  const pinky = point(pose, idx.pinky);
  const index = point(pose, idx.index);
  const middle = { x: (2 * index.x + pinky.x) / 3, y: (2 * index.y + pinky.y) / 3 };
  const dx = (middle.x - wrist.x) * image.width;
  const dy = (middle.y - wrist.y) * image.height;
  const size = 2 * Math.hypot(dx, dy);
  const rect: NormalizedRect = {
    xCenter: middle.x,
    yCenter: middle.y,
    width: size / image.width,
    height: size / image.height,
    rotation: normalizeRadians(Math.PI / 2 - Math.atan2(-dy, dx)),
  };
  return transformRect(rect, image, POSE_TO_HAND);
}

/**
 * Face ROI from the pose: centred between eyes and mouth (raised slightly), eyes level, square with
 * the side given by FACE_SIZE_PER. A first guess for the face mesh, which then refines it.
 */
export function faceRoiFromPose(pose: readonly Landmark[], image: ImageSize): NormalizedRect {
  const f = POSE_FACE_POINTS;
  const px = (i: number): { x: number; y: number } => {
    const p = point(pose, i);
    return { x: p.x * image.width, y: p.y * image.height };
  };
  const [leftEye, rightEye, leftEar, rightEar, mouthL, mouthR] = [f.leftEye, f.rightEye, f.leftEar, f.rightEar, f.mouthLeft, f.mouthRight].map(px) as [
    { x: number; y: number },
    { x: number; y: number },
    { x: number; y: number },
    { x: number; y: number },
    { x: number; y: number },
    { x: number; y: number },
  ];
  const eyes = { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 };
  const mouth = { x: (mouthL.x + mouthR.x) / 2, y: (mouthL.y + mouthR.y) / 2 };
  const eyesToMouth = Math.hypot(mouth.x - eyes.x, mouth.y - eyes.y);
  const side = Math.max(
    FACE_SIZE_PER.ears * Math.hypot(leftEar.x - rightEar.x, leftEar.y - rightEar.y),
    FACE_SIZE_PER.eyes * Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y),
    FACE_SIZE_PER.eyesToMouth * eyesToMouth,
  );
  // The subject's right eye is on the image's left: right → left eye is the face's +x axis.
  const rotation = rotationFromPoints(point(pose, f.rightEye), point(pose, f.leftEye), image.width, image.height, 0);
  // "Up" in the face frame is the image's -y rotated by the ROI rotation.
  const upX = Math.sin(rotation);
  const upY = -Math.cos(rotation);
  const raise = FACE_CENTER_RAISE * eyesToMouth;
  const cx = (eyes.x + mouth.x) / 2 + upX * raise;
  const cy = (eyes.y + mouth.y) / 2 + upY * raise;
  return { xCenter: cx / image.width, yCenter: cy / image.height, width: side / image.width, height: side / image.height, rotation };
}
