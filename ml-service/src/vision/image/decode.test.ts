// Tests for JPEG/PNG decoding: EXIF orientation, grey/alpha expansion and corrupt input errors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { VisionError } from '../errors.js';
import { frameToRgb } from './frame.js';

test('EXIF orientation 6 (90° clockwise) is applied', async () => {
  // 4×2 image: left half red, right half blue.
  const pixels = Buffer.from([255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]);
  const png = await sharp(pixels, { raw: { width: 4, height: 2, channels: 3 } }).png().toBuffer();
  const jpeg = await sharp(png).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer();
  const img = await frameToRgb({ encoded: jpeg });
  assert.equal(img.width, 2);
  assert.equal(img.height, 4);
  // After rotating clockwise, the red (left) half is on top.
  assert.ok(img.data[0]! > 200 && img.data[2]! < 60, `top pixel ${img.data.subarray(0, 3).join(',')}`);
  const last = img.data.length - 3;
  assert.ok(img.data[last + 2]! > 200 && img.data[last]! < 60, 'bottom pixel is blue');
});

test('grey and RGBA PNGs decode to 3-channel RGB', async () => {
  const grey = await sharp(Buffer.from([10, 20]), { raw: { width: 2, height: 1, channels: 1 } }).png().toBuffer();
  const g = await frameToRgb({ encoded: grey });
  assert.deepEqual([...g.data], [10, 10, 10, 20, 20, 20]);
  const rgba = await sharp(Buffer.from([1, 2, 3, 4]), { raw: { width: 1, height: 1, channels: 4 } }).png().toBuffer();
  const c = await frameToRgb({ encoded: rgba });
  assert.deepEqual([...c.data], [1, 2, 3]);
});

test('corrupt, empty or oversized encoded frames raise VISION_INVALID_ARGUMENT for frame.encoded', async () => {
  const isBad = (field: string) => (err: unknown): boolean =>
    err instanceof VisionError && err.code === 'VISION_INVALID_ARGUMENT' && err.field === field;
  await assert.rejects(frameToRgb({ encoded: new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]) }), isBad('frame.encoded'));
  await assert.rejects(frameToRgb({ encoded: new Uint8Array(0) }), isBad('frame.encoded'));
  const big = await sharp({ create: { width: 64, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
  await assert.rejects(frameToRgb({ encoded: big }, { maxWidth: 32, maxHeight: 32 }), isBad('frame.encoded.width'));
  await assert.rejects(frameToRgb({} as never), isBad('frame'));
});
