// The default vision models checked for TFJS ↔ ONNX equivalence, each with a real input image.

import { type Region, portraitLandmarks, squareAround } from './test-images.js';

/** One model under test: which photo feeds it and how pixels are normalised. */
export interface ModelCase {
  readonly name: string;
  readonly image: string;
  readonly range: readonly [number, number];
  /** Region of the photo to crop before resizing (default: whole image). */
  readonly region?: () => Promise<Region>;
  /**
   * Per-output tolerances where float32 itself is the limit. BlazePose's segmentation mask is a sigmoid of
   * logits in the hundreds: two TFJS backends (cpu vs wasm) already disagree by ~2.2e-4 on it, and
   * onnxruntime with and without graph optimisations by ~8e-5, so 1e-4 would test rounding, not conversion.
   */
  readonly tolerances?: Readonly<Record<string, number>>;
}

const SEGMENTATION_MASK = { Identity_1: 5e-4 } as const;

const faceRegion = async (): Promise<Region> => {
  const { width, height, points } = await portraitLandmarks();
  return squareAround(points, width, height, 1.5);
};

const eyeRegion = async (): Promise<Region> => {
  const { width, height, points } = await portraitLandmarks();
  // Eye corners 33 and 133 of the MediaPipe face mesh; the iris model sees about twice the eye width.
  const corners = [points[33], points[133]].filter((p) => p !== undefined);
  return squareAround(corners, width, height, 2.3);
};

/** Models in the order the product needs them. */
export const MODEL_CASES: readonly ModelCase[] = [
  { name: 'facemesh-detection-short', image: 'portrait.jpg', range: [-1, 1] },
  { name: 'facemesh', image: 'portrait.jpg', range: [0, 1], region: faceRegion },
  { name: 'iris', image: 'portrait.jpg', range: [0, 1], region: eyeRegion },
  { name: 'facemesh-attention', image: 'portrait.jpg', range: [0, 1], region: faceRegion },
  { name: 'handdetect', image: 'hand_thumb_up.jpg', range: [-1, 1] },
  { name: 'handlandmark-full', image: 'hand_thumb_up.jpg', range: [0, 1] },
  { name: 'handlandmark-lite', image: 'hand_thumb_up.jpg', range: [0, 1] },
  { name: 'blazepose-detector', image: 'pose.jpg', range: [-1, 1] },
  { name: 'blazepose-lite', image: 'pose.jpg', range: [0, 1], tolerances: SEGMENTATION_MASK },
  { name: 'blazepose-full', image: 'pose.jpg', range: [0, 1], tolerances: SEGMENTATION_MASK },
  { name: 'blazepose-heavy', image: 'pose.jpg', range: [0, 1], tolerances: SEGMENTATION_MASK },
  { name: 'selfie', image: 'portrait.jpg', range: [0, 1] },
  { name: 'meet', image: 'portrait.jpg', range: [0, 1] },
];
