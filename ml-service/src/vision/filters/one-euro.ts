// The 1€ filter (Casiez et al. 2012) as MediaPipe implements it: a low-pass filter whose cutoff
// rises with the signal's speed, with the sampling frequency derived from frame timestamps.

/** Parameters of one 1€ filter (MediaPipe's OneEuroFilter options). */
export interface OneEuroParams {
  /** Assumed frequency (Hz) until two timestamps have been seen. MediaPipe default: 30. */
  readonly frequency: number;
  /** Cutoff (Hz) at zero speed: lower = smoother at rest, more lag. */
  readonly minCutoff: number;
  /** Speed coefficient: higher = less lag when moving fast, more jitter. */
  readonly beta: number;
  /** Cutoff (Hz) of the low-pass applied to the derivative. */
  readonly derivateCutoff: number;
}

export const DEFAULT_ONE_EURO: OneEuroParams = Object.freeze({ frequency: 30, minCutoff: 1, beta: 0, derivateCutoff: 1 });

/** Exponential smoothing that remembers its last raw and filtered value. */
class LowPass {
  private raw = 0;
  private stored = 0;
  private initialized = false;

  apply(value: number, alpha: number): number {
    const result = this.initialized ? alpha * value + (1 - alpha) * this.stored : value;
    this.initialized = true;
    this.raw = value;
    this.stored = result;
    return result;
  }

  get hasLast(): boolean {
    return this.initialized;
  }

  get lastRaw(): number {
    return this.raw;
  }
}

/** One scalar 1€ filter. Timestamps are in microseconds and must increase. */
export class OneEuroFilter {
  private readonly params: OneEuroParams;
  private frequency: number;
  private lastTimeUs: number | undefined;
  private readonly x = new LowPass();
  private readonly dx = new LowPass();

  constructor(params: Partial<OneEuroParams> = {}) {
    this.params = { ...DEFAULT_ONE_EURO, ...params };
    for (const [key, value] of Object.entries(this.params)) {
      if (!Number.isFinite(value) || value < 0 || ((key === 'frequency' || key === 'minCutoff' || key === 'derivateCutoff') && value === 0)) {
        throw new RangeError(`one-euro ${key} must be ${key === 'beta' ? 'non-negative' : 'positive'}, got ${value}`);
      }
    }
    this.frequency = this.params.frequency;
  }

  /**
   * Filters `value` observed at `timestampUs`. `valueScale` multiplies the derivative (MediaPipe
   * uses 1 / object size so that speed is measured relative to the object). A timestamp that does
   * not increase returns the value unfiltered and leaves the state untouched, as MediaPipe does.
   */
  apply(value: number, timestampUs: number, valueScale = 1): number {
    if (this.lastTimeUs !== undefined && timestampUs <= this.lastTimeUs) return value;
    if (this.lastTimeUs !== undefined) this.frequency = 1e6 / (timestampUs - this.lastTimeUs);
    this.lastTimeUs = timestampUs;
    const dvalue = this.x.hasLast ? (value - this.x.lastRaw) * valueScale * this.frequency : 0;
    const edvalue = this.dx.apply(dvalue, this.alpha(this.params.derivateCutoff));
    const cutoff = this.params.minCutoff + this.params.beta * Math.abs(edvalue);
    return this.x.apply(value, this.alpha(cutoff));
  }

  private alpha(cutoff: number): number {
    const te = 1 / this.frequency;
    const tau = 1 / (2 * Math.PI * cutoff);
    return 1 / (1 + tau / te);
  }
}
