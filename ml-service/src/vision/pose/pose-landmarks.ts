// BlazePose landmark model (lite/full/heavy, 256×256) on one rotated person ROI: 33 landmarks with
// visibility/presence (heatmap-refined), 33 world landmarks, pose presence and the crop's mask.

import type * as ort from 'onnxruntime-node';
import { runImageModel } from '../calculators/inference.js';
import { projectLandmarks } from '../calculators/landmark-projection.js';
import { removeLetterboxFromLandmarks } from '../calculators/letterbox-removal.js';
import { tensorsToLandmarks } from '../calculators/tensors-to-landmarks.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { warpToTensor } from '../image/warp.js';
import type { Landmark, NormalizedRect, RgbImage } from '../types.js';
import { refineLandmarksFromHeatmap } from './heatmap-refine.js';

export const POSE_LANDMARK_INPUT_SIZE = 256;
/** 33 body landmarks followed by 6 auxiliary ones (ROI hints). */
export const POSE_MODEL_LANDMARKS = 39;
export const POSE_LANDMARKS = 33;
const HEATMAP_SIZE = 64;

/** TFJS output names (and the signature keys some converters use instead). */
const OUT = {
  landmarks: ['Identity_2', 'ld_3d'],
  presence: ['Identity_3', 'output_poseflag'],
  world: ['Identity_4', 'world_3d'],
  heatmap: ['Identity', 'activation_heatmap'],
  segmentation: ['Identity_1', 'activation_segmentation'],
} as const;

export interface RawPoseLandmarks {
  /** 39 landmarks normalized to the image (33 body + 6 auxiliary). */
  landmarks: Landmark[];
  /** 33 world landmarks in metres, origin between the hips, image-aligned axes. */
  worldLandmarks: Landmark[];
  presence: number;
  /** Person probability per crop pixel (256×256, over `roi`), when asked for. */
  cropMask?: Float32Array;
  /** The region actually sampled (after padding to the model's aspect ratio). */
  roi: NormalizedRect;
}

/** Runs the landmark model on `rect`. Not re-entrant (shares `pool` buffers). */
export class PoseLandmarkModel {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly pool: BufferPool,
  ) {}

  async run(image: RgbImage, rect: NormalizedRect, withMask: boolean): Promise<RawPoseLandmarks> {
    const size = POSE_LANDMARK_INPUT_SIZE;
    const input = this.pool.float32('pose-input', size * size * 3);
    const { roi, padding } = warpToTensor(
      image,
      rect,
      { width: size, height: size, range: [0, 1], keepAspectRatio: true, border: 'zero' },
      input,
    );
    const out = await runImageModel(this.session, input, size, size);
    const n = POSE_MODEL_LANDMARKS;
    const presence = out.pick(OUT.presence, 1).data[0] ?? 0;
    const local = tensorsToLandmarks(out.pick(OUT.landmarks, n * 5).data, {
      numLandmarks: n,
      inputImageWidth: size,
      inputImageHeight: size,
      visibilityActivation: 'sigmoid',
      presenceActivation: 'sigmoid',
    });
    const heatmap = out.pick(OUT.heatmap, HEATMAP_SIZE * HEATMAP_SIZE * n).data;
    const refined = refineLandmarksFromHeatmap(local, { data: heatmap, width: HEATMAP_SIZE, height: HEATMAP_SIZE, channels: n });
    const landmarks = projectLandmarks(removeLetterboxFromLandmarks(refined, padding), roi);
    const world = tensorsToLandmarks(out.pick(OUT.world, n * 3).data, { numLandmarks: n, inputImageWidth: 1, inputImageHeight: 1 });
    const c = Math.cos(roi.rotation);
    const s = Math.sin(roi.rotation);
    const worldLandmarks = world.slice(0, POSE_LANDMARKS).map((p, i) => {
      const w: Landmark = { x: c * p.x - s * p.y, y: s * p.x + c * p.y, z: p.z };
      const lm = landmarks[i];
      if (lm?.visibility !== undefined) w.visibility = lm.visibility;
      if (lm?.presence !== undefined) w.presence = lm.presence;
      return w;
    });
    const result: RawPoseLandmarks = { landmarks, worldLandmarks, presence, roi };
    if (withMask) result.cropMask = out.pick(OUT.segmentation, size * size).data;
    return result;
  }
}
