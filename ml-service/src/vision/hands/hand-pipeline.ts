// Hand pipeline: palm detection → rotated hand ROI → 21 landmarks + world landmarks, handedness,
// presence and a canned gesture per hand (MediaPipe HandLandmarker / GestureRecognizer, image mode).

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { SerialPipeline } from '../image/serial-pipeline.js';
import type { RgbImage } from '../types.js';
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
export class HandPipeline extends SerialPipeline<HandRequestOptions, ResolvedHandOptions, HandResult> {
  private readonly palm: PalmDetector;
  private readonly landmarkModel: HandLandmarkModel;

  constructor(models: HandPipelineModels, private readonly options: HandPipelineOptions = {}) {
    super('hand pipeline', () => (options.ownsSessions === false ? [] : [models.palm, models.landmarks]));
    this.palm = new PalmDetector(models.palm, this.pool);
    this.landmarkModel = new HandLandmarkModel(models.landmarks, this.pool);
  }

  protected resolve(request: HandRequestOptions | undefined): ResolvedHandOptions {
    return resolveHandOptions(request);
  }

  /** Same as detect() on already decoded RGB (for composite pipelines). Callers serialise. */
  async runRgb(image: RgbImage, opts: ResolvedHandOptions): Promise<HandResult[]> {
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
}
