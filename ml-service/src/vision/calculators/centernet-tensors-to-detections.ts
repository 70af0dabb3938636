// Decodes a CenterNet head into detections, in the role MediaPipe's TensorsToDetectionsCalculator
// plays for SSD models: every class-heatmap peak at or above the score threshold becomes one box
// whose edges are the predicted distances from the peak's cell. The heatmap is expected peak-masked
// (zero where a value is not the maximum of its 3×3 neighbourhood, as the graph's max-pool test does).

import type { Detection } from '../types.js';

export interface CenterNetTensors {
  /** [rows, cols, classes] scores, row-major, non-peaks zero. */
  heatmap: Float32Array;
  /** [rows, cols, 4] distances left, top, right, bottom from the cell, in input pixels. */
  edges: Float32Array;
  rows: number;
  cols: number;
  classes: number;
}

export interface CenterNetDecodeOptions {
  /** Input pixels per heatmap cell. */
  stride: number;
  /** Input tensor size in pixels (boxes are normalized by it). */
  inputWidth: number;
  inputHeight: number;
  minScore: number;
  /** Classes to keep (undefined = all). */
  classIds?: ReadonlySet<number>;
}

/** Boxes normalized to the input tensor, unsorted. */
export function centerNetToDetections(t: CenterNetTensors, o: CenterNetDecodeOptions): Detection[] {
  const { heatmap, edges, rows, cols, classes } = t;
  if (heatmap.length !== rows * cols * classes || edges.length !== rows * cols * 4) {
    throw new RangeError(`CenterNet tensors do not match ${rows}×${cols}×${classes}: heatmap ${heatmap.length}, edges ${edges.length}`);
  }
  const out: Detection[] = [];
  for (let i = 0; i < heatmap.length; i++) {
    const score = heatmap[i]!;
    if (!(score >= o.minScore) || score <= 0) continue;
    const classId = i % classes;
    if (o.classIds !== undefined && !o.classIds.has(classId)) continue;
    const cell = (i - classId) / classes;
    const col = cell % cols;
    const row = (cell - col) / cols;
    const cx = col * o.stride;
    const cy = row * o.stride;
    const e = cell * 4;
    const x1 = cx - edges[e]!;
    const y1 = cy - edges[e + 1]!;
    const x2 = cx + edges[e + 2]!;
    const y2 = cy + edges[e + 3]!;
    if (!(x2 > x1 && y2 > y1)) continue;
    out.push({
      box: { xmin: x1 / o.inputWidth, ymin: y1 / o.inputHeight, width: (x2 - x1) / o.inputWidth, height: (y2 - y1) / o.inputHeight },
      score, classId, keypoints: [],
    });
  }
  return out;
}
