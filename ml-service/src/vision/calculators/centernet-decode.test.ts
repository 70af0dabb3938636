// Unit tests of object-detection post-processing: CenterNet heatmap peaks to boxes, per-class NMS and
// the label map with its allowlist lookup.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../types.js';
import { centerNetToDetections } from './centernet-tensors-to-detections.js';
import { classIdsOf, labelOf } from './detection-label-id-to-text.js';
import { perClassNonMaxSuppression } from './per-class-nms.js';

const near = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

/** A 4×4 grid with 3 classes; `peaks` are [row, col, class, score, l, t, r, b]. */
function tensors(peaks: readonly number[][]) {
  const rows = 4;
  const cols = 4;
  const classes = 3;
  const heatmap = new Float32Array(rows * cols * classes);
  const edges = new Float32Array(rows * cols * 4);
  for (const [r, c, k, s, ...e] of peaks) {
    const cell = r! * cols + c!;
    heatmap[cell * classes + k!] = s!;
    edges.set(e, cell * 4);
  }
  return { heatmap, edges, rows, cols, classes };
}

test('a peak becomes a box from its cell ± the edge distances, normalized to the input', () => {
  const t = tensors([[1, 2, 1, 0.8, 2, 3, 4, 5], [3, 0, 0, 0.2, 1, 1, 1, 1]]);
  const d = centerNetToDetections(t, { stride: 4, inputWidth: 16, inputHeight: 16, minScore: 0.3 });
  assert.equal(d.length, 1);
  const [only] = d;
  assert.equal(only!.classId, 1);
  near(only!.score, 0.8);
  // Cell (row 1, col 2) at stride 4 is input pixel (8, 4): box x 6..12, y 1..9.
  near(only!.box.xmin, 6 / 16);
  near(only!.box.ymin, 1 / 16);
  near(only!.box.width, 6 / 16);
  near(only!.box.height, 8 / 16);
});

test('the class filter and degenerate boxes drop peaks; mismatched tensors are refused', () => {
  const t = tensors([[0, 0, 0, 0.9, 1, 1, 1, 1], [2, 2, 2, 0.9, 1, 1, 1, 1], [1, 1, 1, 0.9, -3, 1, 1, 1]]);
  const d = centerNetToDetections(t, { stride: 4, inputWidth: 16, inputHeight: 16, minScore: 0.5, classIds: new Set([2, 1]) });
  assert.deepEqual(d.map((x) => x.classId), [2]);
  assert.throws(() => centerNetToDetections({ ...t, rows: 5 }, { stride: 4, inputWidth: 16, inputHeight: 16, minScore: 0.5 }), RangeError);
});

const det = (xmin: number, score: number, classId: number): Detection => ({ box: { xmin, ymin: 0, width: 1, height: 1 }, score, classId, keypoints: [] });

test('per-class NMS: overlapping boxes of one class collapse, of different classes both stay; best first, capped', () => {
  const input = [det(0, 0.5, 0), det(0.1, 0.9, 0), det(0.05, 0.7, 1), det(5, 0.6, 0)];
  const kept = perClassNonMaxSuppression(input, { iouThreshold: 0.5 });
  assert.deepEqual(kept.map((d) => [d.classId, d.score]), [[0, 0.9], [1, 0.7], [0, 0.6]]);
  assert.deepEqual(perClassNonMaxSuppression(input, { iouThreshold: 0.5, maxNumDetections: 2 }).map((d) => d.score), [0.9, 0.7]);
  assert.equal(perClassNonMaxSuppression(input, { iouThreshold: 1 }).length, 4);
});

test('labels: id to text (the number when unmapped) and allowlist names to ids, unknown names refused', () => {
  const labels = ['person', 'bicycle', 'car'];
  assert.equal(labelOf(labels, 2), 'car');
  assert.equal(labelOf(labels, 7), '7');
  assert.deepEqual([...classIdsOf(labels, ['car', 'person'], 'options.category_allowlist')].sort(), [0, 2]);
  assert.throws(() => classIdsOf(labels, ['car', 'horse'], 'options.category_allowlist'), /^VisionError: options\.category_allowlist: unknown label "horse"/);
});
