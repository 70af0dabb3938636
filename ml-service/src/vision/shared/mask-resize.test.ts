// Unit tests for mask resampling: unprojectMask's unrotated fast path against per-pixel sampling,
// rotated rects, and resizeMask's pixel-centre alignment.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NormalizedRect } from '../types.js';
import { resizeMask, unprojectMask } from './mask-resize.js';

/** Per-pixel reference: image pixel (i, j) → rect fraction → bilinear sample with pixel centres at k + 0.5. */
function reference(src: { data: Float32Array; width: number; height: number }, roi: NormalizedRect, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const c = Math.cos(roi.rotation);
  const s = Math.sin(roi.rotation);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const dx = i - roi.xCenter * width;
      const dy = j - roi.yCenter * height;
      const u = (dx * c + dy * s) / (roi.width * width) + 0.5;
      const v = (-dx * s + dy * c) / (roi.height * height) + 0.5;
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      const fx = Math.min(Math.max(u * src.width, 0), src.width - 1);
      const fy = Math.min(Math.max(v * src.height, 0), src.height - 1);
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const y1 = Math.min(y0 + 1, src.height - 1);
      const at = (x: number, y: number): number => src.data[y * src.width + x]!;
      const top = at(x0, y0) * (1 - (fx - x0)) + at(x1, y0) * (fx - x0);
      const bottom = at(x0, y1) * (1 - (fx - x0)) + at(x1, y1) * (fx - x0);
      out[j * width + i] = Math.round((top * (1 - (fy - y0)) + bottom * (fy - y0)) * 255);
    }
  }
  return out;
}

test('unprojectMask matches per-pixel sampling for unrotated and rotated rects (within one level)', () => {
  let seed = 99;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let worst = 0;
  let covered = 0;
  for (let t = 0; t < 40; t++) {
    const src = { data: new Float32Array(12 * 9).map(() => rnd()), width: 12, height: 9 };
    const roi = t % 4 === 0
      ? { xCenter: 0.5, yCenter: 0.5, width: 1, height: 1, rotation: 0 }
      : { xCenter: rnd(), yCenter: rnd(), width: 0.2 + rnd(), height: 0.2 + rnd(), rotation: t % 2 === 0 ? 0 : rnd() * 3 };
    const got = unprojectMask(src, roi, 37, 23);
    const want = reference(src, roi, 37, 23);
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      if (want[i]! > 0) covered++;
    }
  }
  assert.ok(worst <= 1, `largest difference ${worst}`);
  assert.ok(covered > 5000, `only ${covered} covered pixels`);
});

test('unprojectMask leaves pixels outside the rect at 0 and fills the whole frame for the full rect', () => {
  const src = { data: new Float32Array(4 * 4).fill(1), width: 4, height: 4 };
  const half = unprojectMask(src, { xCenter: 0.25, yCenter: 0.5, width: 0.5, height: 1, rotation: 0 }, 20, 10);
  assert.equal(half[5 * 20 + 3], 255);
  assert.equal(half[5 * 20 + 15], 0);
  const full = unprojectMask(src, { xCenter: 0.5, yCenter: 0.5, width: 1, height: 1, rotation: 0 }, 20, 10);
  assert.ok(full.every((v) => v === 255));
});

test('resizeMask aligns pixel centres: a 2-pixel ramp upsampled to 4 pixels', () => {
  const out = resizeMask({ data: new Uint8Array([0, 200]), width: 2, height: 1 }, 4, 1);
  assert.deepEqual([...out], [0, 50, 150, 200]);
});
