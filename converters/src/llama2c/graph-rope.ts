// Rotary position embedding subgraphs in the Hugging Face "rotate halves" layout.

import { OnnxType, type GraphBuilder } from '../onnx/graph-builder.js';

/** cos/sin tables of shape [batch, 1, seq, headDim], shared by every layer. */
export interface RopeTables {
  readonly cos: string;
  readonly sin: string;
}

/** Inverse frequencies 1 / theta^(2i / headDim), rounded to float32 like the reference C code. */
export function inverseFrequencies(headDim: number, theta: number): Float32Array {
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * i) / headDim))));
  }
  return out;
}

/** Builds cos/sin of position * inv_freq from `position_ids` [batch, seq] (int64). */
export function ropeTables(g: GraphBuilder, positionIds: string, headDim: number, theta: number): RopeTables {
  const invFreq = g.floats('rope.inv_freq', inverseFrequencies(headDim, theta), [headDim / 2]);
  const pos = g.op('Cast', [positionIds], { to: OnnxType.FLOAT }, 'rope_pos');
  const pos3 = g.op('Unsqueeze', [pos, g.sharedInt64([2])], {}, 'rope_pos3');
  const freqs = g.op('Mul', [pos3, invFreq], {}, 'rope_freqs');
  const emb = g.op('Concat', [freqs, freqs], { axis: -1 }, 'rope_emb');
  const emb4 = g.op('Unsqueeze', [emb, g.sharedInt64([1])], {}, 'rope_emb4');
  return { cos: g.op('Cos', [emb4], {}, 'rope_cos'), sin: g.op('Sin', [emb4], {}, 'rope_sin') };
}

/** Rotates `x` [batch, heads, seq, headDim]: x * cos + rotate_half(x) * sin. */
export function applyRope(g: GraphBuilder, x: string, t: RopeTables): string {
  const [first, second] = g.node('Split', [x], { axis: -1 }, 'rope_half', 2) as [string, string];
  const rotated = g.op('Concat', [g.op('Neg', [second], {}, 'rope_neg'), first], { axis: -1 }, 'rope_rot');
  const a = g.op('Mul', [x, t.cos], {}, 'rope_xcos');
  const b = g.op('Mul', [rotated, t.sin], {}, 'rope_rsin');
  return g.op('Add', [a, b], {}, 'rope_out');
}
