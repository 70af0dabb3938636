// Drops hands whose landmarks repeat an earlier hand's, following MediaPipe Tasks'
// HandLandmarksDeduplicationCalculator (two palms of one hand give two near-identical hands).

import type { ImageSize, Point2 } from '../types.js';

/** A corresponding landmark "matches" within this fraction of the larger hand's baseline distance. */
const BASELINE_RATIO = 0.2;
/** A hand is a duplicate when at least this many of its 21 landmarks match... */
const MIN_MATCHED = 10;
/** ...and the landmarks' bounding boxes overlap by more than this IoU. */
const MIN_IOU = 0.2;

const WRIST = 0;
const INDEX_MCP = 5;
const PINKY_MCP = 17;

function distance(a: Point2, b: Point2, image: ImageSize): number {
  return Math.hypot((a.x - b.x) * image.width, (a.y - b.y) * image.height);
}

/** Longest side of the wrist / index base / pinky base triangle, in pixels. */
function baseline(lm: readonly Point2[], image: ImageSize): number {
  const w = lm[WRIST]!;
  const i = lm[INDEX_MCP]!;
  const p = lm[PINKY_MCP]!;
  return Math.max(distance(w, i, image), distance(i, p, image), distance(p, w, image));
}

interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function bounds(lm: readonly Point2[]): Bounds {
  const xs = lm.map((p) => p.x);
  const ys = lm.map((p) => p.y);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

function iou(a: Bounds, b: Bounds): number {
  const iw = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const ih = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const inter = iw * ih;
  const union = (a.right - a.left) * (a.bottom - a.top) + (b.right - b.left) * (b.bottom - b.top) - inter;
  return union > 0 ? inter / union : 0;
}

/** Keeps hands in order, dropping each one that duplicates a hand already kept. */
export function deduplicateHands<T extends { landmarks: readonly Point2[] }>(hands: readonly T[], image: ImageSize): T[] {
  const kept: { hand: T; baseline: number; bounds: Bounds }[] = [];
  for (const hand of hands) {
    if (hand.landmarks.length !== 21) throw new RangeError(`a hand has 21 landmarks, got ${hand.landmarks.length}`);
    const b = baseline(hand.landmarks, image);
    const box = bounds(hand.landmarks);
    const duplicate = kept.some((k) => {
      const threshold = Math.max(b, k.baseline) * BASELINE_RATIO;
      const matched = hand.landmarks.filter((p, i) => distance(p, k.hand.landmarks[i]!, image) < threshold).length;
      return matched >= MIN_MATCHED && iou(box, k.bounds) > MIN_IOU;
    });
    if (!duplicate) kept.push({ hand, baseline: b, bounds: box });
  }
  return kept.map((k) => k.hand);
}
