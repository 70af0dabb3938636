// CenterNet object detector on onnxruntime: letterbox → model → heatmap peaks to boxes → per-class
// NMS → letterbox removal → labels, in MediaPipe's ObjectDetector graph order.

import type * as ort from 'onnxruntime-node';
import { centerNetToDetections } from '../calculators/centernet-tensors-to-detections.js';
import { classIdsOf, labelOf } from '../calculators/detection-label-id-to-text.js';
import { Exclusive } from '../calculators/exclusive.js';
import { runImageModel, type ModelOutput, type ModelOutputs } from '../calculators/inference.js';
import { removeLetterboxFromDetections } from '../calculators/letterbox-removal.js';
import { perClassNonMaxSuppression } from '../calculators/per-class-nms.js';
import { BufferPool } from '../image/buffer-pool.js';
import { DEFAULT_FRAME_LIMITS } from '../image/convert.js';
import { frameToRgb } from '../image/frame.js';
import { boxShrink, rectOnShrunk, shrinkFactorFor } from '../image/shrink.js';
import { fullImageRect, warpToTensor } from '../image/warp.js';
import { VisionError, invalidArgument } from '../errors.js';
import { emptyTimings, type BoundingBox, type Frame, type RgbImage, type StageTimings } from '../types.js';
import { COCO_80_LABELS } from './coco-labels.js';
import {
  CENTERNET_INPUT_SIZE, CENTERNET_OUTPUT_STRIDE, CENTERNET_OUTPUTS, CENTERNET_WARP, DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_RESULTS, DEFAULT_MIN_SCORE,
} from './constants.js';
import type { ObjectDetection, ObjectDetectorOptions } from './types.js';

function unit(value: number, field: string): number {
  if (!(value >= 0 && value <= 1)) throw invalidArgument(field, `must be within [0, 1], got ${value}`);
  return value;
}

function clip(b: BoundingBox): BoundingBox {
  const x1 = Math.min(1, Math.max(0, b.xmin));
  const y1 = Math.min(1, Math.max(0, b.ymin));
  const x2 = Math.min(1, Math.max(0, b.xmin + b.width));
  const y2 = Math.min(1, Math.max(0, b.ymin + b.height));
  return { xmin: x1, ymin: y1, width: x2 - x1, height: y2 - y1 };
}

export class ObjectDetector {
  private readonly pool = new BufferPool();
  private readonly exclusive = new Exclusive();
  private readonly maxResults: number;
  private readonly minScore: number;
  private readonly iouThreshold: number;
  private readonly labels: readonly string[];
  private readonly classIds: ReadonlySet<number> | undefined;
  private disposed = false;
  /** Stage times of the most recent call. */
  timings: StageTimings = emptyTimings();

  constructor(private readonly session: ort.InferenceSession, options: ObjectDetectorOptions = {}) {
    this.maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
    if (!Number.isInteger(this.maxResults) || this.maxResults < 1) throw invalidArgument('options.maxResults', 'must be a positive integer');
    this.minScore = unit(options.minScore ?? DEFAULT_MIN_SCORE, 'options.minScore');
    this.iouThreshold = unit(options.iouThreshold ?? DEFAULT_IOU_THRESHOLD, 'options.iouThreshold');
    this.labels = options.labels ?? COCO_80_LABELS;
    const allow = options.categoryAllowlist;
    this.classIds = allow !== undefined && allow.length > 0 ? classIdsOf(this.labels, allow, 'options.categoryAllowlist') : undefined;
  }

  /** Decodes/converts the frame, then detects objects. */
  async detect(frame: Frame): Promise<ObjectDetection[]> {
    this.assertLive();
    return this.exclusive.run(async () => {
      const image = await frameToRgb(frame, DEFAULT_FRAME_LIMITS, this.pool);
      return this.detectUnlocked(image);
    });
  }

  /** Detects objects in a decoded RGB image; boxes are normalized to it. */
  async runRgb(image: RgbImage): Promise<ObjectDetection[]> {
    this.assertLive();
    return this.exclusive.run(() => this.detectUnlocked(image));
  }

  /** Idempotent. The session stays owned by the caller. */
  dispose(): void {
    this.disposed = true;
    this.pool.clear();
  }

  private async detectUnlocked(image: RgbImage): Promise<ObjectDetection[]> {
    this.assertLive();
    const timings = emptyTimings();
    let t = performance.now();
    const size = CENTERNET_INPUT_SIZE;
    const input = this.pool.float32('input', size * size * 3);
    // Area pre-shrink of large frames so the bilinear sampler does not alias.
    const k = shrinkFactorFor(image, fullImageRect(), size, size);
    const source = boxShrink(image, k, this.pool);
    const roi = k > 1 ? rectOnShrunk(fullImageRect(), image, source, k) : fullImageRect();
    const { padding } = warpToTensor(source, roi, CENTERNET_WARP, input);
    timings.preprocessMs = performance.now() - t;
    t = performance.now();
    const outputs = await runImageModel(this.session, input, size, size);
    timings.modelMs = performance.now() - t;
    t = performance.now();
    const { heatmap, edges } = headsOf(outputs);
    const [, rows = 0, cols = 0, classes = 0] = heatmap.dims;
    const decoded = centerNetToDetections(
      { heatmap: heatmap.data, edges: edges.data, rows, cols, classes },
      { stride: CENTERNET_OUTPUT_STRIDE, inputWidth: size, inputHeight: size, minScore: this.minScore, ...(this.classIds ? { classIds: this.classIds } : {}) },
    );
    const kept = perClassNonMaxSuppression(decoded, { iouThreshold: this.iouThreshold, maxNumDetections: this.maxResults });
    const objects = removeLetterboxFromDetections(kept, padding)
      .map((d) => ({ box: clip(d.box), score: d.score, classId: d.classId, label: labelOf(this.labels, d.classId) }))
      .filter((d) => d.box.width > 0 && d.box.height > 0);
    timings.postprocessMs = performance.now() - t;
    this.timings = timings;
    return objects;
  }

  private assertLive(): void {
    if (this.disposed) throw new VisionError('VISION_DISPOSED', 'object detector was disposed');
  }
}

/** The heatmap [1, rows, cols, classes] and edges [1, rows, cols, 4] outputs, checked against each other. */
function headsOf(outputs: ModelOutputs): { heatmap: ModelOutput; edges: ModelOutput } {
  const heatmap = outputs.pick([CENTERNET_OUTPUTS.heatmap]);
  const edges = outputs.pick([CENTERNET_OUTPUTS.edges]);
  const [hb, rows, cols, classes] = heatmap.dims;
  const [eb, er, ec, four] = edges.dims;
  if (heatmap.dims.length !== 4 || hb !== 1 || eb !== 1 || er !== rows || ec !== cols || four !== 4 || !(classes! > 0)) {
    throw new VisionError('VISION_MODEL_MISMATCH', `not a CenterNet head: ${outputs.describe()}`);
  }
  return { heatmap, edges };
}
