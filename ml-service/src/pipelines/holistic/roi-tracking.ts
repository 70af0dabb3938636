// Decides whether a part (face or hand) can keep the ROI derived from its own previous landmarks or
// must start again from the pose-derived ROI, in the spirit of MediaPipe's RoiTrackingCalculator:
// the rotations must agree and the pose's anchor points for the part must lie well inside the
// previous ROI.

import { normalizeRadians } from '../../vision/calculators/math.js';
import { rectIou } from '../../vision/shared/rect-iou.js';
import type { ImageSize, NormalizedRect, Point2 } from '../../vision/types.js';

export interface RoiTrackingRequirements {
  /** Largest rotation difference (radians) between the tracked and the pose-derived ROI. */
  maxRotation: number;
  /**
   * Anchor points must lie inside the tracked ROI shrunk by this fraction of its size on every side
   * (0.2 keeps them out of the outer fifth).
   */
  margin: number;
}

/** The wrist sits near the bottom edge of a landmark ROI, hence the small margin for hands. */
export const HAND_TRACKING_REQUIREMENTS: RoiTrackingRequirements = Object.freeze({ maxRotation: (40 * Math.PI) / 180, margin: 0.05 });
export const FACE_TRACKING_REQUIREMENTS: RoiTrackingRequirements = Object.freeze({ maxRotation: (25 * Math.PI) / 180, margin: 0.2 });

/** True when `p` (normalized) lies inside `rect` shrunk by `margin` of its size on each side. */
export function insideRect(p: Point2, rect: NormalizedRect, image: ImageSize, margin = 0): boolean {
  const dx = (p.x - rect.xCenter) * image.width;
  const dy = (p.y - rect.yCenter) * image.height;
  // Into the rect's own axes (undo its clockwise rotation).
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const u = c * dx + s * dy;
  const v = -s * dx + c * dy;
  const halfW = (rect.width * image.width * (1 - 2 * margin)) / 2;
  const halfH = (rect.height * image.height * (1 - 2 * margin)) / 2;
  return Math.abs(u) <= halfW && Math.abs(v) <= halfH;
}

/** Whether `tracked` (from the previous frame's landmarks) is still good for this frame. */
export function canKeepTrackedRoi(
  tracked: NormalizedRect,
  fromPose: NormalizedRect,
  anchors: readonly Point2[],
  image: ImageSize,
  req: RoiTrackingRequirements,
): boolean {
  if (Math.abs(normalizeRadians(tracked.rotation - fromPose.rotation)) > req.maxRotation) return false;
  return anchors.every((p) => insideRect(p, tracked, image, req.margin));
}

/** A first pass whose landmark ROI overlaps the ROI it ran on at least this much needs no second pass. */
export const CONVERGED_IOU = 0.85;
/** ...and whose rotation differs by less than this (radians, about 6°). */
export const CONVERGED_ROTATION = 0.1;

/** Whether running the model again on `next` (derived from a pass on `used`) would change little. */
export function roiConverged(used: NormalizedRect, next: NormalizedRect, image: ImageSize): boolean {
  return Math.abs(normalizeRadians(used.rotation - next.rotation)) < CONVERGED_ROTATION && rectIou(used, next, image) >= CONVERGED_IOU;
}
