// Hand regions of interest: from a palm detection (MediaPipe's PalmDetectionDetectionToRoi) and
// from a previous frame's landmarks (HandLandmarkLandmarksToRoi), both as rotated normalized rects.

import { detectionToRect } from '../calculators/detection-to-rect.js';
import { normalizeRadians } from '../calculators/math.js';
import { transformRect, type RectTransformationOptions } from '../calculators/rect-transformation.js';
import type { Detection, ImageSize, Landmark, NormalizedRect } from '../types.js';
import { PALM_KEYPOINT } from './palm-detector.js';

/** Expands the palm box so it covers the whole hand: 2.6× and half a box toward the fingers. */
export const PALM_TO_HAND: RectTransformationOptions = Object.freeze({ scaleX: 2.6, scaleY: 2.6, shiftY: -0.5, squareLong: true });

/** Expands the landmarks' rotated bounds for the next frame: 2× and a tenth toward the fingers. */
export const LANDMARKS_TO_HAND: RectTransformationOptions = Object.freeze({ scaleX: 2.0, scaleY: 2.0, shiftY: -0.1, squareLong: true });

/** Palm detection → hand rect, rotated so the wrist→middle-base vector points up. */
export function palmToHandRect(palm: Detection, image: ImageSize): NormalizedRect {
  const raw = detectionToRect(palm, image, {
    rotationVectorStartKeypointIndex: PALM_KEYPOINT.wrist,
    rotationVectorEndKeypointIndex: PALM_KEYPOINT.middleBase,
    rotationVectorTargetAngle: Math.PI / 2,
  });
  return transformRect(raw, image, PALM_TO_HAND);
}

/** Hand landmark indices used for the tracking rect: wrist, finger bases and thumb joints. */
const PARTIAL_PALM = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18] as const;
const WRIST = 0;
const INDEX_BASE = 5;
const MIDDLE_BASE = 9;
const RING_BASE = 13;

/**
 * Landmarks → rect for tracking into the next frame (HandLandmarksToRectCalculator + transform):
 * rotation from wrist to the middle of index/ring bases and middle base, bounds taken in the
 * rotated frame over palm landmarks.
 */
export function landmarksToHandRect(landmarks: readonly Landmark[], image: ImageSize): NormalizedRect {
  const px = (i: number): { x: number; y: number } => {
    const p = landmarks[i];
    if (p === undefined) throw new RangeError(`hand landmark #${i} missing (${landmarks.length} given)`);
    return { x: p.x * image.width, y: p.y * image.height };
  };
  const wrist = px(WRIST);
  const idx = px(INDEX_BASE);
  const mid = px(MIDDLE_BASE);
  const ring = px(RING_BASE);
  const tx = ((idx.x + ring.x) / 2 + mid.x) / 2;
  const ty = ((idx.y + ring.y) / 2 + mid.y) / 2;
  const rotation = normalizeRadians(Math.PI / 2 - Math.atan2(-(ty - wrist.y), tx - wrist.x));
  const c = Math.cos(rotation);
  const s = Math.sin(rotation);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const i of PARTIAL_PALM) {
    const p = px(i);
    // Rotate by -rotation so the hand stands upright.
    const rx = p.x * c + p.y * s;
    const ry = -p.x * s + p.y * c;
    minX = Math.min(minX, rx);
    maxX = Math.max(maxX, rx);
    minY = Math.min(minY, ry);
    maxY = Math.max(maxY, ry);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const rect: NormalizedRect = {
    xCenter: (cx * c - cy * s) / image.width,
    yCenter: (cx * s + cy * c) / image.height,
    width: (maxX - minX) / image.width,
    height: (maxY - minY) / image.height,
    rotation,
  };
  return transformRect(rect, image, LANDMARKS_TO_HAND);
}
