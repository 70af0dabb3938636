// Defaults of object detection and the CenterNet model's geometry (MobileNetV3 CenterNet of the Human
// library: 512×512 RGB input in 0..255, heads at stride 4).

import type { WarpOptions } from '../image/warp.js';

/** Most objects returned when a request does not say. */
export const DEFAULT_MAX_RESULTS = 20;
/** Most objects one request may ask for. */
export const MAX_RESULTS_LIMIT = 100;
/** Minimum score when a request does not say (heatmap peaks of this model rarely exceed 0.9). */
export const DEFAULT_MIN_SCORE = 0.3;
/** Same-class IoU above which the lower-scored box is dropped (0.5 drops the seated man of three_people.jpg behind the standing one). */
export const DEFAULT_IOU_THRESHOLD = 0.6;

/** Input side and output stride of the CenterNet graph. */
export const CENTERNET_INPUT_SIZE = 512;
export const CENTERNET_OUTPUT_STRIDE = 4;

/** The whole frame letterboxed into the square input (stretching wide photos costs recall). */
export const CENTERNET_WARP: Readonly<WarpOptions> = Object.freeze({
  width: CENTERNET_INPUT_SIZE,
  height: CENTERNET_INPUT_SIZE,
  range: [0, 255] as const,
  border: 'zero',
  keepAspectRatio: true,
});

/** Output names of the cut graph: the peak-masked class heatmap and the box-edge distances. */
export const CENTERNET_OUTPUTS = Object.freeze({ heatmap: 'tower_0/mul_1', edges: 'tower_0/wh' });
