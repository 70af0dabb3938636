// Grouped-query self-attention subgraph with a KV cache (past + new keys/values → present).

import type { GraphBuilder } from '../onnx/graph-builder.js';
import { applyRope, type RopeTables } from './graph-rope.js';

/** Shape parameters of the attention block. */
export interface AttentionShape {
  readonly dim: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly headDim: number;
}

/** Initializer names of the projections, each stored as [in, out]; q/k rows already in half layout. */
export interface AttentionWeights {
  readonly q: string;
  readonly k: string;
  readonly v: string;
  readonly o: string;
}

/** Graph values the block reads: the cached keys/values and the shared rope tables and mask bias. */
export interface AttentionInputs {
  readonly pastKey: string;
  readonly pastValue: string;
  readonly rope: RopeTables;
  readonly bias: string;
}

export interface AttentionResult {
  readonly out: string;
  readonly presentKey: string;
  readonly presentValue: string;
}

/** Projects [batch, seq, dim] to [batch, heads, seq, headDim]. */
function heads(g: GraphBuilder, x: string, weight: string, count: number, headDim: number, hint: string): string {
  const projected = g.op('MatMul', [x, weight], {}, `${hint}_proj`);
  const split = g.op('Reshape', [projected, g.sharedInt64([0, 0, count, headDim])], {}, `${hint}_heads`);
  return g.op('Transpose', [split], { perm: [0, 2, 1, 3] }, `${hint}_bhsd`);
}

/**
 * Query head h uses key/value head floor(h / (nHeads / nKvHeads)), as in llama2.c and HF repeat_kv.
 * Queries are regrouped to [batch, kvHeads, rep, seq, headDim] so MatMul broadcasts over the group.
 */
export function selfAttention(g: GraphBuilder, x: string, w: AttentionWeights, io: AttentionInputs, s: AttentionShape): AttentionResult {
  const rep = s.nHeads / s.nKvHeads;
  const q = applyRope(g, heads(g, x, w.q, s.nHeads, s.headDim, 'q'), io.rope);
  const kNew = applyRope(g, heads(g, x, w.k, s.nKvHeads, s.headDim, 'k'), io.rope);
  const vNew = heads(g, x, w.v, s.nKvHeads, s.headDim, 'v');
  const presentKey = g.op('Concat', [io.pastKey, kNew], { axis: 2 }, 'present_k');
  const presentValue = g.op('Concat', [io.pastValue, vNew], { axis: 2 }, 'present_v');

  const grouped = g.op('Reshape', [q, g.sharedInt64([0, s.nKvHeads, rep, -1, s.headDim])], {}, 'q_grouped');
  const keysT = g.op('Transpose', [presentKey], { perm: [0, 1, 3, 2] }, 'k_t');
  const keys5 = g.op('Unsqueeze', [keysT, g.sharedInt64([2])], {}, 'k_t5');
  const scores = g.op('MatMul', [grouped, keys5], {}, 'att_scores');
  const scaled = g.op('Div', [scores, g.scalar(Math.sqrt(s.headDim))], {}, 'att_scaled');
  const probs = g.op('Softmax', [g.op('Add', [scaled, io.bias], {}, 'att_masked')], { axis: -1 }, 'att_probs');
  const values5 = g.op('Unsqueeze', [presentValue, g.sharedInt64([2])], {}, 'v5');
  const context = g.op('MatMul', [probs, values5], {}, 'att_ctx');
  const merged = g.op('Reshape', [context, g.sharedInt64([0, s.nHeads, -1, s.headDim])], {}, 'att_bhsd');
  const bshd = g.op('Transpose', [merged], { perm: [0, 2, 1, 3] }, 'att_bshd');
  const flat = g.op('Reshape', [bshd, g.sharedInt64([0, 0, s.dim])], {}, 'att_flat');
  return { out: g.op('MatMul', [flat, w.o], {}, 'att_out'), presentKey, presentValue };
}
