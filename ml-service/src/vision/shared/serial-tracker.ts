// What the VIDEO-mode hand and pose trackers share: validation of the tracking options and the
// SerialTracker base (serialised calls on pooled RGB, the frame clock, stats and timings, reset and
// an idempotent dispose; the decode time is recorded after the step resets the timings).
import type { BufferPool } from '../image/buffer-pool.js';
import type { FrameLimits } from '../image/convert.js';
import { invalidArgument } from '../errors.js';
import { emptyTimings, type Frame, type RgbImage, type StageTimings } from '../types.js';
import { FrameClock } from './frame-clock.js';
import { checkBoolean } from '../options.js';
import { SerialFrames } from './serial-frames.js';

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

/** Base of the hand and pose trackers; sessions stay owned by the caller. */
export abstract class SerialTracker<Result> {
  readonly #frames: SerialFrames;
  protected readonly clock = new FrameClock();
  protected frameIndex = 0;
  protected nextId = 1;
  protected lastDetectFrame = Number.NEGATIVE_INFINITY;
  /** Frames processed and detector invocations since creation. */
  readonly stats = { frames: 0, detectorRuns: 0 };
  /** Times of the last frame: decode, and model (crops, inference and decoding of both models). */
  timings: StageTimings = emptyTimings();

  protected constructor(name: string, protected readonly limits: FrameLimits) {
    this.#frames = new SerialFrames(name, limits);
  }

  /** Buffers shared by the tracker's models (calls are serialised, so one frame uses them at a time). */
  protected get pool(): BufferPool {
    return this.#frames.pool;
  }

  /** Tracks on one decoded frame (calls are serialised). */
  protected abstract step(image: RgbImage, timestampUs: number | undefined): Promise<Result>;

  /** Drops the tracks and their smoothing state. */
  protected abstract forget(): void;

  /** Decodes/converts the frame, then tracks. `timestampUs` drives smoothing (see FrameClock). */
  process(frame: Frame, timestampUs?: number): Promise<Result> {
    return this.#frames.decode(frame, (image) => this.step(image, timestampUs), (ms) => {
      this.timings.decodeMs = ms;
    });
  }

  /** Same as process() on already decoded RGB. */
  runRgb(image: RgbImage, timestampUs?: number): Promise<Result> {
    return this.#frames.run(() => this.step(image, timestampUs));
  }

  /** Forgets the tracks and smoothing history (next frame runs the detector); ids keep increasing. */
  reset(): void {
    this.forget();
    this.lastDetectFrame = Number.NEGATIVE_INFINITY;
    this.clock.reset();
  }

  /** Idempotent; sessions stay owned by the caller. */
  dispose(): void {
    if (this.#frames.dispose()) this.forget();
  }
}
