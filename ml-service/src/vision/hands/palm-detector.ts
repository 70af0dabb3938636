// Palm detection (MediaPipe's 256×256 palm model, 2944 SSD anchors): letterboxed full-image tensor
// in [-1, 1] → anchor decoding → weighted NMS → palms normalized to the image with 7 keypoints.
// The region looked at can be larger than the image (a zoomed-out view, see PALM_SCALES).

import type * as ort from 'onnxruntime-node';
import { runImageModel } from '../calculators/inference.js';
import { projectDetections } from '../calculators/detection-projection.js';
import { removeLetterboxFromDetections } from '../calculators/letterbox-removal.js';
import { nonMaxSuppression } from '../calculators/non-max-suppression.js';
import { generateSsdAnchors, type Anchor, type SsdAnchorsOptions } from '../calculators/ssd-anchors.js';
import { tensorsToDetections, type TensorsToDetectionsOptions } from '../calculators/tensors-to-detections.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { fullImageRect, warpToTensor } from '../image/warp.js';
import type { Detection, NormalizedRect, RgbImage } from '../types.js';

export const PALM_INPUT_SIZE = 256;
export const PALM_NUM_ANCHORS = 2944;

/**
 * Scales of the whole-image view the palm detector is run at, in order, until a hand is found.
 * This model (the 2019 256×256 palm detector of MediaPipe Hands v0.6 / tfjs handpose, the variant
 * the model package ships; MediaPipe's current palm_detection_full is a 192×192 model with another
 * anchor set) scores palms poorly once the hand spans more than about 60% of its input, so a hand
 * filling the frame is found in a view zoomed out 2× (the image centred in a region twice its size,
 * the rest zero-filled), where it spans under half the input.
 */
export const PALM_SCALES: readonly number[] = Object.freeze([1, 2]);

/** The whole image seen `scale`× zoomed out (scale 1: the image itself). */
export function zoomedOutRect(scale: number): NormalizedRect {
  return { xCenter: 0.5, yCenter: 0.5, width: scale, height: scale, rotation: 0 };
}

/** Palm keypoints: wrist, index/middle/ring/pinky bases, thumb CMC, thumb MCP. */
export const PALM_KEYPOINT = { wrist: 0, middleBase: 2 } as const;

export const PALM_ANCHORS_OPTIONS: SsdAnchorsOptions = Object.freeze({
  numLayers: 5,
  minScale: 0.1171875,
  maxScale: 0.75,
  inputSizeWidth: PALM_INPUT_SIZE,
  inputSizeHeight: PALM_INPUT_SIZE,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [8, 16, 32, 32, 32],
  aspectRatios: [1.0],
  fixedAnchorSize: true,
});

/** The model packs [score logit, 18 box/keypoint values] per anchor into one [1, 2944, 19] tensor. */
const VALUES_PER_ANCHOR = 19;

export function palmDecodeOptions(minScore: number): TensorsToDetectionsOptions {
  return {
    numClasses: 1,
    numBoxes: PALM_NUM_ANCHORS,
    numCoords: 18,
    boxCoordOffset: 0,
    keypointCoordOffset: 4,
    numKeypoints: 7,
    numValuesPerKeypoint: 2,
    sigmoidScore: true,
    scoreClippingThresh: 100,
    reverseOutputOrder: true,
    xScale: PALM_INPUT_SIZE,
    yScale: PALM_INPUT_SIZE,
    wScale: PALM_INPUT_SIZE,
    hScale: PALM_INPUT_SIZE,
    minScoreThresh: minScore,
  };
}

export interface PalmDetectOptions {
  /** Minimum palm score (after sigmoid). */
  minScore: number;
  /** Keep at most this many palms. */
  maxPalms: number;
  /** Weighted-NMS overlap threshold (IoU). MediaPipe: 0.3. */
  nmsThreshold?: number;
}

/** Runs the palm model on a whole image. Not re-entrant: callers serialise use of one instance. */
export class PalmDetector {
  private readonly anchors: readonly Anchor[] = generateSsdAnchors(PALM_ANCHORS_OPTIONS);

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly pool: BufferPool,
  ) {}

  /** Palms in `region` (default the whole image), normalized to the image. */
  async detect(image: RgbImage, o: PalmDetectOptions, region: NormalizedRect = fullImageRect()): Promise<Detection[]> {
    const size = PALM_INPUT_SIZE;
    const input = this.pool.float32('palm-input', size * size * 3);
    const { padding } = warpToTensor(
      image,
      region,
      { width: size, height: size, range: [-1, 1], keepAspectRatio: true, border: 'zero' },
      input,
    );
    const outputs = await runImageModel(this.session, input, size, size);
    const raw = outputs.pick(['Identity', 'output'], PALM_NUM_ANCHORS * VALUES_PER_ANCHOR).data;
    const decoded = tensorsToDetections(
      { boxes: raw, boxStride: VALUES_PER_ANCHOR, boxStart: 1, scores: raw, scoreStride: VALUES_PER_ANCHOR, scoreStart: 0 },
      this.anchors,
      palmDecodeOptions(o.minScore),
    );
    const kept = nonMaxSuppression(decoded, {
      minSuppressionThreshold: o.nmsThreshold ?? 0.3,
      overlapType: 'intersection-over-union',
      algorithm: 'weighted',
      maxNumDetections: o.maxPalms,
    });
    // Unpadded, the palms are normalized to the region as given; then to the image.
    const inRegion = removeLetterboxFromDetections(kept, padding);
    return isFullImage(region) ? inRegion : projectDetections(inRegion, region, image.height / image.width);
  }
}

function isFullImage(r: NormalizedRect): boolean {
  return r.xCenter === 0.5 && r.yCenter === 0.5 && r.width === 1 && r.height === 1 && r.rotation === 0;
}
