// Unit tests for raw frame validation and pixel-format conversion.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawFrame } from '../types.js';
import { BufferPool } from './buffer-pool.js';
import { rawFrameToRgb } from './convert.js';
import { VisionError } from '../errors.js';

function expectInvalid(frame: RawFrame, field: string, limits?: { maxWidth: number; maxHeight: number }): void {
  assert.throws(
    () => rawFrameToRgb(frame, limits),
    (err: unknown) => err instanceof VisionError && err.code === 'VISION_INVALID_ARGUMENT' && err.field === field && err.message.includes(field),
  );
}

test('BGR, BGRA, RGBA and GRAY convert to packed RGB', () => {
  const bgr = rawFrameToRgb({ data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 2, height: 1, format: 'BGR' });
  assert.deepEqual([...bgr.data], [3, 2, 1, 6, 5, 4]);
  const bgra = rawFrameToRgb({ data: new Uint8Array([1, 2, 3, 255]), width: 1, height: 1, format: 'BGRA' });
  assert.deepEqual([...bgra.data], [3, 2, 1]);
  const rgba = rawFrameToRgb({ data: new Uint8Array([1, 2, 3, 9]), width: 1, height: 1, format: 'RGBA' });
  assert.deepEqual([...rgba.data], [1, 2, 3]);
  const gray = rawFrameToRgb({ data: new Uint8Array([7, 8]), width: 1, height: 2, format: 'GRAY' });
  assert.deepEqual([...gray.data], [7, 7, 7, 8, 8, 8]);
});

test('packed RGB is returned without copying; strided rows are compacted into the pool', () => {
  const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
  const rgb = rawFrameToRgb({ data, width: 2, height: 1, format: 'RGB' });
  assert.equal(rgb.data.buffer, data.buffer);
  const pool = new BufferPool();
  const strided = new Uint8Array([1, 2, 3, 0, 0, 4, 5, 6, 0, 0]);
  const out = rawFrameToRgb({ data: strided, width: 1, height: 2, format: 'RGB', stride: 5 }, undefined, pool);
  assert.deepEqual([...out.data], [1, 2, 3, 4, 5, 6]);
  const again = rawFrameToRgb({ data: strided, width: 1, height: 2, format: 'RGB', stride: 5 }, undefined, pool);
  assert.equal(again.data, pool.uint8('rgb', 6));
});

test('invalid frames raise VISION_INVALID_ARGUMENT naming the field', () => {
  expectInvalid({ data: new Uint8Array(5), width: 2, height: 1, format: 'RGB' }, 'frame.data');
  expectInvalid({ data: new Uint8Array(0), width: 0, height: 1, format: 'RGB' }, 'frame.width');
  expectInvalid({ data: new Uint8Array(3), width: 1, height: 1.5, format: 'RGB' }, 'frame.height');
  expectInvalid({ data: new Uint8Array(3), width: 1, height: 1, format: 'YUV' as RawFrame['format'] }, 'frame.format');
  expectInvalid({ data: new Uint8Array(12), width: 2, height: 2, format: 'RGB', stride: 5 }, 'frame.stride');
  expectInvalid({ data: new Uint8Array(3), width: 9000, height: 1, format: 'RGB' }, 'frame.width');
  expectInvalid({ data: new Uint8Array(300), width: 10, height: 10, format: 'RGB' }, 'frame.height', { maxWidth: 100, maxHeight: 5 });
});
