// Temporal filtering of one tracked pose, as MediaPipe's PoseLandmarkFiltering does: one-euro filters
// on the 33 landmarks, the world landmarks and (always, since they drive the next ROI) the auxiliary
// ROI landmarks, plus a low-pass filter on landmark visibility.

import { LandmarksSmoother, SMOOTHING_PRESETS, type SmoothingImageSize } from '../filters/landmarks-smoother.js';
import type { Landmark } from '../types.js';

/** Weight of the new visibility value (MediaPipe VisibilitySmoothingCalculator: 0.1). */
export const VISIBILITY_ALPHA = 0.1;

export interface PoseSample {
  landmarks: Landmark[];
  worldLandmarks: Landmark[];
  /** Hip centre and body-scale point. */
  aux: Landmark[];
}

export class PoseSmoother {
  private readonly screen = new LandmarksSmoother(SMOOTHING_PRESETS.landmarks);
  private readonly world = new LandmarksSmoother(SMOOTHING_PRESETS.world);
  private readonly auxiliary = new LandmarksSmoother(SMOOTHING_PRESETS.auxiliary);
  private visibility: number[] | undefined;

  /** `landmarks` controls the landmark, world and visibility filters; aux landmarks are always filtered. */
  constructor(private readonly landmarks: boolean) {}

  /** Filters one frame's sample observed at `timestampUs` (strictly increasing). */
  apply(sample: PoseSample, timestampUs: number, image: SmoothingImageSize): PoseSample {
    const aux = this.auxiliary.apply(sample.aux, timestampUs, image);
    if (!this.landmarks) return { ...sample, aux };
    const landmarks = this.screen.apply(sample.landmarks, timestampUs, image);
    const previous = this.visibility;
    this.visibility = landmarks.map((p, i) => {
      const v = p.visibility ?? 0;
      const before = previous?.[i];
      return before === undefined ? v : VISIBILITY_ALPHA * v + (1 - VISIBILITY_ALPHA) * before;
    });
    landmarks.forEach((p, i) => {
      if (p.visibility !== undefined) p.visibility = this.visibility![i]!;
    });
    const worldLandmarks = this.world.apply(sample.worldLandmarks, timestampUs).map((p, i) => {
      const v = landmarks[i]?.visibility;
      return v === undefined ? p : { ...p, visibility: v };
    });
    return { landmarks, worldLandmarks, aux };
  }

  reset(): void {
    this.screen.reset();
    this.world.reset();
    this.auxiliary.reset();
    this.visibility = undefined;
  }
}
