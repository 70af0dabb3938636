// Builds config.json and generation_config.json for a converted llama2.c model (Hugging Face Llama layout).

import type { Llama2cConfig } from './header.js';

/** Constants of llama2.c models that the checkpoint header does not carry. */
export const ROPE_THETA = 10000;
export const RMS_NORM_EPS = 1e-5;

export interface SpecialIds {
  readonly bosId: number;
  readonly eosId: number;
}

export function buildModelConfig(c: Llama2cConfig, ids: SpecialIds): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: c.dim,
    intermediate_size: c.hiddenDim,
    num_hidden_layers: c.nLayers,
    num_attention_heads: c.nHeads,
    num_key_value_heads: c.nKvHeads,
    head_dim: c.headDim,
    vocab_size: c.vocabSize,
    max_position_embeddings: c.seqLen,
    rms_norm_eps: RMS_NORM_EPS,
    rope_theta: ROPE_THETA,
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: c.sharedClassifier,
    bos_token_id: ids.bosId,
    eos_token_id: ids.eosId,
    torch_dtype: 'float32',
    use_cache: true,
    'transformers.js_config': { dtype: 'fp32' },
  };
}

export function buildGenerationConfig(c: Llama2cConfig, ids: SpecialIds): Record<string, unknown> {
  return {
    bos_token_id: ids.bosId,
    eos_token_id: ids.eosId,
    max_length: c.seqLen,
    do_sample: false,
  };
}
