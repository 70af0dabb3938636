// Hand pipeline: palm detection → rotated hand ROI → 21 landmarks + world landmarks, handedness,
// presence and a canned gesture per hand (MediaPipe HandLandmarker / GestureRecognizer, image mode).
// When no hand is found, palm detection is repeated on a zoomed-out view (PALM_SCALES) so a hand
// that fills the frame is found too.

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { deduplicateHands } from '../calculators/hand-landmarks-deduplication.js';
import { SerialPipeline } from '../image/serial-pipeline.js';
import type { RgbImage } from '../types.js';
import { palmToHandRect } from './hand-roi.js';
import { HandLandmarkModel } from './hand-landmarks.js';
import { buildHandResult, type HandResult } from './hand-result.js';
import { resolveHandOptions, type HandRequestOptions, type ResolvedHandOptions } from './hand-options.js';
import { PALM_SCALES, PalmDetector, zoomedOutRect } from './palm-detector.js';

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
  /** Palm detection scales tried in order until a hand is found (default PALM_SCALES; [1]: the image only). */
  palmScales?: readonly number[];
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
    let hands: HandResult[] = [];
    let palms = 0;
    let passes = 0;
    for (const scale of this.options.palmScales ?? PALM_SCALES) {
      if (hands.length > 0) break;
      passes++;
      const found = await this.palm.detect(image, { minScore: opts.minDetectionConfidence, maxPalms: opts.maxHands }, zoomedOutRect(scale));
      palms += found.length;
      for (const palm of found) {
        const roi = palmToHandRect(palm, image);
        const raw = await this.landmarkModel.run(image, roi);
        if (raw.presence < opts.minPresenceConfidence) continue;
        hands.push(buildHandResult(raw, roi, palm.score, image, opts));
      }
      hands = deduplicateHands(hands, image);
    }
    this.options.logger?.debug(
      { palms, passes, hands: hands.length, ms: Math.round(performance.now() - started) },
      'hands detected',
    );
    return hands;
  }
}
