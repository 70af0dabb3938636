// What the VIDEO-mode hand and pose trackers share: validation of the tracking options and the
// decode-then-track step of process() (decode time recorded after the step resets the timings).
import type { BufferPool } from '../image/buffer-pool.js';
import type { FrameLimits } from '../image/convert.js';
import { invalidArgument } from '../image/errors.js';
import { frameToRgb } from '../image/frame.js';
import type { Frame, RgbImage, StageTimings } from '../types.js';
import { checkBoolean } from './hand-options.js';

/** Tracking options common to both trackers. */
export interface TrackingOptions {
  readonly redetectInterval: number;
  readonly associationIou: number;
  readonly smoothing: boolean;
}

/** Validates the shared tracking options (errors name the field). */
export function resolveTrackingOptions(o: { redetectInterval?: number; associationIou?: number; smoothing?: boolean }): TrackingOptions {
  const redetectInterval = o.redetectInterval ?? 0;
  if (!Number.isInteger(redetectInterval) || redetectInterval < 0) {
    throw invalidArgument('redetectInterval', 'must be a non-negative integer');
  }
  const associationIou = o.associationIou ?? 0.5;
  if (!(associationIou >= 0 && associationIou <= 1)) throw invalidArgument('associationIou', 'must be within [0, 1]');
  const smoothing = o.smoothing === undefined ? true : checkBoolean(o.smoothing, 'smoothing');
  return { redetectInterval, associationIou, smoothing };
}

/** Decodes a frame into the tracker's pool, runs `step`, then records the decode time. */
export async function decodeThenStep<R>(
  frame: Frame, limits: FrameLimits, pool: BufferPool, tracker: { timings: StageTimings },
  step: (image: RgbImage) => Promise<R>,
): Promise<R> {
  const t0 = performance.now();
  const image = await frameToRgb(frame, limits, pool);
  const decodeMs = performance.now() - t0;
  const result = await step(image);
  tracker.timings.decodeMs = decodeMs;
  return result;
}
