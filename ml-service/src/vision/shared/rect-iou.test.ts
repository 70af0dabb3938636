// Unit tests for rect overlap in pixel space.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rectIou } from './rect-iou.js';

test('rect IoU is measured in pixels, rotation ignored', () => {
  const image = { width: 200, height: 100 };
  const a = { xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.4, rotation: 0 };
  assert.equal(rectIou(a, a, image), 1);
  // shifted right by half its width (20 px of 40): overlap 20×40 / union 60×40
  const b = { ...a, xCenter: 0.6, rotation: 1 };
  assert.ok(Math.abs(rectIou(a, b, image) - 1 / 3) < 1e-12);
  assert.equal(rectIou(a, { ...a, xCenter: 0.9 }, image), 0);
});
