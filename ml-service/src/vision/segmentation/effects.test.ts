// Unit tests of background effects, box blur and mask resampling on small synthetic images.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { VisionError } from '../errors.js';
import type { RgbImage } from '../types.js';
import { boxBlurRgb } from './box-blur.js';
import { applyBackgroundEffect, composite } from './effects.js';
import { resizeMask, unprojectMask } from '../shared/mask-resize.js';

const W = 8;
const H = 6;

/** Left half person (mask 255, red), right half background (mask 0, blue); one soft column. */
function scene(): { frame: RgbImage; mask: { data: Uint8Array; width: number; height: number } } {
  const data = new Uint8Array(W * H * 3);
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const person = x < W / 2;
      data.set(person ? [200, 0, 0] : [0, 0, 200], i * 3);
      mask[i] = x === W / 2 ? 128 : person ? 255 : 0;
    }
  }
  return { frame: { data, width: W, height: H }, mask: { data: mask, width: W, height: H } };
}

const px = (d: Uint8Array, x: number, y: number): number[] => Array.from(d.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));

describe('background effects', () => {
  it('replaces the background colour and blends the soft edge', async () => {
    const { frame, mask } = scene();
    const out = await applyBackgroundEffect(frame, mask, { kind: 'color', color: [0, 255, 0] });
    assert.deepEqual([out.width, out.height, out.channels, out.format], [W, H, 3, 'raw']);
    assert.deepEqual(px(out.data, 0, 0), [200, 0, 0]);
    assert.deepEqual(px(out.data, W - 1, H - 1), [0, 255, 0]);
    // Mask 128 at x = W/2: the pixel is background (blue) blended with green at 128/255.
    assert.deepEqual(px(out.data, W / 2, 2), [0, Math.round(255 * (1 - 128 / 255)), Math.round(200 * (128 / 255))]);
  });

  it('replaces the background with an image resized to the frame', async () => {
    const { frame, mask } = scene();
    const bg = { data: new Uint8Array(4 * 3 * 3).fill(90), width: 4, height: 3 };
    const out = await applyBackgroundEffect(frame, mask, { kind: 'image', image: bg });
    assert.deepEqual(px(out.data, W - 1, 0), [90, 90, 90]);
    const png = await sharp(Buffer.alloc(2 * 2 * 3, 40), { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer();
    const out2 = await applyBackgroundEffect(frame, mask, { kind: 'image', image: { encoded: png } });
    assert.deepEqual(px(out2.data, W - 1, H - 1), [40, 40, 40]);
  });

  it('blurs only the background', async () => {
    const { frame, mask } = scene();
    const out = await applyBackgroundEffect(frame, mask, { kind: 'blur', radius: 2 });
    assert.deepEqual(px(out.data, 0, 0), [200, 0, 0]);
    const edge = px(out.data, W / 2 + 1, 3);
    assert.ok(edge[0]! > 0 && edge[2]! < 200, `red bleeds into the blurred background: ${edge.join(',')}`);
    assert.deepEqual(px(out.data, W - 1, 3), px(boxBlurRgb(frame.data, W, H, 2), W - 1, 3));
  });

  it('returns the mask alone and encodes PNG/JPEG', async () => {
    const { frame, mask } = scene();
    const raw = await applyBackgroundEffect(frame, mask, { kind: 'mask' });
    assert.equal(raw.channels, 1);
    assert.deepEqual(Array.from(raw.data.subarray(0, W)), Array.from(mask.data.subarray(0, W)));
    const png = await applyBackgroundEffect(frame, mask, { kind: 'color', color: [1, 2, 3] }, { format: 'png' });
    const back = await sharp(png.data).raw().toBuffer();
    assert.deepEqual(Array.from(back.subarray(0, 3)), [200, 0, 0]);
    const jpeg = await applyBackgroundEffect(frame, mask, { kind: 'mask' }, { format: 'jpeg', quality: 90 });
    assert.deepEqual(Array.from(jpeg.data.subarray(0, 2)), [0xff, 0xd8]);
  });

  it('rejects bad arguments with the field named', async () => {
    const { frame, mask } = scene();
    const field = (f: string) => (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === f;
    await assert.rejects(applyBackgroundEffect(frame, { ...mask, width: 4 }, { kind: 'mask' }), field('mask'));
    await assert.rejects(applyBackgroundEffect(frame, mask, { kind: 'blur', radius: 0 }), field('effect.radius'));
    await assert.rejects(applyBackgroundEffect(frame, mask, { kind: 'color', color: [0, 0, 300] }), field('effect.color'));
    await assert.rejects(applyBackgroundEffect(frame, mask, { kind: 'mask' }, { format: 'gif' as 'png' }), field('output.format'));
  });

  it('composites with exact weights', () => {
    const frame = { data: new Uint8Array([100, 100, 100]), width: 1, height: 1 };
    const out = composite(frame, { data: new Uint8Array([51]), width: 1, height: 1 }, new Uint8Array([0, 50, 250]));
    assert.deepEqual(Array.from(out), [20, 60, 220]);
  });
});

describe('box blur', () => {
  it('keeps a flat image flat and spreads an impulse symmetrically with its mass', () => {
    const flat = new Uint8Array(5 * 5 * 3).fill(77);
    assert.ok(boxBlurRgb(flat, 5, 5, 2).every((v) => v === 77));
    const n = 21;
    const img = new Uint8Array(n * n * 3);
    const c = (10 * n + 10) * 3;
    img[c] = 255;
    const once = boxBlurRgb(img, n, n, 1, 1);
    // One pass of radius 1: a 3×3 box of 255/9 ≈ 28 (rows then columns, each rounded).
    assert.equal(once[c], 28);
    assert.equal(once[((9 * n) + 9) * 3], 28);
    assert.equal(once[((8 * n) + 10) * 3], 0);
  });
});

describe('mask resampling', () => {
  it('upsamples bilinearly with aligned pixel centres', () => {
    const src = { data: new Float32Array([0, 1, 0, 1]), width: 2, height: 2 };
    const out = resizeMask(src, 4, 2);
    assert.deepEqual(Array.from(out.subarray(0, 4)), [0, 64, 191, 255]);
    const bytes = resizeMask({ data: new Uint8Array([10, 250]), width: 2, height: 1 }, 2, 1);
    assert.deepEqual(Array.from(bytes), [10, 250]);
  });

  it('reads one channel of a multi-channel tensor', () => {
    const out = resizeMask({ data: new Float32Array([0.1, 0.9, 0.2, 0.8]), width: 2, height: 1, stride: 2, offset: 1 }, 2, 1);
    assert.deepEqual(Array.from(out), [Math.round(Math.fround(0.9) * 255), Math.round(Math.fround(0.8) * 255)]);
  });

  it('maps a crop mask back into the image, zero outside the crop', () => {
    // A 2×2 all-person crop over the image's right half (rotation 0).
    const crop = { data: new Float32Array([1, 1, 1, 1]), width: 2, height: 2 };
    const out = unprojectMask(crop, { xCenter: 0.75, yCenter: 0.5, width: 0.5, height: 1, rotation: 0 }, 8, 4);
    assert.equal(out[0], 0);
    assert.equal(out[6], 255);
    assert.equal(out[3 * 8 + 7], 255);
    // Rotating the crop by π about its centre still covers the same right half.
    const flipped = unprojectMask(crop, { xCenter: 0.75, yCenter: 0.5, width: 0.5, height: 1, rotation: Math.PI }, 8, 4);
    assert.equal(flipped[6], 255);
    assert.equal(flipped[1], 0);
  });
});
