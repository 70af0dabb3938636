// Types of object detection: one labelled box per object and the detector's options.

import type { BoundingBox } from '../types.js';

/** One object: its box normalized to the image, clipped to it. */
export interface ObjectDetection {
  box: BoundingBox;
  score: number;
  classId: number;
  label: string;
}

export interface ObjectDetectorOptions {
  /** Most objects returned, best first. */
  maxResults?: number;
  /** Minimum score in [0, 1]. */
  minScore?: number;
  /** Same-class IoU above which the lower-scored box is suppressed. */
  iouThreshold?: number;
  /** Only these labels (undefined = all); unknown labels are refused. */
  categoryAllowlist?: readonly string[];
  /** The model's label map, by class id (default: the 80 COCO classes). */
  labels?: readonly string[];
}
