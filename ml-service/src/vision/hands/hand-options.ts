// Per-request options of the hand pipeline, their defaults and validation.

import { invalidArgument } from '../errors.js';
import { checkBoolean, checkIntRange, checkUnit } from '../options.js';

export interface HandRequestOptions {
  /** Most hands to return (1..10). Default 2. */
  maxHands?: number;
  /** Minimum palm detection score (0..1). Default 0.5. */
  minDetectionConfidence?: number;
  /** Minimum hand presence score from the landmark model (0..1). Default 0.5. */
  minPresenceConfidence?: number;
  /**
   * Set when the frame is a mirrored selfie view: handedness labels are swapped so they name the
   * person's real hand. Unset, labels are what the model sees in the image as given. Default false.
   */
  selfieMirrored?: boolean;
  /** Classify a canned gesture per hand. Default true. */
  gestures?: boolean;
}

export type ResolvedHandOptions = Required<HandRequestOptions>;

export const DEFAULT_HAND_OPTIONS: Readonly<ResolvedHandOptions> = Object.freeze({
  maxHands: 2,
  minDetectionConfidence: 0.5,
  minPresenceConfidence: 0.5,
  selfieMirrored: false,
  gestures: true,
});

export const MAX_HANDS_LIMIT = 10;

/** Fills defaults and validates; throws VISION_INVALID_ARGUMENT naming the bad field. */
export function resolveHandOptions(o: HandRequestOptions = {}): ResolvedHandOptions {
  if (o === null || typeof o !== 'object') throw invalidArgument('options', 'must be an object');
  const d = DEFAULT_HAND_OPTIONS;
  return {
    maxHands: o.maxHands === undefined ? d.maxHands : checkIntRange(o.maxHands, 'maxHands', 1, MAX_HANDS_LIMIT),
    minDetectionConfidence:
      o.minDetectionConfidence === undefined ? d.minDetectionConfidence : checkUnit(o.minDetectionConfidence, 'minDetectionConfidence'),
    minPresenceConfidence:
      o.minPresenceConfidence === undefined ? d.minPresenceConfidence : checkUnit(o.minPresenceConfidence, 'minPresenceConfidence'),
    selfieMirrored: o.selfieMirrored === undefined ? d.selfieMirrored : checkBoolean(o.selfieMirrored, 'selfieMirrored'),
    gestures: o.gestures === undefined ? d.gestures : checkBoolean(o.gestures, 'gestures'),
  };
}
