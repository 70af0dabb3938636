// Decodes SSD box/score tensors into detections, following MediaPipe's TensorsToDetectionsCalculator
// (anchor-relative box decoding, score clipping + sigmoid, minimum score filter).

import type { Detection } from '../types.js';
import { sigmoid } from './math.js';
import type { Anchor } from './ssd-anchors.js';

export interface TensorsToDetectionsOptions {
  numClasses: number;
  numBoxes: number;
  numCoords: number;
  boxCoordOffset?: number;
  keypointCoordOffset?: number;
  numKeypoints?: number;
  numValuesPerKeypoint?: number;
  /** Raw boxes are (x, y, w, h) rather than (y, x, h, w). */
  reverseOutputOrder?: boolean;
  xScale: number;
  yScale: number;
  wScale: number;
  hScale: number;
  applyExponentialOnBoxSize?: boolean;
  sigmoidScore?: boolean;
  /** Raw scores are clamped to ±this before the sigmoid (0/undefined: no clipping). */
  scoreClippingThresh?: number;
  minScoreThresh?: number;
  flipVertically?: boolean;
}

/**
 * Where to read raw values from. A model that packs scores and boxes into one tensor (e.g.
 * [N, 1 + 16]) can pass the same array twice with different offsets and strides.
 */
export interface RawDetectionTensors {
  boxes: Float32Array;
  /** Values between consecutive boxes (default numCoords) and index of the first box value. */
  boxStride?: number;
  boxStart?: number;
  scores: Float32Array;
  /** Values between consecutive score rows (default numClasses) and index of the first score. */
  scoreStride?: number;
  scoreStart?: number;
}

/** Decodes one box (relative to the model input) with its keypoints; no score filtering. */
export function decodeBox(raw: Float32Array, base: number, anchor: Anchor, o: TensorsToDetectionsOptions): Omit<Detection, 'score' | 'classId'> {
  const b = base + (o.boxCoordOffset ?? 0);
  const rev = o.reverseOutputOrder === true;
  let xc = raw[rev ? b : b + 1]!;
  let yc = raw[rev ? b + 1 : b]!;
  let w = raw[rev ? b + 2 : b + 3]!;
  let h = raw[rev ? b + 3 : b + 2]!;
  xc = (xc / o.xScale) * anchor.w + anchor.xCenter;
  yc = (yc / o.yScale) * anchor.h + anchor.yCenter;
  if (o.applyExponentialOnBoxSize === true) {
    w = Math.exp(w / o.wScale) * anchor.w;
    h = Math.exp(h / o.hScale) * anchor.h;
  } else {
    w = (w / o.wScale) * anchor.w;
    h = (h / o.hScale) * anchor.h;
  }
  let ymin = yc - h / 2;
  if (o.flipVertically === true) ymin = 1 - (yc + h / 2);
  const keypoints = [];
  const nk = o.numKeypoints ?? 0;
  const per = o.numValuesPerKeypoint ?? 2;
  for (let k = 0; k < nk; k++) {
    const kb = base + (o.keypointCoordOffset ?? 0) + k * per;
    const kx = raw[rev ? kb : kb + 1]!;
    const ky = raw[rev ? kb + 1 : kb]!;
    const x = (kx / o.xScale) * anchor.w + anchor.xCenter;
    const y = (ky / o.yScale) * anchor.h + anchor.yCenter;
    keypoints.push({ x, y: o.flipVertically === true ? 1 - y : y });
  }
  return { box: { xmin: xc - w / 2, ymin, width: w, height: h }, keypoints };
}

/** Decodes all boxes whose best class score passes minScoreThresh (scores after the sigmoid). */
export function tensorsToDetections(raw: RawDetectionTensors, anchors: readonly Anchor[], o: TensorsToDetectionsOptions): Detection[] {
  if (anchors.length !== o.numBoxes) {
    throw new RangeError(`expected ${o.numBoxes} anchors, got ${anchors.length}`);
  }
  const boxStride = raw.boxStride ?? o.numCoords;
  const boxStart = raw.boxStart ?? 0;
  const scoreStride = raw.scoreStride ?? o.numClasses;
  const scoreStart = raw.scoreStart ?? 0;
  const clip = o.scoreClippingThresh ?? 0;
  const minScore = o.minScoreThresh ?? Number.NEGATIVE_INFINITY;
  const out: Detection[] = [];
  for (let i = 0; i < o.numBoxes; i++) {
    let best = Number.NEGATIVE_INFINITY;
    let classId = 0;
    for (let c = 0; c < o.numClasses; c++) {
      let s = raw.scores[scoreStart + i * scoreStride + c]!;
      if (clip > 0) s = s < -clip ? -clip : s > clip ? clip : s;
      if (o.sigmoidScore === true) s = sigmoid(s);
      if (s > best) {
        best = s;
        classId = c;
      }
    }
    if (best < minScore) continue;
    const decoded = decodeBox(raw.boxes, boxStart + i * boxStride, anchors[i]!, o);
    if (decoded.box.width < 0 || decoded.box.height < 0) continue;
    out.push({ ...decoded, score: best, classId });
  }
  return out;
}
