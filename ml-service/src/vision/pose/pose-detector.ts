// BlazePose person detector (224×224, 2254 SSD anchors): letterboxed full-image tensor in [-1, 1]
// → anchor decoding → weighted NMS → detections with 4 alignment keypoints, normalized to the image.

import type * as ort from 'onnxruntime-node';
import { alignmentPointsToRect } from '../calculators/alignment-points-to-rect.js';
import { runImageModel } from '../calculators/inference.js';
import { removeLetterboxFromDetections } from '../calculators/letterbox-removal.js';
import { nonMaxSuppression } from '../calculators/non-max-suppression.js';
import { transformRect } from '../calculators/rect-transformation.js';
import { generateSsdAnchors, type Anchor, type SsdAnchorsOptions } from '../calculators/ssd-anchors.js';
import { tensorsToDetections, type TensorsToDetectionsOptions } from '../calculators/tensors-to-detections.js';
import type { BufferPool } from '../image/buffer-pool.js';
import { fullImageRect, warpToTensor } from '../image/warp.js';
import type { Detection, ImageSize, NormalizedRect, RgbImage } from '../types.js';

export const POSE_DETECTOR_INPUT_SIZE = 224;
export const POSE_DETECTOR_ANCHORS = 2254;
/** The model packs [score logit, 12 box/keypoint values] per anchor. */
const VALUES_PER_ANCHOR = 13;

/** Detector keypoints: 0 hip centre, 1 a point whose distance gives the body's size and rotation. */
export const POSE_DETECTION_KEYPOINT = { hipCenter: 0, fullBodyScale: 1 } as const;

export const POSE_ANCHORS_OPTIONS: SsdAnchorsOptions = Object.freeze({
  numLayers: 5,
  minScale: 0.1484375,
  maxScale: 0.75,
  inputSizeWidth: POSE_DETECTOR_INPUT_SIZE,
  inputSizeHeight: POSE_DETECTOR_INPUT_SIZE,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [8, 16, 32, 32, 32],
  aspectRatios: [1.0],
  fixedAnchorSize: true,
});

function decodeOptions(minScore: number): TensorsToDetectionsOptions {
  const s = POSE_DETECTOR_INPUT_SIZE;
  return {
    numClasses: 1,
    numBoxes: POSE_DETECTOR_ANCHORS,
    numCoords: 12,
    boxCoordOffset: 0,
    keypointCoordOffset: 4,
    numKeypoints: 4,
    numValuesPerKeypoint: 2,
    sigmoidScore: true,
    scoreClippingThresh: 100,
    reverseOutputOrder: true,
    xScale: s,
    yScale: s,
    wScale: s,
    hScale: s,
    minScoreThresh: minScore,
  };
}

/** Detection → landmark ROI: centred on the hip centre, side 2 × hip-to-scale-point, ×1.25. */
export function poseDetectionToRect(detection: Detection, image: ImageSize): NormalizedRect {
  const raw = alignmentPointsToRect(detection, image, {
    startKeypointIndex: POSE_DETECTION_KEYPOINT.hipCenter,
    endKeypointIndex: POSE_DETECTION_KEYPOINT.fullBodyScale,
    targetAngle: Math.PI / 2,
  });
  return transformRect(raw, image, { scaleX: 1.25, scaleY: 1.25, squareLong: true });
}

/** Runs the person detector on a whole image. Not re-entrant (shares `pool` buffers). */
export class PoseDetector {
  private readonly anchors: readonly Anchor[] = generateSsdAnchors(POSE_ANCHORS_OPTIONS);

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly pool: BufferPool,
  ) {}

  async detect(image: RgbImage, minScore: number, maxPoses: number): Promise<Detection[]> {
    const size = POSE_DETECTOR_INPUT_SIZE;
    const input = this.pool.float32('pose-detector-input', size * size * 3);
    const { padding } = warpToTensor(
      image,
      fullImageRect(),
      { width: size, height: size, range: [-1, 1], keepAspectRatio: true, border: 'zero' },
      input,
    );
    const out = await runImageModel(this.session, input, size, size);
    const raw = out.pick(['Identity', 'person'], POSE_DETECTOR_ANCHORS * VALUES_PER_ANCHOR).data;
    const decoded = tensorsToDetections(
      { boxes: raw, boxStride: VALUES_PER_ANCHOR, boxStart: 1, scores: raw, scoreStride: VALUES_PER_ANCHOR, scoreStart: 0 },
      this.anchors,
      decodeOptions(minScore),
    );
    const kept = nonMaxSuppression(decoded, {
      minSuppressionThreshold: 0.3,
      overlapType: 'intersection-over-union',
      algorithm: 'weighted',
      maxNumDetections: maxPoses,
    });
    return removeLetterboxFromDetections(kept, padding);
  }
}
