// Assembles the full Llama decoder ONNX graph (embedding, blocks, final norm, tied/untied head) with KV cache I/O.

import type { Llama2cConfig } from './header.js';
import { permuteRopeRows, transpose, type Llama2cWeights } from './weights.js';
import { GraphBuilder, OnnxType } from '../onnx/graph-builder.js';
import { rmsNorm } from './graph-norm.js';
import { ropeTables } from './graph-rope.js';
import { attentionBias } from './graph-mask.js';
import { selfAttention } from './graph-attention.js';
import { swiglu } from './graph-mlp.js';

/** Opset of the emitted graph (attribute forms of ReduceMean/Split; supported by onnxruntime 1.x). */
export const OPSET = 17;

export interface DecoderOptions {
  readonly ropeTheta: number;
  readonly rmsNormEps: number;
  readonly producerVersion: string;
  /** Called with a fraction 0..1 as layers are added. */
  readonly onProgress?: (fraction: number) => void;
}

/** Names of the graph inputs/outputs, as transformers.js feeds and reads them. */
export const pastKeyName = (layer: number, kind: 'key' | 'value'): string => `past_key_values.${layer}.${kind}`;
export const presentName = (layer: number, kind: 'key' | 'value'): string => `present.${layer}.${kind}`;

/** Builds and serializes the decoder graph. */
export function buildDecoderModel(c: Llama2cConfig, w: Llama2cWeights, o: DecoderOptions): Uint8Array {
  const g = new GraphBuilder();
  const kvShape = ['batch_size', c.nKvHeads, 'past_sequence_length', c.headDim] as const;
  const inputIds = g.input('input_ids', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const attentionMask = g.input('attention_mask', OnnxType.INT64, ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const past = Array.from({ length: c.nLayers }, (_, l) => ({
    key: g.input(pastKeyName(l, 'key'), OnnxType.FLOAT, kvShape),
    value: g.input(pastKeyName(l, 'value'), OnnxType.FLOAT, kvShape),
  }));

  const embedding = g.floats('model.embed_tokens.weight', w.tokenEmbedding, [c.vocabSize, c.dim]);
  const rope = ropeTables(g, positionIds, c.headDim, o.ropeTheta);
  const bias = attentionBias(g, inputIds, attentionMask);
  let hidden = g.op('Gather', [embedding, inputIds], {}, 'embed');
  const kvDim = c.nKvHeads * c.headDim;
  const presents: { key: string; value: string }[] = [];

  for (let l = 0; l < c.nLayers; l++) {
    const L = w.layers[l]!;
    const p = `model.layers.${l}`;
    const mat = (name: string, data: Float32Array, out: number, inDim: number): string =>
      g.floats(`${p}.${name}`, transpose(data, out, inDim), [inDim, out]);
    const attnIn = rmsNorm(g, hidden, g.floats(`${p}.input_layernorm.weight`, L.rmsAtt, [c.dim]), o.rmsNormEps);
    const attn = selfAttention(
      g,
      attnIn,
      {
        q: mat('self_attn.q_proj.weight', permuteRopeRows(L.wq, c.nHeads, c.headDim, c.dim), c.dim, c.dim),
        k: mat('self_attn.k_proj.weight', permuteRopeRows(L.wk, c.nKvHeads, c.headDim, c.dim), kvDim, c.dim),
        v: mat('self_attn.v_proj.weight', L.wv, kvDim, c.dim),
        o: mat('self_attn.o_proj.weight', L.wo, c.dim, c.dim),
      },
      { pastKey: past[l]!.key, pastValue: past[l]!.value, rope, bias },
      c,
    );
    hidden = g.op('Add', [hidden, attn.out], {}, 'resid_attn');
    const mlpIn = rmsNorm(g, hidden, g.floats(`${p}.post_attention_layernorm.weight`, L.rmsFfn, [c.dim]), o.rmsNormEps);
    const mlp = swiglu(g, mlpIn, {
      gate: mat('mlp.gate_proj.weight', L.w1, c.hiddenDim, c.dim),
      up: mat('mlp.up_proj.weight', L.w3, c.hiddenDim, c.dim),
      down: mat('mlp.down_proj.weight', L.w2, c.dim, c.hiddenDim),
    });
    hidden = g.op('Add', [hidden, mlp], {}, 'resid_mlp');
    presents.push({ key: attn.presentKey, value: attn.presentValue });
    o.onProgress?.((l + 1) / (c.nLayers + 1));
  }

  const normed = rmsNorm(g, hidden, g.floats('model.norm.weight', w.rmsFinal, [c.dim]), o.rmsNormEps);
  const head = c.sharedClassifier
    ? g.op('Transpose', [embedding], { perm: [1, 0] }, 'lm_head_t')
    : g.floats('lm_head.weight', transpose(w.classifier, c.vocabSize, c.dim), [c.dim, c.vocabSize]);
  g.rename(g.op('MatMul', [normed, head], {}, 'lm_logits'), 'logits');
  g.output('logits', OnnxType.FLOAT, ['batch_size', 'sequence_length', c.vocabSize]);
  presents.forEach((pr, l) => {
    const presentShape = ['batch_size', c.nKvHeads, 'total_sequence_length', c.headDim] as const;
    g.output(g.rename(pr.key, presentName(l, 'key')), OnnxType.FLOAT, presentShape);
    g.output(g.rename(pr.value, presentName(l, 'value')), OnnxType.FLOAT, presentShape);
  });
  const bytes = g.encode({
    graphName: 'llama2c_decoder',
    opset: OPSET,
    producerName: 'tabagent-llama2c-converter',
    producerVersion: o.producerVersion,
    docString: `Llama decoder converted from a llama2.c checkpoint: dim ${c.dim}, ${c.nLayers} layers, ${c.nHeads} heads`,
  });
  o.onProgress?.(1);
  return bytes;
}
