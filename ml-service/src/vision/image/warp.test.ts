// Unit tests for the affine warp: identity, flip, rotation, letterbox padding and border modes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../types.js';
import { uint8ToFloat32 } from './normalize.js';
import { fullImageRect, padRoiToAspect, warpToTensor } from './warp.js';

const near = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

/** 4×4 image whose red channel is 10·x + y, green 100, blue 200. */
function ramp(): RgbImage {
  const data = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data.set([10 * x + y, 100, 200], (y * 4 + x) * 3);
  return { data, width: 4, height: 4 };
}
const red = (out: Float32Array, x: number, y: number, w = 4): number => out[(y * w + x) * 3]!;

test('full-image warp at the same size is the identity (range 0..255)', () => {
  const out = new Float32Array(48);
  warpToTensor(ramp(), fullImageRect(), { width: 4, height: 4, range: [0, 255] }, out);
  near(red(out, 0, 0), 0);
  near(red(out, 3, 2), 32);
  near(out[1]!, 100);
  near(out[2]!, 200);
});

test('range, flip and 180° rotation', () => {
  const out = new Float32Array(48);
  warpToTensor(ramp(), fullImageRect(), { width: 4, height: 4, range: [-1, 1], flipHorizontal: true, border: 'replicate' }, out);
  // flipped: tensor x=1 samples image x=3 (corner-aligned mapping: x = 4 - i)
  near(red(out, 1, 0), (30 / 255) * 2 - 1);
  warpToTensor(ramp(), { ...fullImageRect(), rotation: Math.PI }, { width: 4, height: 4, range: [0, 255], border: 'replicate' }, out);
  near(red(out, 1, 1), 33, 1e-3); // (1,1) → (4-1, 4-1)
});

test('downscaling samples bilinearly between pixels', () => {
  const out = new Float32Array(12);
  warpToTensor(ramp(), { xCenter: 0.5, yCenter: 0.5, width: 0.5, height: 0.5, rotation: 0 }, { width: 2, height: 2, range: [0, 255] }, out);
  near(red(out, 0, 0, 2), 11); // (1, 1)
  near(red(out, 1, 1, 2), 22); // (2, 2)
});

test('letterboxing pads the short side and zero border fills with the range minimum', () => {
  const wide: RgbImage = { data: new Uint8Array(8 * 4 * 3).fill(255), width: 8, height: 4 };
  const fit = padRoiToAspect(fullImageRect(), 8, 4, 4, 4);
  near(fit.padding.top, 0.25);
  near(fit.roi.height, 2);
  const out = new Float32Array(48);
  const res = warpToTensor(wide, fullImageRect(), { width: 4, height: 4, range: [-1, 1], keepAspectRatio: true, border: 'zero' }, out);
  near(res.padding.bottom, 0.25);
  near(red(out, 2, 0), -1); // padding row
  near(red(out, 2, 2), 1); // image row
  const rep = new Float32Array(48);
  warpToTensor(wide, fullImageRect(), { width: 4, height: 4, range: [-1, 1], keepAspectRatio: true, border: 'replicate' }, rep);
  near(red(rep, 2, 0), 1);
});

test('NCHW layout and uint8 normalisation', () => {
  const out = new Float32Array(48);
  warpToTensor(ramp(), fullImageRect(), { width: 4, height: 4, range: [0, 255], layout: 'nchw' }, out);
  near(out[6]!, 21); // red plane, (x=2, y=1)
  near(out[16]!, 100); // green plane
  const f = uint8ToFloat32(new Uint8Array([0, 255, 51]), new Float32Array(3), [0, 1]);
  near(f[2]!, 0.2);
  assert.throws(() => warpToTensor(ramp(), fullImageRect(), { width: 4, height: 4, range: [0, 1] }, new Float32Array(10)), RangeError);
});
