// Temporal smoothing of a landmark list with one 1€ filter per coordinate, following MediaPipe's
// LandmarksSmoothingCalculator in one-euro mode (pixel-space filtering, speed scaled by object size).

import { OneEuroFilter, type OneEuroParams } from './one-euro.js';

export interface SmoothablePoint {
  x: number;
  y: number;
  z: number;
  visibility?: number;
  presence?: number;
}

export interface LandmarksSmootherOptions extends Partial<OneEuroParams> {
  /**
   * Use 1 instead of 1 / object size as the derivative scale (for world landmarks in metres,
   * whose scale does not depend on how large the object appears). Default false.
   */
  disableValueScaling?: boolean;
  /** Below this object size (pixels, or metres for world landmarks) landmarks pass unfiltered. */
  minAllowedObjectScale?: number;
}

/** Presets from MediaPipe's hand and pose graphs. */
export const SMOOTHING_PRESETS = Object.freeze({
  /** Image landmarks of hands and pose. */
  landmarks: Object.freeze({ minCutoff: 0.05, beta: 80, derivateCutoff: 1 }),
  /** Pose auxiliary (ROI) landmarks: heavier smoothing. */
  auxiliary: Object.freeze({ minCutoff: 0.01, beta: 10, derivateCutoff: 1 }),
  /** World landmarks in metres. */
  world: Object.freeze({ minCutoff: 0.1, beta: 40, derivateCutoff: 1, disableValueScaling: true }),
} satisfies Record<string, LandmarksSmootherOptions>);

/** Image size in pixels; normalized landmarks are filtered in pixel units as MediaPipe does. */
export interface SmoothingImageSize {
  width: number;
  height: number;
}

/**
 * Smooths successive landmark lists of one tracked object. The filters reset when the number of
 * landmarks changes or reset() is called (e.g. when the object is lost). One instance per object.
 */
export class LandmarksSmoother {
  private filters: OneEuroFilter[] = [];
  private readonly params: Partial<OneEuroParams>;

  constructor(private readonly options: LandmarksSmootherOptions = {}) {
    const { frequency, minCutoff, beta, derivateCutoff } = options;
    const params: { -readonly [K in keyof OneEuroParams]?: number } = {};
    if (frequency !== undefined) params.frequency = frequency;
    if (minCutoff !== undefined) params.minCutoff = minCutoff;
    if (beta !== undefined) params.beta = beta;
    if (derivateCutoff !== undefined) params.derivateCutoff = derivateCutoff;
    this.params = params;
    // Validate the parameters once, up front.
    new OneEuroFilter(params);
  }

  /**
   * Returns smoothed copies of `landmarks` observed at `timestampUs` (microseconds, increasing).
   * Pass `image` for normalized landmarks; omit it for absolute ones (e.g. world landmarks).
   * visibility and presence are passed through unchanged.
   */
  apply<T extends SmoothablePoint>(landmarks: readonly T[], timestampUs: number, image?: SmoothingImageSize): T[] {
    if (landmarks.length === 0) {
      this.reset();
      return [];
    }
    if (this.filters.length !== landmarks.length * 3) {
      this.filters = Array.from({ length: landmarks.length * 3 }, () => new OneEuroFilter(this.params));
    }
    const sx = image?.width ?? 1;
    const sy = image?.height ?? 1;
    const scale = objectScale(landmarks, sx, sy);
    if (scale < (this.options.minAllowedObjectScale ?? 1e-6)) return landmarks.map((p) => ({ ...p }));
    const valueScale = this.options.disableValueScaling === true ? 1 : 1 / scale;
    return landmarks.map((p, i) => {
      const fx = this.filters[3 * i] as OneEuroFilter;
      const fy = this.filters[3 * i + 1] as OneEuroFilter;
      const fz = this.filters[3 * i + 2] as OneEuroFilter;
      return {
        ...p,
        x: fx.apply(p.x * sx, timestampUs, valueScale) / sx,
        y: fy.apply(p.y * sy, timestampUs, valueScale) / sy,
        // MediaPipe converts normalized z with the image width, like x.
        z: fz.apply(p.z * sx, timestampUs, valueScale) / sx,
      };
    });
  }

  /** Forgets all history. */
  reset(): void {
    this.filters = [];
  }
}

/** Mean of the landmarks' bounding-box width and height (MediaPipe's GetObjectScale). */
export function objectScale(landmarks: readonly SmoothablePoint[], sx = 1, sy = 1): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of landmarks) {
    minX = Math.min(minX, p.x * sx);
    maxX = Math.max(maxX, p.x * sx);
    minY = Math.min(minY, p.y * sy);
    maxY = Math.max(maxY, p.y * sy);
  }
  return landmarks.length === 0 ? 0 : (maxX - minX + (maxY - minY)) / 2;
}
