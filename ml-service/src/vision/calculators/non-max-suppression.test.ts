// Unit tests for default and weighted non-maximum suppression.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../types.js';
import { nonMaxSuppression, overlapSimilarity } from './non-max-suppression.js';

const near = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const det = (xmin: number, ymin: number, score: number, kx = 0): Detection => ({
  box: { xmin, ymin, width: 1, height: 1 }, score, classId: 0, keypoints: [{ x: kx, y: 0 }],
});

test('overlap similarity: IoU and modified Jaccard', () => {
  const a = det(0, 0, 1).box;
  const b = det(0.5, 0, 1).box;
  near(overlapSimilarity('intersection-over-union', a, b), 0.5 / 1.5);
  near(overlapSimilarity('modified-jaccard', a, { xmin: 0, ymin: 0, width: 0.5, height: 1 }), 1);
});

test('default NMS keeps the best of overlapping boxes and separate boxes, best first', () => {
  const kept = nonMaxSuppression([det(0.1, 0, 0.8), det(2, 2, 0.7), det(0, 0, 0.9)], { minSuppressionThreshold: 0.3 });
  assert.deepEqual(kept.map((d) => d.score), [0.9, 0.7]);
  const capped = nonMaxSuppression([det(0.1, 0, 0.8), det(2, 2, 0.7), det(0, 0, 0.9)], { minSuppressionThreshold: 0.3, maxNumDetections: 1 });
  assert.equal(capped.length, 1);
});

test('weighted NMS averages overlapping boxes and keypoints by score', () => {
  const kept = nonMaxSuppression([det(0, 0, 0.9, 1), det(0.1, 0, 0.8, 2), det(2, 2, 0.7)], { minSuppressionThreshold: 0.3, algorithm: 'weighted' });
  assert.equal(kept.length, 2);
  const m = kept[0]!;
  near(m.score, 0.9);
  near(m.box.xmin, (0.1 * 0.8) / 1.7);
  near(m.box.width, 1);
  near(m.keypoints[0]!.x, (1 * 0.9 + 2 * 0.8) / 1.7);
  assert.deepEqual(kept[1]!.box, { xmin: 2, ymin: 2, width: 1, height: 1 });
});

test('minScoreThreshold drops weak detections first', () => {
  const kept = nonMaxSuppression([det(0, 0, 0.2), det(3, 3, 0.6)], { minSuppressionThreshold: 0.3, minScoreThreshold: 0.5, algorithm: 'weighted' });
  assert.deepEqual(kept.map((d) => d.score), [0.6]);
});
