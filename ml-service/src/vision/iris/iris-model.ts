// Runs the iris model on one 64×64 eye crop (MediaPipe iris_landmark_cpu): the image-right eye is
// mirrored before inference and the landmarks are mirrored back, then projected to the image.

import type * as ort from 'onnxruntime-node';
import { runImageModel } from '../calculators/inference.js';
import { projectLandmarks } from '../calculators/landmark-projection.js';
import { tensorsToLandmarks } from '../calculators/tensors-to-landmarks.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { warpToTensor, type WarpOptions } from '../image/warp.js';
import type { Landmark, NormalizedRect, RgbImage, StageTimings } from '../types.js';

export const IRIS_INPUT_SIZE = 64;
export const EYE_CONTOUR_POINTS = 71;
export const IRIS_POINTS = 5;

/** Eye crop in [0, 1] with edge replication (ImageCroppingCalculator BORDER_REPLICATE). */
export const IRIS_WARP: Readonly<WarpOptions> = Object.freeze({
  width: IRIS_INPUT_SIZE,
  height: IRIS_INPUT_SIZE,
  range: [0, 1] as const,
  border: 'replicate' as const,
});

export interface IrisModelResult {
  /** 71 eye contour/brow landmarks, normalized image coordinates. */
  contour: Landmark[];
  /** Iris centre + 4 edge points, normalized image coordinates. */
  iris: Landmark[];
}

/** The TFJS export concatenates [71 × 3 contour, 5 × 3 iris] into one 228-value output. */
export async function runIrisModel(
  session: ort.InferenceSession,
  image: RgbImage,
  roi: NormalizedRect,
  flip: boolean,
  pool: BufferPool,
  timings?: StageTimings,
): Promise<IrisModelResult> {
  let t = performance.now();
  const input = pool.float32('iris-input', IRIS_INPUT_SIZE * IRIS_INPUT_SIZE * 3);
  warpToTensor(image, roi, { ...IRIS_WARP, flipHorizontal: flip }, input);
  if (timings !== undefined) timings.preprocessMs += performance.now() - t;
  t = performance.now();
  const outputs = await runImageModel(session, input, IRIS_INPUT_SIZE, IRIS_INPUT_SIZE);
  if (timings !== undefined) timings.modelMs += performance.now() - t;
  t = performance.now();
  const contourSize = EYE_CONTOUR_POINTS * 3;
  const irisSize = IRIS_POINTS * 3;
  let contourData: Float32Array;
  let irisData: Float32Array;
  const both = outputs.allOfSize(contourSize + irisSize);
  if (both.length === 1) {
    contourData = both[0]!.data.subarray(0, contourSize);
    irisData = both[0]!.data.subarray(contourSize);
  } else {
    contourData = outputs.pick(['output_eyes_contours_and_brows'], contourSize).data;
    irisData = outputs.pick(['output_iris'], irisSize).data;
  }
  const decode = (data: Float32Array, numLandmarks: number): Landmark[] =>
    projectLandmarks(
      tensorsToLandmarks(data, { numLandmarks, inputImageWidth: IRIS_INPUT_SIZE, inputImageHeight: IRIS_INPUT_SIZE, flipHorizontally: flip }),
      roi,
    );
  const result = { contour: decode(contourData, EYE_CONTOUR_POINTS), iris: decode(irisData, IRIS_POINTS) };
  if (timings !== undefined) timings.postprocessMs += performance.now() - t;
  return result;
}
