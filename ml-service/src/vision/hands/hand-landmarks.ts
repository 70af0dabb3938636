// Hand landmark model (224×224, full or lite) on one rotated hand rect: 21 image landmarks,
// 21 world landmarks (metres, rotated back to image axes), presence and handedness scores.

import type * as ort from 'onnxruntime-node';
import { runImageModel } from '../calculators/inference.js';
import { projectLandmarks } from '../calculators/landmark-projection.js';
import { removeLetterboxFromLandmarks } from '../calculators/letterbox-removal.js';
import { tensorsToLandmarks } from '../calculators/tensors-to-landmarks.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { warpToTensor } from '../image/warp.js';
import type { Landmark, NormalizedRect, RgbImage } from '../types.js';

export const HAND_LANDMARK_INPUT_SIZE = 224;
export const HAND_LANDMARKS = 21;

/** Output names as in the TFJS graph (ONNX conversions keep them, with or without ":0"). */
const OUT = {
  landmarks: ['Identity'],
  world: ['Identity_3'],
  presence: ['Identity_1'],
  handedness: ['Identity_2'],
} as const;

export interface RawHandLandmarks {
  /** Normalized to the full image. */
  landmarks: Landmark[];
  /** Metres, origin near the hand's centre, axes aligned with the image (y down). */
  worldLandmarks: Landmark[];
  /** Probability that a hand is in the rect. */
  presence: number;
  /**
   * Raw handedness output: probability of MediaPipe's "Right" label. MediaPipe reports "Left" for
   * the left hands of left_hands.jpg (an unmirrored photo), where this output is near 0.
   */
  rightScore: number;
}

/** Rotates world landmarks by the rect rotation (MediaPipe's WorldLandmarkProjectionCalculator). */
export function rotateWorldLandmarks(world: readonly Landmark[], rotation: number): Landmark[] {
  const c = Math.cos(rotation);
  const s = Math.sin(rotation);
  return world.map((p) => ({ ...p, x: c * p.x - s * p.y, y: s * p.x + c * p.y }));
}

/** Runs the landmark model on `rect` of `image`. Not re-entrant (shares `pool` buffers). */
export class HandLandmarkModel {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly pool: BufferPool,
  ) {}

  async run(image: RgbImage, rect: NormalizedRect): Promise<RawHandLandmarks> {
    const size = HAND_LANDMARK_INPUT_SIZE;
    const input = this.pool.float32('hand-input', size * size * 3);
    const { roi, padding } = warpToTensor(
      image,
      rect,
      { width: size, height: size, range: [0, 1], keepAspectRatio: true, border: 'zero' },
      input,
    );
    const out = await runImageModel(this.session, input, size, size);
    const n = HAND_LANDMARKS * 3;
    const rawScreen = out.pick(OUT.landmarks, n).data;
    const rawWorld = out.pick(OUT.world, n).data;
    const presence = out.pick(OUT.presence, 1).data[0] ?? 0;
    const rightScore = out.pick(OUT.handedness, 1).data[0] ?? 0;
    const local = tensorsToLandmarks(rawScreen, {
      numLandmarks: HAND_LANDMARKS,
      inputImageWidth: size,
      inputImageHeight: size,
      normalizeZ: 0.4,
    });
    const landmarks = projectLandmarks(removeLetterboxFromLandmarks(local, padding), roi);
    const world = tensorsToLandmarks(rawWorld, { numLandmarks: HAND_LANDMARKS, inputImageWidth: 1, inputImageHeight: 1 });
    return { landmarks, worldLandmarks: rotateWorldLandmarks(world, roi.rotation), presence, rightScore };
  }
}
