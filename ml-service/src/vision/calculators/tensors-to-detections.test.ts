// Unit tests for anchor-relative box decoding, score clipping/sigmoid and score filtering.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Anchor } from './ssd-anchors.js';
import { tensorsToDetections, type TensorsToDetectionsOptions } from './tensors-to-detections.js';

const near = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const anchor: Anchor = { xCenter: 0.5, yCenter: 0.5, w: 1, h: 1 };
const base: TensorsToDetectionsOptions = {
  numClasses: 1, numBoxes: 1, numCoords: 6, keypointCoordOffset: 4, numKeypoints: 1, numValuesPerKeypoint: 2,
  xScale: 100, yScale: 100, wScale: 100, hScale: 100, sigmoidScore: true, scoreClippingThresh: 100, minScoreThresh: 0.5,
};

test('reverse output order decodes (x, y, w, h) and keypoints relative to the anchor', () => {
  const boxes = new Float32Array([10, -20, 30, 40, 5, 5]);
  const [d] = tensorsToDetections({ boxes, scores: new Float32Array([0]) }, [anchor], { ...base, reverseOutputOrder: true });
  assert.ok(d);
  near(d.box.xmin, 0.45);
  near(d.box.ymin, 0.1);
  near(d.box.width, 0.3);
  near(d.box.height, 0.4);
  near(d.score, 0.5);
  near(d.keypoints[0]!.x, 0.55);
  near(d.keypoints[0]!.y, 0.55);
});

test('default order is (y, x, h, w); exponential sizes and anchor scaling apply', () => {
  const boxes = new Float32Array([0, 0, 0, Math.log(2) * 100, 0, 0]);
  const small: Anchor = { xCenter: 0.2, yCenter: 0.4, w: 0.1, h: 0.2 };
  const [d] = tensorsToDetections({ boxes, scores: new Float32Array([3]) }, [small], { ...base, applyExponentialOnBoxSize: true });
  assert.ok(d);
  near(d.box.width, 0.2, 1e-5); // exp(ln 2) × 0.1
  near(d.box.height, 0.2, 1e-5); // exp(0) × 0.2
  near(d.box.xmin, 0.1, 1e-5);
  near(d.box.ymin, 0.3, 1e-5);
  near(d.score, 1 / (1 + Math.exp(-3)));
});

test('scores are clipped before the sigmoid and filtered by minScoreThresh; strided views work', () => {
  // Two boxes packed as [score, x, y, w, h, kx, ky] rows.
  const packed = new Float32Array([-1, 0, 0, 10, 10, 0, 0, 500, 0, 0, 10, 10, 0, 0]);
  const ds = tensorsToDetections(
    { boxes: packed, boxStart: 1, boxStride: 7, scores: packed, scoreStart: 0, scoreStride: 7 },
    [anchor, anchor],
    { ...base, numBoxes: 2, reverseOutputOrder: true, scoreClippingThresh: 2 },
  );
  assert.equal(ds.length, 1); // sigmoid(-1) = 0.269 < 0.5
  near(ds[0]!.score, 1 / (1 + Math.exp(-2)));
});

test('anchor count must match numBoxes', () => {
  assert.throws(() => tensorsToDetections({ boxes: new Float32Array(12), scores: new Float32Array(2) }, [anchor], { ...base, numBoxes: 2 }), RangeError);
});
