// SwiGLU feed-forward subgraph: w2(silu(w1 x) * w3 x).

import type { GraphBuilder } from '../onnx/graph-builder.js';

/** Initializer names of one feed-forward block, each stored as [in, out] for MatMul. */
export interface MlpWeights {
  readonly gate: string;
  readonly up: string;
  readonly down: string;
}

export function swiglu(g: GraphBuilder, x: string, w: MlpWeights): string {
  const gate = g.op('MatMul', [x, w.gate], {}, 'mlp_gate');
  const up = g.op('MatMul', [x, w.up], {}, 'mlp_up');
  const silu = g.op('Mul', [gate, g.op('Sigmoid', [gate], {}, 'mlp_sigmoid')], {}, 'mlp_silu');
  return g.op('MatMul', [g.op('Mul', [silu, up], {}, 'mlp_act'), w.down], {}, 'mlp_down');
}
