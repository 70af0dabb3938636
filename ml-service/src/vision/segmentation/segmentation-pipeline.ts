// Person segmentation with MediaPipe's selfie models: `selfie` (general, 256×256, one probability
// channel) and `meet` (landscape, 144×256, background/person logits), and with Robust Video Matting
// (`matting`, 256×256, an alpha matte of every person in the scene). Returns an 8-bit mask.

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { Exclusive } from '../calculators/exclusive.js';
import { runImageModel } from '../calculators/inference.js';
import { checkBoolean } from '../options.js';
import { BufferPool } from '../image/buffer-pool.js';
import { invalidArgument, VisionError } from '../errors.js';
import { frameToRgb } from '../image/frame.js';
import { fullImageRect, warpToTensor } from '../image/warp.js';
import type { Frame, RgbImage } from '../types.js';
import { resizeMask, unprojectMask } from '../shared/mask-resize.js';

export type SegmentationModelKind = 'selfie' | 'meet' | 'matting';

/** The kinds, for validation. */
export const SEGMENTATION_KINDS: readonly SegmentationModelKind[] = ['selfie', 'meet', 'matting'];

/** Model input sizes (the whole frame is stretched to them, as MediaPipe does). */
export const SEGMENTATION_INPUT: Readonly<Record<SegmentationModelKind, { width: number; height: number }>> = Object.freeze({
  selfie: { width: 256, height: 256 },
  meet: { width: 256, height: 144 },
  matting: { width: 256, height: 256 },
});

export interface SegmentationRequestOptions {
  /** Return the mask at the model's size instead of the frame's. Default false. */
  modelSize?: boolean;
}

export interface SegmentationMask {
  /** Person probability × 255 (255 = person), row-major, one byte per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface SegmentationPipelineOptions {
  /** Which model the session holds. Default 'selfie'. */
  kind?: SegmentationModelKind;
  logger?: Logger;
  /** Release the session on dispose (default true). */
  ownsSessions?: boolean;
}

export class SegmentationPipeline {
  private readonly pool = new BufferPool();
  private readonly exclusive = new Exclusive();
  private readonly kind: SegmentationModelKind;
  private disposed = false;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: SegmentationPipelineOptions = {},
  ) {
    const kind = options.kind ?? 'selfie';
    if (!SEGMENTATION_KINDS.includes(kind)) throw invalidArgument('kind', `must be one of ${SEGMENTATION_KINDS.join(', ')}, got ${String(kind)}`);
    this.kind = kind;
  }

  /** Segments the person(s) in a frame. Throws VISION_INVALID_ARGUMENT for bad frames or options. */
  async segment(frame: Frame, request: SegmentationRequestOptions = {}): Promise<SegmentationMask> {
    this.assertLive();
    if (request === null || typeof request !== 'object') throw invalidArgument('options', 'must be an object');
    const modelSize = request.modelSize === undefined ? false : checkBoolean(request.modelSize, 'modelSize');
    return this.exclusive.run(async () => {
      this.assertLive();
      const image = await frameToRgb(frame, undefined, this.pool);
      return this.runRgb(image, modelSize);
    });
  }

  /** Same as segment() on decoded RGB (for composite pipelines). Callers serialise. */
  async runRgb(image: RgbImage, modelSize = false): Promise<SegmentationMask> {
    const started = performance.now();
    const { width, height } = SEGMENTATION_INPUT[this.kind];
    const input = this.pool.float32('segmentation-input', width * height * 3);
    warpToTensor(image, fullImageRect(), { width, height, range: [0, 1], border: 'zero' }, input);
    const out = await runImageModel(this.session, input, height, width);
    const probs = this.pool.float32('segmentation-probs', width * height);
    if (this.kind === 'selfie') {
      probs.set(out.pick(['activation_10', 'output'], width * height).data);
    } else if (this.kind === 'matting') {
      // The alpha matte ("pha"); the foreground colours and recurrent states are not used.
      probs.set(out.pick(['Identity_1', 'pha'], width * height).data);
    } else {
      // Two channels per pixel: background and person logits; softmax → sigmoid of the difference.
      const raw = out.pick(['segment', 'output'], width * height * 2).data;
      for (let i = 0; i < width * height; i++) probs[i] = 1 / (1 + Math.exp(raw[2 * i]! - raw[2 * i + 1]!));
    }
    const src = { data: probs, width, height };
    // Back to the frame with the inverse of the input warp's pixel mapping (tensor pixel k sampled image
    // coordinate k · frame/model): a centre-aligned resize would shift the mask by up to half a model pixel.
    const mask = modelSize
      ? { data: resizeMask(src, width, height), width, height }
      : { data: unprojectMask(src, fullImageRect(), image.width, image.height), width: image.width, height: image.height };
    this.options.logger?.debug({ kind: this.kind, ms: Math.round(performance.now() - started) }, 'segmentation done');
    return mask;
  }

  /** Releases buffers (and the session when owned). Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.exclusive.run(async () => {
      this.pool.clear();
      if (this.options.ownsSessions !== false) await this.session.release();
    });
  }

  private assertLive(): void {
    if (this.disposed) throw new VisionError('VISION_DISPOSED', 'segmentation pipeline has been disposed');
  }
}
