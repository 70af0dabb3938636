// Pre/post-processing constants for BlazeFace short range (128×128), as in MediaPipe's
// face_detection_short_range graph.

import type { SsdAnchorsOptions } from '../calculators/ssd-anchors.js';
import type { TensorsToDetectionsOptions } from '../calculators/tensors-to-detections.js';
import type { WarpOptions } from '../image/warp.js';

export const BLAZEFACE_INPUT_SIZE = 128;

/** Whole image letterboxed into 128×128, values in [-1, 1], zero border. */
export const BLAZEFACE_WARP: Readonly<WarpOptions> = Object.freeze({
  width: BLAZEFACE_INPUT_SIZE,
  height: BLAZEFACE_INPUT_SIZE,
  range: [-1, 1] as const,
  border: 'zero' as const,
  keepAspectRatio: true,
});

export const BLAZEFACE_ANCHORS: Readonly<SsdAnchorsOptions> = Object.freeze({
  numLayers: 4,
  minScale: 0.1484375,
  maxScale: 0.75,
  inputSizeWidth: BLAZEFACE_INPUT_SIZE,
  inputSizeHeight: BLAZEFACE_INPUT_SIZE,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [8, 16, 16, 16],
  aspectRatios: [1.0],
  fixedAnchorSize: true,
});

/** The TFJS/ONNX export packs each anchor's row as [score, 16 box/keypoint values]. */
export const BLAZEFACE_ROW = 17;

export const BLAZEFACE_DECODE: Readonly<TensorsToDetectionsOptions> = Object.freeze({
  numClasses: 1,
  numBoxes: 896,
  numCoords: 16,
  boxCoordOffset: 0,
  keypointCoordOffset: 4,
  numKeypoints: 6,
  numValuesPerKeypoint: 2,
  reverseOutputOrder: true,
  xScale: BLAZEFACE_INPUT_SIZE,
  yScale: BLAZEFACE_INPUT_SIZE,
  wScale: BLAZEFACE_INPUT_SIZE,
  hScale: BLAZEFACE_INPUT_SIZE,
  sigmoidScore: true,
  scoreClippingThresh: 100,
  minScoreThresh: 0.5,
});

/** Weighted NMS at IoU 0.3, as MediaPipe's face detection graph. */
export const BLAZEFACE_NMS_THRESHOLD = 0.3;

/** Keypoint order of the detector (subject's right eye is on the image's left). */
export const FACE_KEYPOINTS = Object.freeze(['rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion'] as const);
