// Single-image face mesh pipeline: BlazeFace detection → rotated ROI (eyes level, ×1.5) → 192×192 warp
// → 468 landmarks (478 with the attention model) projected back to the image.

import type * as ort from 'onnxruntime-node';
import { landmarksBounds } from '../../vision/calculators/landmarks-to-detection.js';
import { FaceDetector } from '../../vision/face/face-detector.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../../vision/image/convert.js';
import { invalidArgument } from '../../vision/errors.js';
import { SerialFrames } from '../../vision/shared/serial-frames.js';
import { emptyTimings, type FaceMeshResult, type Frame, type NormalizedRect, type RgbImage, type StageTimings } from '../../vision/types.js';
import { hasRefinementOutputs, runMeshModel } from '../../vision/face-mesh/mesh-model.js';
import { faceRoiFromDetection } from '../../vision/face-mesh/roi.js';

export interface FaceMeshSessions {
  detector: ort.InferenceSession;
  mesh: ort.InferenceSession;
}

export interface FaceMeshOptions {
  /** Most faces processed (default 1, as MediaPipe). */
  maxFaces?: number;
  minDetectionScore?: number;
  /** Faces whose mesh presence is below this are dropped (default 0.5). */
  minPresence?: number;
  /** 478 points with refined eyes/lips/irises; needs the attention model. Default: when the model has them. */
  refine?: boolean;
  limits?: FrameLimits;
}

export class FaceMesh {
  readonly detector: FaceDetector;
  readonly refine: boolean;
  readonly minPresence: number;
  private readonly frames: SerialFrames;
  timings: StageTimings = emptyTimings();

  constructor(private readonly sessions: FaceMeshSessions, options: FaceMeshOptions = {}) {
    const detectorOptions: { maxFaces: number; minScore?: number; limits?: FrameLimits } = { maxFaces: options.maxFaces ?? 1 };
    if (options.minDetectionScore !== undefined) detectorOptions.minScore = options.minDetectionScore;
    this.detector = new FaceDetector(sessions.detector, detectorOptions);
    this.minPresence = options.minPresence ?? 0.5;
    this.frames = new SerialFrames('face mesh', options.limits ?? DEFAULT_FRAME_LIMITS);
    const capable = hasRefinementOutputs(sessions.mesh);
    if (options.refine === true && !capable) {
      throw invalidArgument('options.refine', 'refined landmarks need the attention face mesh model');
    }
    this.refine = options.refine ?? capable;
  }

  process(frame: Frame): Promise<FaceMeshResult[]> {
    return this.frames.decode(frame, (image) => this.processUnlocked(image), (ms) => {
      this.timings.decodeMs = ms;
    });
  }

  runRgb(image: RgbImage): Promise<FaceMeshResult[]> {
    return this.frames.run(() => this.processUnlocked(image));
  }

  /** Runs only the mesh model on a given ROI; null when the face presence is below the threshold. */
  async meshFromRoi(image: RgbImage, roi: NormalizedRect, timings?: StageTimings): Promise<FaceMeshResult | null> {
    this.frames.assertLive();
    const { landmarks, presence } = await runMeshModel(this.sessions.mesh, image, roi, this.frames.pool, this.refine, timings);
    if (presence < this.minPresence) return null;
    return { landmarks, presence, roi, box: landmarksBounds(landmarks) };
  }

  /** Idempotent; sessions stay owned by the caller. */
  dispose(): void {
    if (this.frames.dispose()) this.detector.dispose();
  }

  private async processUnlocked(image: RgbImage): Promise<FaceMeshResult[]> {
    const faces = await this.detector.runRgb(image);
    const timings = { ...this.detector.timings };
    const results: FaceMeshResult[] = [];
    for (const face of faces) {
      const roi = faceRoiFromDetection(face, image);
      const mesh = await this.meshFromRoi(image, roi, timings);
      if (mesh !== null) results.push(mesh);
    }
    this.timings = timings;
    return results;
  }
}
