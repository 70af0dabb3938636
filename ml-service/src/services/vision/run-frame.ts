// Runs one request's frame through a pooled pipeline instance: JPEG/PNG frames are decoded before
// taking an instance (sharp decodes off the main thread, overlapping another call's inference);
// raw frames (and shared-memory frames, read here) are converted inside, into the instance's reusable buffers.
import type { Timing } from '@tabagent/protos/v1/common';
import type { PixelFormat, Frame as ProtoFrame } from '@tabagent/protos/v1/vision';
import type { RgbImage } from '../../vision/types.js';
import type { ResolvedRegion } from '@tabagent/common';
import { decodeFrame, toPipelineFrame } from './frame-input.js';
import { readSharedFrame } from './shared-frame.js';
import type { Instance, PipelinePool } from './pipeline-pool.js';
import { timingOf } from './stage-clock.js';

/** A result and the request's Timing. */
export interface Timed<R> {
  value: R;
  timing: Timing;
}

/**
 * Decodes `frame` and runs `fn` on it with an instance of `pool`. A shared-memory frame is read
 * from one of `regions` into the instance's reusable buffer. `fn` also gets the raw pixel format of
 * the input (undefined for JPEG/PNG).
 */
export async function runFrame<T, R>(
  pool: PipelinePool<T>,
  frame: ProtoFrame | undefined,
  regions: readonly ResolvedRegion[],
  arrived: number,
  fn: (instance: Instance<T>, image: RgbImage, rawFormat: PixelFormat | undefined) => Promise<R>,
): Promise<Timed<R>> {
  const shared = frame?.sharedMemory !== undefined;
  const early = !shared && 'encoded' in toPipelineFrame(frame) ? await decodeFrame(frame) : undefined;
  return pool.use(async (instance) => {
    const input = shared ? readSharedFrame(frame, regions, instance.buffers) : frame;
    const decoded = early ?? (await decodeFrame(input, instance.buffers));
    instance.clock.reset();
    const value = await fn(instance, decoded.image, decoded.rawFormat);
    return { value, timing: timingOf(arrived, decoded.decodeMs, instance.clock) };
  });
}
