// BlazeFace short-range face detector on onnxruntime: letterbox → model → anchors decode → weighted NMS.

import type * as ort from 'onnxruntime-node';
import { Exclusive } from '../calculators/exclusive.js';
import { runImageModel } from '../calculators/inference.js';
import { removeLetterboxFromDetections } from '../calculators/letterbox-removal.js';
import { nonMaxSuppression } from '../calculators/non-max-suppression.js';
import { generateSsdAnchors, type Anchor } from '../calculators/ssd-anchors.js';
import { tensorsToDetections } from '../calculators/tensors-to-detections.js';
import { BufferPool } from '../image/buffer-pool.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../image/convert.js';
import { VisionError, invalidArgument } from '../errors.js';
import { frameToRgb } from '../image/frame.js';
import { boxShrink, rectOnShrunk, shrinkFactorFor } from '../image/shrink.js';
import { fullImageRect, warpToTensor } from '../image/warp.js';
import { emptyTimings, type FaceDetection, type Frame, type RgbImage, type StageTimings } from '../types.js';
import { BLAZEFACE_ANCHORS, BLAZEFACE_DECODE, BLAZEFACE_INPUT_SIZE, BLAZEFACE_NMS_THRESHOLD, BLAZEFACE_ROW, BLAZEFACE_WARP } from './blazeface-config.js';

export interface FaceDetectorOptions {
  /** Most faces returned, best first (default 10). */
  maxFaces?: number;
  /** Minimum detection score after the sigmoid (default 0.5). */
  minScore?: number;
  /** IoU above which overlapping detections are merged (default 0.3). */
  minSuppressionThreshold?: number;
  limits?: FrameLimits;
  /**
   * Box-average large images down to about twice the model input before the bilinear warp.
   * Default false: MediaPipe samples bilinearly without it, and matching it exactly keeps results
   * identical to MediaPipe's; enabling it reduces aliasing on big frames.
   */
  antialias?: boolean;
}

export class FaceDetector {
  private readonly anchors: Anchor[] = generateSsdAnchors(BLAZEFACE_ANCHORS);
  private readonly pool = new BufferPool();
  private readonly exclusive = new Exclusive();
  private readonly maxFaces: number;
  private readonly minScore: number;
  private readonly nmsThreshold: number;
  private readonly limits: FrameLimits;
  private readonly antialias: boolean;
  private disposed = false;
  /** Stage times of the most recent call. */
  timings: StageTimings = emptyTimings();

  constructor(private readonly session: ort.InferenceSession, options: FaceDetectorOptions = {}) {
    this.maxFaces = options.maxFaces ?? 10;
    this.minScore = options.minScore ?? BLAZEFACE_DECODE.minScoreThresh ?? 0.5;
    this.nmsThreshold = options.minSuppressionThreshold ?? BLAZEFACE_NMS_THRESHOLD;
    this.limits = options.limits ?? DEFAULT_FRAME_LIMITS;
    this.antialias = options.antialias ?? false;
    if (!Number.isInteger(this.maxFaces) || this.maxFaces < 1) throw invalidArgument('options.maxFaces', 'must be a positive integer');
    if (!(this.minScore >= 0 && this.minScore <= 1)) throw invalidArgument('options.minScore', 'must be within [0, 1]');
  }

  /** Decodes/converts the frame, then detects faces. */
  async detect(frame: Frame): Promise<FaceDetection[]> {
    this.assertLive();
    return this.exclusive.run(async () => {
      const t0 = performance.now();
      const image = await frameToRgb(frame, this.limits, this.pool);
      const result = await this.detectUnlocked(image);
      this.timings.decodeMs = performance.now() - t0 - this.timings.preprocessMs - this.timings.modelMs - this.timings.postprocessMs;
      return result;
    });
  }

  /** Detects faces in an already decoded RGB image. Coordinates are normalized to it. */
  async runRgb(image: RgbImage): Promise<FaceDetection[]> {
    this.assertLive();
    return this.exclusive.run(() => this.detectUnlocked(image));
  }

  /** Idempotent. The session stays owned by the caller. */
  dispose(): void {
    this.disposed = true;
    this.pool.clear();
  }

  private async detectUnlocked(image: RgbImage): Promise<FaceDetection[]> {
    this.assertLive();
    const timings = emptyTimings();
    let t = performance.now();
    const input = this.pool.float32('input', BLAZEFACE_INPUT_SIZE * BLAZEFACE_INPUT_SIZE * 3);
    const k = this.antialias ? shrinkFactorFor(image, fullImageRect(), BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE) : 1;
    const source = boxShrink(image, k, this.pool);
    const roi = k > 1 ? rectOnShrunk(fullImageRect(), image, source, k) : fullImageRect();
    const { padding } = warpToTensor(source, roi, BLAZEFACE_WARP, input);
    timings.preprocessMs = performance.now() - t;
    t = performance.now();
    const outputs = await runImageModel(this.session, input, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE);
    timings.modelMs = performance.now() - t;
    t = performance.now();
    const raw = outputs.pick(['Identity', 'output', 'objects'], BLAZEFACE_DECODE.numBoxes * BLAZEFACE_ROW).data;
    const decoded = tensorsToDetections(
      { boxes: raw, boxStart: 1, boxStride: BLAZEFACE_ROW, scores: raw, scoreStart: 0, scoreStride: BLAZEFACE_ROW },
      this.anchors,
      { ...BLAZEFACE_DECODE, minScoreThresh: this.minScore },
    );
    const kept = nonMaxSuppression(decoded, { minSuppressionThreshold: this.nmsThreshold, algorithm: 'weighted', maxNumDetections: this.maxFaces });
    const faces = removeLetterboxFromDetections(kept, padding);
    timings.postprocessMs = performance.now() - t;
    this.timings = timings;
    return faces;
  }

  private assertLive(): void {
    if (this.disposed) throw new VisionError('VISION_DISPOSED', 'face detector was disposed');
  }
}
