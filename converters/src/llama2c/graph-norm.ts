// RMSNorm subgraph: y = w * (x / sqrt(mean(x^2) + eps)), in llama2.c's order of operations.

import type { GraphBuilder } from '../onnx/graph-builder.js';

/** Normalizes `x` over its last axis and scales by the initializer `weight`. */
export function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number): string {
  const squared = g.op('Mul', [x, x], {}, 'rms_sq');
  const meanSq = g.op('ReduceMean', [squared], { axes: [-1], keepdims: 1 }, 'rms_mean');
  const withEps = g.op('Add', [meanSq, g.scalar(eps)], {}, 'rms_eps');
  const inv = g.op('Reciprocal', [g.op('Sqrt', [withEps], {}, 'rms_sqrt')], {}, 'rms_inv');
  const normalized = g.op('Mul', [x, inv], {}, 'rms_norm');
  return g.op('Mul', [normalized, weight], {}, 'rms_out');
}
