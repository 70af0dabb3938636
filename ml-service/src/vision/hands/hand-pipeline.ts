// Hand pipeline: palm detection → rotated hand ROI → 21 landmarks + world landmarks, handedness,
// presence and a canned gesture per hand (MediaPipe HandLandmarker / GestureRecognizer, image mode).
// When no hand is found, palm detection is repeated on a zoomed-out view (PALM_SCALES) so a hand
// that fills the frame is found too.

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { SerialPipeline } from '../image/serial-pipeline.js';
import type { RgbImage } from '../types.js';
import { HandLandmarkModel } from './hand-landmarks.js';
import { buildHandResult, type HandResult } from './hand-result.js';
import { resolveHandOptions, type HandRequestOptions, type ResolvedHandOptions } from './hand-options.js';
import { PalmDetector } from './palm-detector.js';
import { searchHands, type HandSearchModels } from './hand-search.js';

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
  private readonly models: HandSearchModels;

  constructor(models: HandPipelineModels, private readonly options: HandPipelineOptions = {}) {
    super('hand pipeline', () => (options.ownsSessions === false ? [] : [models.palm, models.landmarks]));
    this.models = { palm: new PalmDetector(models.palm, this.pool), landmarks: new HandLandmarkModel(models.landmarks, this.pool) };
  }

  protected resolve(request: HandRequestOptions | undefined): ResolvedHandOptions {
    return resolveHandOptions(request);
  }

  /** Same as detect() on already decoded RGB (for composite pipelines). Callers serialise. */
  async runRgb(image: RgbImage, opts: ResolvedHandOptions): Promise<HandResult[]> {
    const started = performance.now();
    const { hands: found, palms, passes } = await searchHands(this.models, image, opts, { scales: this.options.palmScales });
    const hands = found.map((h) => buildHandResult(h.raw, h.roi, h.palmScore, image, opts));
    this.options.logger?.debug(
      { palms, passes, hands: hands.length, ms: Math.round(performance.now() - started) },
      'hands detected',
    );
    return hands;
  }
}
