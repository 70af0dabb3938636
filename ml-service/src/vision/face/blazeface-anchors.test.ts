// Unit tests for SSD anchor generation against hand-computed anchors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLAZEFACE_ANCHORS } from './blazeface-config.js';
import { generateSsdAnchors } from '../calculators/ssd-anchors.js';

test('BlazeFace short-range config yields 896 anchors in MediaPipe order', () => {
  const anchors = generateSsdAnchors(BLAZEFACE_ANCHORS);
  assert.equal(anchors.length, 896);
  // stride 8: 16×16 cells × 2 anchors; first cell centre (0.5/16, 0.5/16)
  assert.deepEqual(anchors[0], { xCenter: 0.03125, yCenter: 0.03125, w: 1, h: 1 });
  assert.deepEqual(anchors[1], { xCenter: 0.03125, yCenter: 0.03125, w: 1, h: 1 });
  assert.deepEqual(anchors[2], { xCenter: 0.09375, yCenter: 0.03125, w: 1, h: 1 });
  // stride-16 group starts at 512: 8×8 cells × 6 anchors
  assert.deepEqual(anchors[512], { xCenter: 0.0625, yCenter: 0.0625, w: 1, h: 1 });
  assert.deepEqual(anchors[518], { xCenter: 0.1875, yCenter: 0.0625, w: 1, h: 1 });
  assert.deepEqual(anchors[895], { xCenter: 0.9375, yCenter: 0.9375, w: 1, h: 1 });
});

test('non-fixed anchors carry scale and aspect ratio sizes', () => {
  const anchors = generateSsdAnchors({
    numLayers: 1, minScale: 0.2, maxScale: 0.8, inputSizeWidth: 64, inputSizeHeight: 64,
    strides: [32], aspectRatios: [1, 2],
  });
  assert.equal(anchors.length, 12); // 2×2 cells × (2 ratios + 1 interpolated)
  const [a0, a1, a2] = anchors as [typeof anchors[0], typeof anchors[0], typeof anchors[0]];
  assert.equal(a0.xCenter, 0.25);
  assert.equal(a0.w, 0.5); // single layer: scale = (0.2 + 0.8) / 2
  assert.ok(Math.abs(a1.w - 0.5 * Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(a1.h - 0.5 / Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(a2.w - Math.sqrt(0.5)) < 1e-12); // sqrt(scale × next scale 1.0)
  assert.equal(anchors[11]!.yCenter, 0.75);
});

test('reduceBoxesInLowestLayer uses three fixed boxes in layer 0', () => {
  const anchors = generateSsdAnchors({
    numLayers: 2, minScale: 0.2, maxScale: 0.95, inputSizeWidth: 32, inputSizeHeight: 32,
    strides: [16, 32], aspectRatios: [1], reduceBoxesInLowestLayer: true, interpolatedScaleAspectRatio: 0,
  });
  assert.equal(anchors.length, 4 * 3 + 1 * 1);
  assert.ok(Math.abs(anchors[0]!.w - 0.1) < 1e-12);
  assert.ok(Math.abs(anchors[1]!.w - 0.2 * Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(anchors[12]!.w - 0.95) < 1e-12);
});
