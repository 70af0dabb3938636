// Iris pipeline for one face: eye ROIs from the face mesh → iris model per eye (image-right eye mirrored)
// → 5 iris + 71 contour landmarks, iris diameter and gaze per eye and combined.

import type * as ort from 'onnxruntime-node';
import { Exclusive } from '../calculators/exclusive.js';
import { BufferPool } from '../image/buffer-pool.js';
import { VisionError } from '../errors.js';
import { emptyTimings, type EyeResult, type IrisResult, type Landmark, type Point2, type RgbImage, type StageTimings } from '../types.js';
import { eyeRoiFromMesh, type EyeSide } from './eye-roi.js';
import { eyeGeometry, gazeFromGeometry, irisDiameter, meanGaze } from './gaze.js';
import { runIrisModel } from './iris-model.js';

export class IrisLandmarker {
  private readonly pool = new BufferPool();
  private readonly exclusive = new Exclusive();
  private disposed = false;
  timings: StageTimings = emptyTimings();

  constructor(private readonly session: ort.InferenceSession) {}

  /** Both eyes of one face, from its mesh landmarks (468 or 478 points, normalized to `image`). */
  async process(image: RgbImage, faceLandmarks: readonly Point2[]): Promise<IrisResult> {
    if (this.disposed) throw new VisionError('VISION_DISPOSED', 'iris landmarker was disposed');
    return this.exclusive.run(async () => {
      const timings = emptyTimings();
      const left = await this.eye(image, faceLandmarks, 'left', timings);
      const right = await this.eye(image, faceLandmarks, 'right', timings);
      this.timings = timings;
      return { left, right, gaze: meanGaze(left.gaze, right.gaze) };
    });
  }

  /** Idempotent; the session stays owned by the caller. */
  dispose(): void {
    this.disposed = true;
    this.pool.clear();
  }

  private async eye(image: RgbImage, mesh: readonly Point2[], side: EyeSide, timings: StageTimings): Promise<EyeResult> {
    const roi = eyeRoiFromMesh(mesh, side, image);
    const flipped = side === 'right';
    const { contour, iris } = await runIrisModel(this.session, image, roi, flipped, this.pool, timings);
    const t = performance.now();
    // The model sees a mirrored right eye, so its edge points 1 and 3 come back swapped; reorder them so
    // that for both eyes point 1 is the image-right edge and 3 the image-left edge (face mesh 469/474).
    const ordered: Landmark[] = flipped ? [iris[0]!, iris[3]!, iris[2]!, iris[1]!, iris[4]!] : iris;
    const result: EyeResult = {
      iris: ordered,
      contour,
      irisDiameter: irisDiameter(ordered, image),
      gaze: gazeFromGeometry(eyeGeometry(contour, ordered, flipped), image),
      roi,
    };
    timings.postprocessMs += performance.now() - t;
    return result;
  }
}
