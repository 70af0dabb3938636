// Additive attention mask (causal + padding) of shape [batch, 1, 1, seq, total] for a KV-cached decoder.

import { OnnxType, type GraphBuilder } from '../onnx/graph-builder.js';

/** Large negative bias for masked positions; finite so fully padded rows never produce NaN. */
export const MASKED = -1e9;

/**
 * Query i (absolute cache index past + i) may attend key j when j <= past + i and
 * attention_mask[b, j] is 1. Built once and shared by every layer.
 */
export function attentionBias(g: GraphBuilder, inputIds: string, attentionMask: string): string {
  const scalarAt = (shapeOf: string, index: number): string =>
    g.op('Gather', [g.op('Shape', [shapeOf], {}, 'mask_shape'), g.sharedInt64([index], [])], { axis: 0 }, 'mask_dim');
  const seq = scalarAt(inputIds, 1);
  const total = scalarAt(attentionMask, 1);
  const past = g.op('Sub', [total, seq], {}, 'mask_past');
  const zero = g.sharedInt64([0], []);
  const one = g.sharedInt64([1], []);
  const keyIndex = g.op('Range', [zero, total, one], {}, 'mask_keys');
  const queryIndex = g.op('Unsqueeze', [g.op('Range', [past, total, one], {}, 'mask_queries'), g.sharedInt64([1])], {}, 'mask_q2');
  const causal = g.op('LessOrEqual', [keyIndex, queryIndex], {}, 'mask_causal');
  const padding = g.op('Cast', [attentionMask], { to: OnnxType.BOOL }, 'mask_pad');
  const padding5 = g.op('Unsqueeze', [padding, g.sharedInt64([1, 2, 3])], {}, 'mask_pad5');
  const allowed = g.op('And', [causal, padding5], {}, 'mask_allowed');
  return g.op('Where', [allowed, g.scalar(0), g.scalar(MASKED)], {}, 'mask_bias');
}
