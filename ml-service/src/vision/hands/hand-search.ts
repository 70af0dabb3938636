// Palm-seeded hand search shared by the image-mode pipeline and the VIDEO-mode tracker: palm
// detection at each of PALM_SCALES in order until the frame has a hand, each palm's ROI through the
// landmark model, hands below the presence threshold dropped, and hands that repeat a hand already
// known (an earlier palm's, or a tracked one) removed (HandLandmarksDeduplicationCalculator).

import { deduplicateHands } from '../calculators/hand-landmarks-deduplication.js';
import type { NormalizedRect, Point2, RgbImage } from '../types.js';
import type { HandLandmarkModel, RawHandLandmarks } from './hand-landmarks.js';
import type { ResolvedHandOptions } from './hand-options.js';
import { palmToHandRect } from './hand-roi.js';
import { PALM_SCALES, type PalmDetector, zoomedOutRect } from './palm-detector.js';

export interface HandSearchModels {
  palm: PalmDetector;
  landmarks: HandLandmarkModel;
}

export interface HandSearchOptions {
  /** Palm detection scales tried in order while the frame has no hand (default PALM_SCALES). */
  scales?: readonly number[];
  /** Landmarks of hands the frame already has (tracked ones): a further scale runs only while there are none, and found hands repeating them are dropped. */
  known?: readonly (readonly Point2[])[];
  /** Palms whose hand ROI this returns true for are not looked at (e.g. a tracked hand's). */
  skip?: (roi: NormalizedRect) => boolean;
  /** At most this many new hands (default maxHands). */
  limit?: number;
}

/** A hand found from a palm: the landmark model's output, the ROI it looked at and the palm score. */
export interface FoundHand {
  raw: RawHandLandmarks;
  roi: NormalizedRect;
  palmScore: number;
}

export interface HandSearchResult {
  hands: FoundHand[];
  /** Palms detected over all passes. */
  palms: number;
  /** Palm detector passes run. */
  passes: number;
}

/** Callers serialise use of the models (their buffers are reused). */
export async function searchHands(
  models: HandSearchModels,
  image: RgbImage,
  opts: ResolvedHandOptions,
  o: HandSearchOptions = {},
): Promise<HandSearchResult> {
  const known = o.known ?? [];
  const limit = o.limit ?? opts.maxHands;
  let hands: FoundHand[] = [];
  let palms = 0;
  let passes = 0;
  for (const scale of o.scales ?? PALM_SCALES) {
    if (passes > 0 && hands.length + known.length > 0) break;
    passes++;
    const found = await models.palm.detect(image, { minScore: opts.minDetectionConfidence, maxPalms: opts.maxHands }, zoomedOutRect(scale));
    palms += found.length;
    for (const palm of found) {
      if (hands.length >= limit) break;
      const roi = palmToHandRect(palm, image);
      if (o.skip?.(roi) === true) continue;
      const raw = await models.landmarks.run(image, roi);
      if (raw.presence < opts.minPresenceConfidence) continue;
      hands.push({ raw, roi, palmScore: palm.score });
    }
    hands = withoutDuplicates(hands, known, image);
  }
  return { hands, palms, passes };
}

/** Found hands that repeat neither a known hand nor an earlier found one. */
function withoutDuplicates(hands: readonly FoundHand[], known: readonly (readonly Point2[])[], image: RgbImage): FoundHand[] {
  const all = [...known.map((landmarks) => ({ landmarks, hand: undefined })), ...hands.map((hand) => ({ landmarks: hand.raw.landmarks, hand }))];
  return deduplicateHands(all, image).flatMap((h) => (h.hand === undefined ? [] : [h.hand]));
}
