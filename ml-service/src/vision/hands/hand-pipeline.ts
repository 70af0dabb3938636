// Hand pipeline: palm detection → rotated hand ROI → 21 landmarks + world landmarks, handedness,
// presence and a canned gesture per hand (MediaPipe HandLandmarker / GestureRecognizer, image mode).

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { Exclusive } from '../calculators/exclusive.js';
import { BufferPool } from '../image/buffer-pool.js';
import { VisionError } from '../image/errors.js';
import { frameToRgb } from '../image/frame.js';
import type { Frame, RgbImage } from '../types.js';
import { palmToHandRect } from './hand-roi.js';
import { HandLandmarkModel } from './hand-landmarks.js';
import { buildHandResult, type HandResult } from './hand-result.js';
import { resolveHandOptions, type HandRequestOptions, type ResolvedHandOptions } from './hand-options.js';
import { PalmDetector } from './palm-detector.js';

export type { Handedness, HandednessLabel, HandResult } from './hand-result.js';

export interface HandPipelineModels {
  /** Palm detector (`handdetect`, 256×256). */
  palm: ort.InferenceSession;
  /** Hand landmark model (`handlandmark-full` or `-lite`, 224×224). */
  landmarks: ort.InferenceSession;
}

export interface HandPipelineOptions {
  logger?: Logger;
  /** Release the sessions on dispose (default true). */
  ownsSessions?: boolean;
}

/** One hand pipeline; calls are serialised because buffers are reused between frames. */
export class HandPipeline {
  private readonly pool = new BufferPool();
  private readonly exclusive = new Exclusive();
  private readonly palm: PalmDetector;
  private readonly landmarkModel: HandLandmarkModel;
  private disposed = false;

  constructor(
    private readonly models: HandPipelineModels,
    private readonly options: HandPipelineOptions = {},
  ) {
    this.palm = new PalmDetector(models.palm, this.pool);
    this.landmarkModel = new HandLandmarkModel(models.landmarks, this.pool);
  }

  /** Detects hands in a frame. Throws VISION_INVALID_ARGUMENT for bad frames or options. */
  async detect(frame: Frame, request: HandRequestOptions = {}): Promise<HandResult[]> {
    this.assertLive();
    const opts = resolveHandOptions(request);
    return this.exclusive.run(async () => {
      this.assertLive();
      const image = await frameToRgb(frame, undefined, this.pool);
      return this.detectRgb(image, opts);
    });
  }

  /** Same as detect() on already decoded RGB (for composite pipelines). Callers serialise. */
  async detectRgb(image: RgbImage, opts: ResolvedHandOptions): Promise<HandResult[]> {
    const started = performance.now();
    const palms = await this.palm.detect(image, { minScore: opts.minDetectionConfidence, maxPalms: opts.maxHands });
    const hands: HandResult[] = [];
    for (const palm of palms) {
      const roi = palmToHandRect(palm, image);
      const raw = await this.landmarkModel.run(image, roi);
      if (raw.presence < opts.minPresenceConfidence) continue;
      const hand = buildHandResult(raw, roi, palm.score, image, opts);
      hands.push(hand);
    }
    this.options.logger?.debug(
      { palms: palms.length, hands: hands.length, ms: Math.round(performance.now() - started) },
      'hands detected',
    );
    return hands;
  }

  /** Releases buffers (and the sessions when owned). Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.exclusive.run(async () => {
      this.pool.clear();
      if (this.options.ownsSessions !== false) {
        await Promise.all([this.models.palm.release(), this.models.landmarks.release()]);
      }
    });
  }

  private assertLive(): void {
    if (this.disposed) throw new VisionError('VISION_DISPOSED', 'hand pipeline has been disposed');
  }
}
