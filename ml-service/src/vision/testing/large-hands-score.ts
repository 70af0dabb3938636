// Scores hand results on the large-hand set: which returned hand lies on the pasted crop, whether
// its handedness and gesture are right, and recall summaries by case attribute.

import type { Point2 } from '../types.js';
import { insideRegion, type LargeHandCase } from './large-hands.js';

/** The parts of a hand result the score needs (the pipeline's and the gRPC answer's both fit). */
export interface ScoredHand {
  landmarks: readonly Point2[];
  handedness: string | undefined;
  gesture: string | undefined;
}

export interface LargeHandScore {
  name: string;
  found: boolean;
  handedness: string | undefined;
  gesture: string | undefined;
  handednessRight: boolean;
  /** Undefined when the case does not assert a gesture. */
  gestureRight: boolean | undefined;
  /** Fraction of the found hand's landmarks inside the crop (0 when none was found). */
  inside: number;
}

/** Landmarks may overshoot the crop a little at its edges (normalized margin). */
export const REGION_MARGIN = 0.02;
/** A hand counts as found when at least this fraction of its landmarks lies on the crop. */
export const MIN_INSIDE = 0.9;

/**
 * Gestures are asserted only near upright (0 and ±30°): rotated further, a thumb-up reads as a
 * thumb pointing sideways or down, and the canned gestures are defined in image orientation.
 */
export function gestureAsserted(c: Pick<LargeHandCase, 'source' | 'rotationDeg'>): boolean {
  return c.source.gesture !== undefined && Math.abs(c.rotationDeg) <= 30;
}

export function scoreLargeHand(c: LargeHandCase, hands: readonly ScoredHand[]): LargeHandScore {
  let best: ScoredHand | undefined;
  let bestInside = 0;
  for (const h of hands) {
    const inside = h.landmarks.filter((p) => insideRegion(p, c.region, REGION_MARGIN)).length / Math.max(1, h.landmarks.length);
    if (inside > bestInside) {
      best = h;
      bestInside = inside;
    }
  }
  const found = best !== undefined && bestInside >= MIN_INSIDE;
  const handedness = found ? best?.handedness : undefined;
  const gesture = found ? best?.gesture : undefined;
  return {
    name: c.name,
    found,
    handedness,
    gesture,
    handednessRight: found && handedness === c.source.handedness,
    gestureRight: gestureAsserted(c) ? found && gesture === c.source.gesture : undefined,
    inside: found ? bestInside : 0,
  };
}

export interface RecallSummary {
  cases: number;
  found: number;
  handednessRight: number;
  gestureCases: number;
  gestureRight: number;
}

export function summarize(scores: readonly LargeHandScore[]): RecallSummary {
  const gestures = scores.filter((s) => s.gestureRight !== undefined);
  return {
    cases: scores.length,
    found: scores.filter((s) => s.found).length,
    handednessRight: scores.filter((s) => s.handednessRight).length,
    gestureCases: gestures.length,
    gestureRight: gestures.filter((s) => s.gestureRight === true).length,
  };
}

export function formatSummary(label: string, s: RecallSummary): string {
  const pct = (n: number, d: number): string => `${n}/${d} (${d === 0 ? '-' : ((100 * n) / d).toFixed(1)}%)`;
  return `${label}: recall ${pct(s.found, s.cases)}, handedness right ${pct(s.handednessRight, s.cases)}, gesture right ${pct(s.gestureRight, s.gestureCases)}`;
}
