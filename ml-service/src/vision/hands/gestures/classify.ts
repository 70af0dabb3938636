// Classifies a hand's 21 landmarks into one of MediaPipe's canned gestures with a score,
// by turning finger bends and thumb direction into fuzzy memberships and scoring GESTURE_TABLE.

import { FINGER_NAMES, measureHand, type HandGeometry, type HandPoint } from './hand-geometry.js';
import { GESTURE_TABLE, type FingerRequirement, type GestureName, type GestureRule, type ThumbRequirement } from './gesture-table.js';

export interface GestureThresholds {
  /** Total finger bend (degrees) at or below which a finger counts as fully extended. */
  readonly extendedBendDeg: number;
  /** Total finger bend (degrees) at or above which a finger counts as fully curled. */
  readonly curledBendDeg: number;
  /** Thumb clearance (HandGeometry.thumbClearance) at or below which it says nothing... */
  readonly thumbClearStart: number;
  /** ...and at or above which the thumb fully counts as held away from the fist. */
  readonly thumbClearFull: number;
  /** Thumb reach (HandGeometry.thumbReach) at or below which the thumb is not held out at all... */
  readonly thumbOutStart: number;
  /** ...and at or above which it is fully held out. */
  readonly thumbOutFull: number;
  /** Thumb bend (MCP + IP, degrees) at or above which the thumb counts as folded... */
  readonly thumbFoldedBendDeg: number;
  /** ...and at or below which it counts as straight. */
  readonly thumbStraightBendDeg: number;
  /** Vertical component of a unit direction (up positive) where "pointing up" starts to count... */
  readonly upStart: number;
  /** ...and where it fully counts. The same ramp, mirrored, is used for "pointing down". */
  readonly upFull: number;
  /** Best row score below this yields `None`. */
  readonly minScore: number;
}

export const DEFAULT_GESTURE_THRESHOLDS: GestureThresholds = Object.freeze({
  extendedBendDeg: 50,
  curledBendDeg: 130,
  thumbClearStart: 0,
  thumbClearFull: 0.2,
  thumbOutStart: 0.45,
  thumbOutFull: 0.6,
  thumbFoldedBendDeg: 70,
  thumbStraightBendDeg: 40,
  upStart: 0.3,
  upFull: 0.7,
  minScore: 0.5,
});

export interface GestureOptions {
  /**
   * See HandGeometryOptions.xScale: pass image width / height for normalized landmarks. Image
   * landmarks classify more reliably than world landmarks, whose finger bends are noisier.
   */
  readonly xScale?: number;
  readonly thresholds?: Partial<GestureThresholds>;
}

export interface GestureResult {
  readonly name: GestureName;
  /** Confidence in [0, 1]; for `None` it is one minus the best gesture's score. */
  readonly score: number;
  /** Score of every table row, for inspection. */
  readonly scores: Readonly<Partial<Record<GestureName, number>>>;
}

/** Linear ramp: 0 at `from`, 1 at `to` (works for from > to as a falling ramp), clamped. */
export function ramp(value: number, from: number, to: number): number {
  if (from === to) return value >= to ? 1 : 0;
  const t = (value - from) / (to - from);
  return Math.min(1, Math.max(0, t));
}

interface Memberships {
  extended(finger: (typeof FINGER_NAMES)[number]): number;
  thumb(req: ThumbRequirement): number;
  indexUp(): number;
}

function memberships(geo: HandGeometry, t: GestureThresholds): Memberships {
  const ext = (bend: number): number => ramp(bend, t.curledBendDeg, t.extendedBendDeg);
  const out = ramp(geo.thumbReach, t.thumbOutStart, t.thumbOutFull);
  const straight = ramp(geo.fingers.thumb.bendDeg, t.thumbFoldedBendDeg, t.thumbStraightBendDeg);
  // Held away from the fist: either its tip sticks out past every other landmark, or it is
  // straight and reaches well away from the index base.
  const away = Math.max(ramp(geo.thumbClearance, t.thumbClearStart, t.thumbClearFull), Math.min(straight, out));
  const thumbUp = -geo.fingers.thumb.direction.y;
  const up = Math.min(away, ramp(thumbUp, t.upStart, t.upFull));
  const down = Math.min(away, ramp(-thumbUp, t.upStart, t.upFull));
  return {
    extended: (f) => ext(geo.fingers[f].bendDeg),
    thumb(req) {
      switch (req) {
        case 'any':
          return 1;
        case 'out':
          return out;
        case 'tucked':
          // Any thumb that does not clearly point up or down leaves a fist a fist.
          return 1 - Math.max(up, down);
        case 'up':
          return up;
        case 'down':
          return down;
      }
    },
    indexUp: () => ramp(-geo.fingers.index.direction.y, t.upStart, t.upFull),
  };
}

function fingerScore(req: FingerRequirement, extended: number): number {
  if (req === 'any') return 1;
  return req === 'extended' ? extended : 1 - extended;
}

function scoreRule(rule: GestureRule, m: Memberships): number {
  let score = m.thumb(rule.thumb);
  score = Math.min(score, fingerScore(rule.index, m.extended('index')));
  score = Math.min(score, fingerScore(rule.middle, m.extended('middle')));
  score = Math.min(score, fingerScore(rule.ring, m.extended('ring')));
  score = Math.min(score, fingerScore(rule.pinky, m.extended('pinky')));
  if (rule.indexUp === true) score = Math.min(score, m.indexUp());
  return score;
}

/** Scores a measured hand against the table. */
export function classifyGeometry(geo: HandGeometry, thresholds: GestureThresholds = DEFAULT_GESTURE_THRESHOLDS): GestureResult {
  const m = memberships(geo, thresholds);
  const scores: Partial<Record<GestureName, number>> = {};
  let best: GestureName = 'None';
  let bestScore = 0;
  for (const rule of GESTURE_TABLE) {
    const s = scoreRule(rule, m);
    scores[rule.name] = s;
    if (s > bestScore) {
      best = rule.name;
      bestScore = s;
    }
  }
  if (bestScore < thresholds.minScore) return { name: 'None', score: 1 - bestScore, scores };
  return { name: best, score: bestScore, scores };
}

/**
 * Classifies 21 hand landmarks. World landmarks (metres) work as they are; for normalized
 * landmarks pass `xScale = imageWidth / imageHeight` so that angles are measured undistorted.
 */
export function classifyGesture(landmarks: readonly HandPoint[], options: GestureOptions = {}): GestureResult {
  const thresholds = { ...DEFAULT_GESTURE_THRESHOLDS, ...options.thresholds };
  const geo = measureHand(landmarks, options.xScale === undefined ? {} : { xScale: options.xScale });
  return classifyGeometry(geo, thresholds);
}
