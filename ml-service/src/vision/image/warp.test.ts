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

/** Plain per-pixel bilinear sampling (the rule the kernels implement), for comparison. */
function referenceWarp(image: RgbImage, roi: { xCenter: number; yCenter: number; width: number; height: number; rotation: number }, tw: number, th: number, replicate: boolean, flip: boolean): Float32Array {
  const out = new Float32Array(tw * th * 3);
  const { width: iw, height: ih, data } = image;
  const cos = Math.cos(roi.rotation);
  const sin = Math.sin(roi.rotation);
  const rw = roi.width * iw;
  const rh = roi.height * ih;
  const pixel = (x: number, y: number, c: number): number => {
    if (replicate) return data[(Math.min(ih - 1, Math.max(0, y)) * iw + Math.min(iw - 1, Math.max(0, x))) * 3 + c]!;
    return x < 0 || y < 0 || x >= iw || y >= ih ? 0 : data[(y * iw + x) * 3 + c]!;
  };
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const u = ((flip ? tw - i : i) / tw - 0.5) * rw;
      const v = (j / th - 0.5) * rh;
      const sx = roi.xCenter * iw + u * cos - v * sin;
      const sy = roi.yCenter * ih + u * sin + v * cos;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const top = pixel(x0, y0, c) * (1 - fx) + pixel(x0 + 1, y0, c) * fx;
        const bottom = pixel(x0, y0 + 1, c) * (1 - fx) + pixel(x0 + 1, y0 + 1, c) * fx;
        out[(j * tw + i) * 3 + c] = (top * (1 - fy) + bottom * fy) / 255;
      }
    }
  }
  return out;
}

test('axis-aligned and rotated kernels match per-pixel bilinear sampling, inside and across the border', () => {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let worst = 0;
  for (let t = 0; t < 60; t++) {
    const w = 5 + Math.floor(rnd() * 30);
    const h = 5 + Math.floor(rnd() * 30);
    const image: RgbImage = { data: new Uint8Array(w * h * 3).map(() => Math.floor(rnd() * 256)), width: w, height: h };
    const roi = { xCenter: rnd() * 1.2 - 0.1, yCenter: rnd() * 1.2 - 0.1, width: 0.1 + rnd(), height: 0.1 + rnd(), rotation: t % 2 === 0 ? 0 : (rnd() - 0.5) * 6 };
    const tw = 3 + Math.floor(rnd() * 20);
    const th = 3 + Math.floor(rnd() * 20);
    const replicate = t % 3 === 0;
    const flip = t % 5 === 0;
    const out = new Float32Array(tw * th * 3);
    warpToTensor(image, roi, { width: tw, height: th, range: [0, 1], border: replicate ? 'replicate' : 'zero', flipHorizontal: flip }, out);
    const ref = referenceWarp(image, roi, tw, th, replicate, flip);
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
  }
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
});
