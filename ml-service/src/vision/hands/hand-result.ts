// Turns one run of the hand landmark model into a HandResult: handedness label (optionally swapped for
// mirrored selfie frames), presence, the ROI and a canned gesture. Shared by the image-mode pipeline,
// the VIDEO-mode tracker and the holistic pipeline.

import { classifyGesture, type GestureResult } from './gestures/classify.js';
import type { ImageSize, Landmark, NormalizedRect } from '../types.js';
import type { RawHandLandmarks } from './hand-landmarks.js';

export type HandednessLabel = 'Left' | 'Right';

export interface Handedness {
  label: HandednessLabel;
  /** Probability of `label`. */
  score: number;
}

export interface HandResult {
  /** 21 landmarks normalized to the image (MediaPipe order: wrist, thumb…pinky tips). */
  landmarks: Landmark[];
  /** 21 landmarks in metres around the hand's centre, image-aligned axes (y down). */
  worldLandmarks: Landmark[];
  handedness: Handedness;
  /** Hand presence probability from the landmark model. */
  presence: number;
  /** Palm detection score. */
  detectionScore: number;
  /** The rotated region the landmark model looked at. */
  roi: NormalizedRect;
  /** Canned gesture (absent when the request turned gestures off). */
  gesture?: GestureResult;
}

export interface HandResultOptions {
  /** Swap the labels so they name the person's hand in a mirrored selfie view. */
  selfieMirrored: boolean;
  /** Classify a gesture. */
  gestures: boolean;
}

/** Builds the public result; `detectionScore` is the palm score (or what stands in for it). */
export function buildHandResult(
  raw: RawHandLandmarks,
  roi: NormalizedRect,
  detectionScore: number,
  image: ImageSize,
  opts: HandResultOptions,
): HandResult {
  const right = raw.rightScore >= 0.5;
  const label: HandednessLabel = right !== opts.selfieMirrored ? 'Right' : 'Left';
  const hand: HandResult = {
    landmarks: raw.landmarks,
    worldLandmarks: raw.worldLandmarks,
    handedness: { label, score: right ? raw.rightScore : 1 - raw.rightScore },
    presence: raw.presence,
    detectionScore,
    roi,
  };
  if (opts.gestures) hand.gesture = classifyGesture(raw.landmarks, { xScale: image.width / image.height });
  return hand;
}
