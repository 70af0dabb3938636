// MaskSmoother: confident pixels follow the new frame, uncertain ones lean on the previous one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaskSmoother, maskUncertainty } from './mask-smoothing.js';

test('uncertainty is 1 at 0.5 and 0 at the extremes', () => {
  assert.ok(Math.abs(maskUncertainty(0.5) - 1) < 1e-12);
  assert.ok(maskUncertainty(0) < 1e-4 && maskUncertainty(1) < 1e-4);
  assert.ok(maskUncertainty(0.3) > maskUncertainty(0.1));
});

test('first frame passes through; later frames mix in the previous mask where the new one is unsure', () => {
  const s = new MaskSmoother(0.7);
  const first = s.apply({ data: new Uint8Array([255, 255, 0, 0]), width: 2, height: 2 });
  assert.deepEqual([...first.data], [255, 255, 0, 0]);
  const input = new Uint8Array([0, 128, 255, 128]);
  const second = s.apply({ data: input, width: 2, height: 2 });
  // Confident values are kept; 128 (p ≈ 0.5) moves 70% of the way back to the previous 255 or 0.
  assert.deepEqual([...second.data], [0, Math.round(128 + (255 - 128) * 0.7 * maskUncertainty(128 / 255)), 255, Math.round(128 - 128 * 0.7 * maskUncertainty(128 / 255))]);
  assert.deepEqual([...input], [0, 128, 255, 128]);
  // A size change starts over.
  assert.deepEqual([...s.apply({ data: new Uint8Array([128, 128]), width: 2, height: 1 }).data], [128, 128]);
  assert.throws(() => new MaskSmoother(1.5), RangeError);
});
