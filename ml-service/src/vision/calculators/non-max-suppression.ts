// Non-maximum suppression, following MediaPipe's NonMaxSuppressionCalculator (default and weighted).

import type { Detection } from '../types.js';
import { boxArea, intersectionArea } from './math.js';

export type OverlapType = 'jaccard' | 'modified-jaccard' | 'intersection-over-union';

export interface NonMaxSuppressionOptions {
  /** Overlap above which a lower-scored detection is suppressed (or merged, when weighted). */
  minSuppressionThreshold: number;
  overlapType?: OverlapType;
  algorithm?: 'default' | 'weighted';
  /** Keep at most this many (≤ 0: no limit). */
  maxNumDetections?: number;
  /** Detections scoring below this are dropped first. */
  minScoreThreshold?: number;
}

/** MediaPipe's OverlapSimilarity: JACCARD and IOU divide by the union, MODIFIED_JACCARD by the second box. */
export function overlapSimilarity(type: OverlapType, a: Detection['box'], b: Detection['box']): number {
  const inter = intersectionArea(a, b);
  const norm = type === 'modified-jaccard' ? boxArea(b) : boxArea(a) + boxArea(b) - inter;
  return norm > 0 ? inter / norm : 0;
}

/** Returns kept detections, highest score first. Input is not modified. */
export function nonMaxSuppression(detections: readonly Detection[], o: NonMaxSuppressionOptions): Detection[] {
  const type = o.overlapType ?? 'intersection-over-union';
  const max = o.maxNumDetections !== undefined && o.maxNumDetections > 0 ? o.maxNumDetections : Number.POSITIVE_INFINITY;
  const minScore = o.minScoreThreshold ?? Number.NEGATIVE_INFINITY;
  let remaining = detections.filter((d) => d.score >= minScore).sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  if (o.algorithm !== 'weighted') {
    for (const d of remaining) {
      if (kept.length >= max) break;
      if (kept.every((k) => overlapSimilarity(type, d.box, k.box) <= o.minSuppressionThreshold)) kept.push(d);
    }
    return kept;
  }
  while (remaining.length > 0 && kept.length < max) {
    const top = remaining[0]!;
    const cluster: Detection[] = [];
    const rest: Detection[] = [];
    for (const d of remaining) {
      (overlapSimilarity(type, top.box, d.box) > o.minSuppressionThreshold ? cluster : rest).push(d);
    }
    kept.push(cluster.length > 1 ? weightedAverage(top, cluster) : top);
    remaining = rest;
  }
  return kept;
}

/** Score-weighted mean of box corners and keypoints; keeps the top detection's score and class. */
function weightedAverage(top: Detection, cluster: readonly Detection[]): Detection {
  let total = 0;
  let xmin = 0;
  let ymin = 0;
  let xmax = 0;
  let ymax = 0;
  const kps = top.keypoints.map(() => ({ x: 0, y: 0 }));
  for (const d of cluster) {
    const s = d.score;
    total += s;
    xmin += d.box.xmin * s;
    ymin += d.box.ymin * s;
    xmax += (d.box.xmin + d.box.width) * s;
    ymax += (d.box.ymin + d.box.height) * s;
    for (let k = 0; k < kps.length; k++) {
      const p = d.keypoints[k];
      if (p === undefined) continue;
      kps[k]!.x += p.x * s;
      kps[k]!.y += p.y * s;
    }
  }
  xmin /= total;
  ymin /= total;
  xmax /= total;
  ymax /= total;
  return {
    box: { xmin, ymin, width: xmax - xmin, height: ymax - ymin },
    score: top.score,
    classId: top.classId,
    keypoints: kps.map((p) => ({ x: p.x / total, y: p.y / total })),
  };
}
