// Non-maximum suppression within each class: MediaPipe's NonMaxSuppressionCalculator (default
// algorithm, IoU overlap) run once per class id, as TFLite's detection post-processing does in its
// regular (per-class) mode; boxes of different classes never suppress each other. The survivors of
// all classes are merged best first and cut to `maxNumDetections`.

import type { Detection } from '../types.js';
import { nonMaxSuppression } from './non-max-suppression.js';

export interface PerClassNmsOptions {
  /** IoU above which the lower-scored box of the same class is dropped. */
  iouThreshold: number;
  /** Keep at most this many over all classes (≤ 0: no limit). */
  maxNumDetections?: number;
}

export function perClassNonMaxSuppression(detections: readonly Detection[], o: PerClassNmsOptions): Detection[] {
  const byClass = new Map<number, Detection[]>();
  for (const d of detections) {
    const list = byClass.get(d.classId);
    if (list) list.push(d);
    else byClass.set(d.classId, [d]);
  }
  const kept: Detection[] = [];
  const max = o.maxNumDetections ?? 0;
  for (const list of byClass.values()) {
    kept.push(...nonMaxSuppression(list, { minSuppressionThreshold: o.iouThreshold, maxNumDetections: max }));
  }
  kept.sort((a, b) => b.score - a.score);
  return max > 0 ? kept.slice(0, max) : kept;
}
