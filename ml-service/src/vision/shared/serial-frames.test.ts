// Unit tests for the shared call protocol of stateful vision pipelines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisionError } from '../errors.js';
import { DEFAULT_FRAME_LIMITS } from '../image/convert.js';
import type { RawFrame, RgbImage } from '../types.js';
import { SerialFrames } from './serial-frames.js';

const bgr: RawFrame = { data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 2, height: 1, format: 'BGR' };
const disposedError = (e: unknown): boolean => e instanceof VisionError && e.code === 'VISION_DISPOSED' && /tracker X was disposed/.test(e.message);

test('decode converts into RGB, runs the step, then records the decode time before the next call starts', async () => {
  const frames = new SerialFrames('tracker X', DEFAULT_FRAME_LIMITS);
  const events: string[] = [];
  let seen: RgbImage | undefined;
  const first = frames.decode(bgr, async (image) => {
    seen = { ...image, data: image.data.slice() };
    await new Promise((r) => setTimeout(r, 20));
    events.push('step 1');
    return 1;
  }, (ms) => {
    assert.ok(ms >= 0);
    events.push('decode 1');
  });
  const second = frames.run(async () => {
    events.push('run 2');
    return 2;
  });
  assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  assert.deepEqual(events, ['step 1', 'decode 1', 'run 2']);
  assert.deepEqual([...seen!.data], [3, 2, 1, 6, 5, 4]);
  assert.equal(seen!.width, 2);
});

test('a failed step does not block the next call; the failure reaches its caller', async () => {
  const frames = new SerialFrames('tracker X', DEFAULT_FRAME_LIMITS);
  await assert.rejects(frames.run(async () => Promise.reject(new Error('model failed'))), /model failed/);
  assert.equal(await frames.run(async () => 7), 7);
});

test('dispose is idempotent: a started call finishes, queued and later calls reject (not throw) with VISION_DISPOSED', async () => {
  const frames = new SerialFrames('tracker X', DEFAULT_FRAME_LIMITS);
  const queued = frames.run(async () => new Promise((r) => setTimeout(() => r('done'), 10)));
  await new Promise((r) => setImmediate(r));
  const late = frames.run(async () => 'never');
  assert.equal(frames.dispose(), true);
  assert.equal(frames.dispose(), false);
  assert.equal(frames.disposed, true);
  assert.equal(await queued, 'done');
  await assert.rejects(late, disposedError);
  const p = frames.decode(bgr, async () => 0, () => undefined);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, disposedError);
});
