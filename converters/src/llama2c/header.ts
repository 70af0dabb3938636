// Parses the 28-byte header of a llama2.c legacy checkpoint into a validated model configuration.

import { Llama2cError } from './errors.js';

/** Hyper-parameters of a llama2.c model, as stored in its checkpoint header. */
export interface Llama2cConfig {
  readonly dim: number;
  readonly hiddenDim: number;
  readonly nLayers: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly vocabSize: number;
  readonly seqLen: number;
  /** True when the classifier reuses the token embedding (positive vocab size in the header). */
  readonly sharedClassifier: boolean;
  /** dim / nHeads. */
  readonly headDim: number;
}

/** Byte length of the legacy header: seven little-endian int32 values. */
export const HEADER_BYTES = 28;

const FIELDS = ['dim', 'hidden_dim', 'n_layers', 'n_heads', 'n_kv_heads', 'vocab_size', 'seq_len'] as const;

/** Reads and validates the header; throws LLAMA2C_INVALID_FORMAT naming the bad field. */
export function parseHeader(checkpoint: Uint8Array): Llama2cConfig {
  if (checkpoint.byteLength < HEADER_BYTES) {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `checkpoint is ${checkpoint.byteLength} bytes, shorter than its header`, {
      field: 'header',
    });
  }
  const view = new DataView(checkpoint.buffer, checkpoint.byteOffset, HEADER_BYTES);
  const raw = FIELDS.map((_, i) => view.getInt32(i * 4, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = raw as [number, number, number, number, number, number, number];
  const vocabSize = Math.abs(rawVocab);
  const values: Record<(typeof FIELDS)[number], number> = {
    dim, hidden_dim: hiddenDim, n_layers: nLayers, n_heads: nHeads, n_kv_heads: nKvHeads, vocab_size: vocabSize, seq_len: seqLen,
  };
  for (const field of FIELDS) {
    const v = values[field];
    if (!(v > 0 && v <= 1 << 24)) {
      throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `checkpoint header field ${field}=${v} is out of range`, { field, value: v });
    }
  }
  if (dim % nHeads !== 0) {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `dim ${dim} is not a multiple of n_heads ${nHeads}`, { field: 'n_heads' });
  }
  if (nHeads % nKvHeads !== 0) {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `n_heads ${nHeads} is not a multiple of n_kv_heads ${nKvHeads}`, {
      field: 'n_kv_heads',
    });
  }
  const headDim = dim / nHeads;
  if (headDim % 2 !== 0) {
    throw new Llama2cError('LLAMA2C_UNSUPPORTED', `head size ${headDim} is odd; rotary embeddings need pairs`, { field: 'dim' });
  }
  return Object.freeze({ dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier: rawVocab > 0, headDim });
}
