// Frame timestamps for VIDEO-mode trackers: turns the caller's timestamps (microseconds, possibly
// missing, repeated or going backwards) into a strictly increasing clock for temporal smoothing.

import { invalidArgument } from '../errors.js';

/** Frame interval assumed when a timestamp is missing or does not increase: 30 fps. */
export const DEFAULT_FRAME_INTERVAL_US = 33_333;

export interface FrameTime {
  /** The caller's timestamp, or the synthesized one when the caller gave none. */
  timestampUs: number;
  /** Strictly increasing time used for smoothing (equals timestampUs when that increases). */
  smoothingUs: number;
}

/**
 * One clock per stream. A missing or non-increasing timestamp (e.g. an unset protobuf int64, which
 * reads 0 on every frame) advances the smoothing time by one nominal frame interval instead.
 */
export class FrameClock {
  private last: number | undefined;

  constructor(private readonly intervalUs = DEFAULT_FRAME_INTERVAL_US) {
    if (!(intervalUs > 0) || !Number.isFinite(intervalUs)) throw new RangeError(`frame interval must be positive, got ${intervalUs}`);
  }

  /** Throws VISION_INVALID_ARGUMENT (field `timestampUs`) for a non-finite timestamp. */
  next(timestampUs?: number): FrameTime {
    if (timestampUs !== undefined && (typeof timestampUs !== 'number' || !Number.isFinite(timestampUs))) {
      throw invalidArgument('timestampUs', `must be a finite number of microseconds, got ${String(timestampUs)}`);
    }
    const fallback = this.last === undefined ? 0 : this.last + this.intervalUs;
    const smoothingUs = timestampUs !== undefined && (this.last === undefined || timestampUs > this.last) ? timestampUs : fallback;
    this.last = smoothingUs;
    return { timestampUs: timestampUs ?? smoothingUs, smoothingUs };
  }

  /** Forgets the last timestamp. */
  reset(): void {
    this.last = undefined;
  }
}
