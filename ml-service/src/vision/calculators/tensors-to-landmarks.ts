// Raw landmark tensor → landmarks normalized to the model input, following MediaPipe's
// TensorsToLandmarksCalculator (flips, z normalisation, visibility/presence activation).

import type { Landmark } from '../types.js';
import { sigmoid } from './math.js';

export interface TensorsToLandmarksOptions {
  numLandmarks: number;
  /** Model input size in pixels; raw x/y are divided by these. */
  inputImageWidth: number;
  inputImageHeight: number;
  flipHorizontally?: boolean;
  flipVertically?: boolean;
  /** z is divided by inputImageWidth and then by this (MediaPipe default 1). */
  normalizeZ?: number;
  /** Activation for the 4th/5th values (visibility/presence), e.g. 'sigmoid' for BlazePose. */
  visibilityActivation?: 'none' | 'sigmoid';
  presenceActivation?: 'none' | 'sigmoid';
  /** Values per landmark; default raw.length / numLandmarks (from `start`). */
  numDimensions?: number;
}

/** Decodes `numLandmarks` landmarks starting at `raw[start]`. */
export function tensorsToLandmarks(raw: Float32Array, o: TensorsToLandmarksOptions, start = 0): Landmark[] {
  const dims = o.numDimensions ?? Math.floor((raw.length - start) / o.numLandmarks);
  if (dims < 2 || start + dims * o.numLandmarks > raw.length) {
    throw new RangeError(`landmark tensor of ${raw.length} values cannot hold ${o.numLandmarks} landmarks from ${start}`);
  }
  const w = o.inputImageWidth;
  const h = o.inputImageHeight;
  const zScale = 1 / w / (o.normalizeZ ?? 1);
  const out: Landmark[] = new Array<Landmark>(o.numLandmarks);
  for (let i = 0; i < o.numLandmarks; i++) {
    const b = start + i * dims;
    const rx = raw[b]!;
    const ry = raw[b + 1]!;
    const lm: Landmark = {
      x: (o.flipHorizontally === true ? w - rx : rx) / w,
      y: (o.flipVertically === true ? h - ry : ry) / h,
      z: dims > 2 ? raw[b + 2]! * zScale : 0,
    };
    if (dims > 3) lm.visibility = o.visibilityActivation === 'sigmoid' ? sigmoid(raw[b + 3]!) : raw[b + 3]!;
    if (dims > 4) lm.presence = o.presenceActivation === 'sigmoid' ? sigmoid(raw[b + 4]!) : raw[b + 4]!;
    out[i] = lm;
  }
  return out;
}
