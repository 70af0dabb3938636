// Test helper: real hand, pose and segmentation models through the shared test-model loader
// (converted ONNX from the cache when present, else the TFJS originals on the reference runtime).

import { loadFaceTestModel, type FaceModelName, type TestModel } from './models.js';

export type BodyModelName =
  | 'handdetect'
  | 'handlandmark-full'
  | 'handlandmark-lite'
  | 'blazepose-detector'
  | 'blazepose-lite'
  | 'blazepose-full'
  | 'blazepose-heavy'
  | 'selfie'
  | 'meet';

/** Loads one model for a test; fails (never skips) when it cannot be found or fetched. */
export async function loadBodyTestModel(name: BodyModelName): Promise<TestModel> {
  // The shared loader works for any model of the package; its name type only lists face models.
  return loadFaceTestModel(name as unknown as FaceModelName);
}
