// Refines landmark x/y from the BlazePose heatmap (MediaPipe's RefineLandmarksFromHeatmapCalculator):
// a confidence-weighted mean of heatmap cells in a small window around each landmark.

import type { Landmark } from '../types.js';

export interface HeatmapRefineOptions {
  /** Window side in heatmap cells (odd). MediaPipe: 7. */
  kernelSize: number;
  /** Refine only when the window's peak confidence reaches this. MediaPipe: 0.5. */
  minConfidence: number;
}

export const DEFAULT_HEATMAP_REFINE: HeatmapRefineOptions = Object.freeze({ kernelSize: 7, minConfidence: 0.5 });

export interface Heatmap {
  /** NHWC values (batch 1): `height × width × channels`, already activated (0..1). */
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/**
 * Returns refined copies of `landmarks` (normalized to the model input, channel i ↔ landmark i).
 * Landmarks outside the heatmap are kept as they are.
 */
export function refineLandmarksFromHeatmap(landmarks: readonly Landmark[], hm: Heatmap, o: HeatmapRefineOptions = DEFAULT_HEATMAP_REFINE): Landmark[] {
  if (hm.channels < landmarks.length) {
    throw new RangeError(`heatmap has ${hm.channels} channels for ${landmarks.length} landmarks`);
  }
  const offset = Math.trunc((o.kernelSize - 1) / 2);
  return landmarks.map((lm, i) => {
    const col = Math.trunc(lm.x * hm.width);
    const row = Math.trunc(lm.y * hm.height);
    if (col < 0 || col >= hm.width || row < 0 || row >= hm.height) return { ...lm };
    const c0 = Math.max(0, col - offset);
    const c1 = Math.min(hm.width, col + offset + 1);
    const r0 = Math.max(0, row - offset);
    const r1 = Math.min(hm.height, row + offset + 1);
    let sum = 0;
    let max = 0;
    let wc = 0;
    let wr = 0;
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        const v = hm.data[(r * hm.width + c) * hm.channels + i]!;
        sum += v;
        if (v > max) max = v;
        wc += c * v;
        wr += r * v;
      }
    }
    if (max < o.minConfidence || sum <= 0) return { ...lm };
    return { ...lm, x: wc / hm.width / sum, y: wr / hm.height / sum };
  });
}
