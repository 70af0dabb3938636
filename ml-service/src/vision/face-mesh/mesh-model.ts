// Runs the face mesh model (468 points, or the attention variant with 478) on one rotated face ROI
// and projects the landmarks back to the image (MediaPipe face_landmark_cpu + tensors_to_face_landmarks).

import type * as ort from 'onnxruntime-node';
import { runImageModel, type ModelOutputs } from '../calculators/inference.js';
import { projectLandmarks } from '../calculators/landmark-projection.js';
import { sigmoid } from '../calculators/math.js';
import { tensorsToLandmarks } from '../calculators/tensors-to-landmarks.js';
import { VisionError } from '../errors.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { warpToTensor, type WarpOptions } from '../image/warp.js';
import type { Landmark, NormalizedRect, RgbImage, StageTimings } from '../types.js';
import { refineLandmarks } from './refinement.js';

export const MESH_INPUT_SIZE = 192;
export const MESH_POINTS = 468;

/** ROI warped to 192×192, values in [0, 1], edge pixels replicated. */
export const MESH_WARP: Readonly<WarpOptions> = Object.freeze({
  width: MESH_INPUT_SIZE,
  height: MESH_INPUT_SIZE,
  range: [0, 1] as const,
  border: 'replicate' as const,
});

export interface MeshModelResult {
  /** Normalized image landmarks: 468, or 478 when refined. */
  landmarks: Landmark[];
  /** Face presence probability. */
  presence: number;
}

/**
 * Warps `roi`, runs the model and decodes. `refine` uses the attention outputs when the model has them
 * (it is an error to ask for refinement from a model without them).
 */
export async function runMeshModel(
  session: ort.InferenceSession,
  image: RgbImage,
  roi: NormalizedRect,
  pool: BufferPool,
  refine: boolean,
  timings?: StageTimings,
): Promise<MeshModelResult> {
  let t = performance.now();
  const input = pool.float32('mesh-input', MESH_INPUT_SIZE * MESH_INPUT_SIZE * 3);
  warpToTensor(image, roi, MESH_WARP, input);
  if (timings !== undefined) timings.preprocessMs += performance.now() - t;
  t = performance.now();
  const outputs = await runImageModel(session, input, MESH_INPUT_SIZE, MESH_INPUT_SIZE);
  if (timings !== undefined) timings.modelMs += performance.now() - t;
  t = performance.now();
  const result = decodeMeshOutputs(outputs, refine);
  result.landmarks = projectLandmarks(result.landmarks, roi);
  if (timings !== undefined) timings.postprocessMs += performance.now() - t;
  return result;
}

/**
 * Decodes model outputs to crop-normalized landmarks (before projection). The face flag of the
 * TFJS-derived models is already a probability; pass `flagIsLogit` for exports that emit logits.
 */
export function decodeMeshOutputs(outputs: ModelOutputs, refine: boolean, flagIsLogit = false): MeshModelResult {
  const mesh = outputs.pick(['output_mesh', 'output_mesh_identity'], MESH_POINTS * 3);
  const flag = outputs.pick(['output_faceflag', 'conv_faceflag'], 1);
  const presence = flagIsLogit ? sigmoid(flag.data[0]!) : flag.data[0]!;
  const decode = (data: Float32Array, numLandmarks: number): Landmark[] =>
    tensorsToLandmarks(data, { numLandmarks, inputImageWidth: MESH_INPUT_SIZE, inputImageHeight: MESH_INPUT_SIZE });
  const meshLandmarks = decode(mesh.data, MESH_POINTS);
  if (!refine) return { landmarks: meshLandmarks, presence };
  const eyes = outputs.allOfSize(71 * 2);
  const irises = outputs.allOfSize(5 * 2);
  const lips = outputs.allOfSize(80 * 2);
  if (eyes.length !== 2 || irises.length !== 2 || lips.length !== 1) {
    throw new VisionError('VISION_MODEL_MISMATCH', `refined landmarks need the attention mesh model (outputs: ${outputs.describe()})`);
  }
  const [eyeA, eyeB] = eyes.map((o) => decode(o.data, 71)) as [Landmark[], Landmark[]];
  const [irisA, irisB] = irises.map((o) => decode(o.data, 5)) as [Landmark[], Landmark[]];
  // Output order differs between exports: assign each eye/iris to the side it lies on.
  const leftCorner = meshLandmarks[33]!;
  const rightCorner = meshLandmarks[263]!;
  const closerToLeft = (p: Landmark): boolean => dist2(p, leftCorner) < dist2(p, rightCorner);
  const eyeALeft = closerToLeft(eyeA[0]!);
  const irisALeft = closerToLeft(irisA[0]!);
  return {
    landmarks: refineLandmarks({
      mesh: meshLandmarks,
      lips: decode(lips[0]!.data, 80),
      leftEye: eyeALeft ? eyeA : eyeB,
      rightEye: eyeALeft ? eyeB : eyeA,
      leftIris: irisALeft ? irisA : irisB,
      rightIris: irisALeft ? irisB : irisA,
    }),
    presence,
  };
}

function dist2(a: Landmark, b: Landmark): number {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
}

/** True when the session has the attention model's extra outputs (by output count). */
export function hasRefinementOutputs(session: ort.InferenceSession): boolean {
  return session.outputNames.length >= 6;
}
