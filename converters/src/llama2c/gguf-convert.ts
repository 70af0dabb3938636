// Converts a llama2.c checkpoint + tokenizer into one GGUF v3 file that llama.cpp loads as
// architecture "llama": f32 tensors under llama.cpp's names, hyper-parameters and the
// SentencePiece vocabulary (pieces, scores, types, BOS/EOS) as metadata.
//
// No Q/K row permutation: llama.cpp's "llama" architecture rotates adjacent pairs (x[2i], x[2i+1])
// like llama2.c does, so the checkpoint's rows are already in the order it expects (the HF→GGUF
// path permutes only to undo Hugging Face's half-split layout).

import { writeGguf } from '../gguf/writer.js';
import type { GgufTensor, GgufValue } from '../gguf/types.js';
import { parseHeader, type Llama2cConfig } from './header.js';
import { RMS_NORM_EPS, ROPE_THETA } from './model-config.js';
import { readVocabulary } from './tokenizer-json.js';
import type { PieceType, VocabEntry } from './tokenizer-bin.js';
import { readWeights, type Llama2cWeights } from './weights.js';
import { Llama2cError } from './errors.js';

/** Bumped whenever the produced file changes for the same input. */
export const LLAMA2C_GGUF_CONVERTER_VERSION = '1';
/** Path of the produced file inside the model folder. */
export const LLAMA2C_GGUF_FILE = 'model.gguf';

/** llama.cpp's `llama_token_type` values for SentencePiece piece types. */
const TOKEN_TYPE: Readonly<Record<PieceType, number>> = {
  normal: 1, unknown: 2, control: 3, user_defined: 4, unused: 5, byte: 6,
};

export interface Llama2cGgufInput {
  readonly checkpoint: Uint8Array;
  readonly tokenizerBin: Uint8Array;
  readonly tokenizerModel?: Uint8Array;
  /** `general.name`; defaults to "llama2.c". */
  readonly name?: string;
  readonly onProgress?: (fraction: number) => void;
}

const u32 = (value: number): GgufValue => ({ type: 'u32', value });
const f32 = (value: number): GgufValue => ({ type: 'f32', value });
const str = (value: string): GgufValue => ({ type: 'string', value });
const bool = (value: boolean): GgufValue => ({ type: 'bool', value });

function idOf(entries: readonly VocabEntry[], piece: string): number {
  const id = entries.findIndex((e) => e.piece === piece);
  if (id < 0) throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer has no ${piece} token`, { field: 'tokenizer' });
  return id;
}

/** Metadata of the file, in the order llama.cpp's own converters write it. */
export function ggufMetadata(c: Llama2cConfig, entries: readonly VocabEntry[], addDummyPrefix: boolean, name: string): Map<string, GgufValue> {
  return new Map<string, GgufValue>([
    ['general.architecture', str('llama')],
    ['general.name', str(name)],
    ['general.file_type', u32(0)], // all tensors f32
    ['llama.vocab_size', u32(c.vocabSize)],
    ['llama.context_length', u32(c.seqLen)],
    ['llama.embedding_length', u32(c.dim)],
    ['llama.block_count', u32(c.nLayers)],
    ['llama.feed_forward_length', u32(c.hiddenDim)],
    ['llama.rope.dimension_count', u32(c.headDim)],
    ['llama.rope.freq_base', f32(ROPE_THETA)],
    ['llama.attention.head_count', u32(c.nHeads)],
    ['llama.attention.head_count_kv', u32(c.nKvHeads)],
    ['llama.attention.layer_norm_rms_epsilon', f32(RMS_NORM_EPS)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', { type: 'array', of: 'string', values: entries.map((e) => e.piece) }],
    ['tokenizer.ggml.scores', { type: 'array', of: 'f32', values: Float32Array.from(entries, (e) => e.score) }],
    ['tokenizer.ggml.token_type', { type: 'array', of: 'i32', values: Int32Array.from(entries, (e) => TOKEN_TYPE[e.type]) }],
    ['tokenizer.ggml.bos_token_id', u32(idOf(entries, '<s>'))],
    ['tokenizer.ggml.eos_token_id', u32(idOf(entries, '</s>'))],
    ['tokenizer.ggml.unknown_token_id', u32(Math.max(0, entries.findIndex((e) => e.type === 'unknown')))],
    ['tokenizer.ggml.add_bos_token', bool(true)],
    ['tokenizer.ggml.add_eos_token', bool(false)],
    ['tokenizer.ggml.add_space_prefix', bool(addDummyPrefix)],
  ]);
}

/** The tensors under llama.cpp's names; shapes in ggml order ([in, out] for a row-major [out, in] matrix). */
export function ggufTensors(c: Llama2cConfig, w: Llama2cWeights): GgufTensor[] {
  const kvDim = c.nKvHeads * c.headDim;
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', shape: [c.dim, c.vocabSize], data: w.tokenEmbedding },
    { name: 'output_norm.weight', shape: [c.dim], data: w.rmsFinal },
  ];
  // A shared classifier is left out: llama.cpp then reads the output projection from token_embd.
  if (!c.sharedClassifier) tensors.push({ name: 'output.weight', shape: [c.dim, c.vocabSize], data: w.classifier });
  w.layers.forEach((l, i) => {
    const p = `blk.${i}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, shape: [c.dim], data: l.rmsAtt },
      { name: `${p}attn_q.weight`, shape: [c.dim, c.dim], data: l.wq },
      { name: `${p}attn_k.weight`, shape: [c.dim, kvDim], data: l.wk },
      { name: `${p}attn_v.weight`, shape: [c.dim, kvDim], data: l.wv },
      { name: `${p}attn_output.weight`, shape: [c.dim, c.dim], data: l.wo },
      { name: `${p}ffn_norm.weight`, shape: [c.dim], data: l.rmsFfn },
      { name: `${p}ffn_gate.weight`, shape: [c.dim, c.hiddenDim], data: l.w1 },
      { name: `${p}ffn_down.weight`, shape: [c.hiddenDim, c.dim], data: l.w2 },
      { name: `${p}ffn_up.weight`, shape: [c.dim, c.hiddenDim], data: l.w3 },
    );
  });
  return tensors;
}

/** Runs the conversion; throws Llama2cError on bad input. Returns the one output file. */
export function convertLlama2cToGguf(input: Llama2cGgufInput): Map<string, Uint8Array> {
  const report = input.onProgress ?? (() => undefined);
  report(0);
  const config = parseHeader(input.checkpoint);
  const weights = readWeights(input.checkpoint, config);
  const { entries, addDummyPrefix } = readVocabulary({
    tokenizerBin: input.tokenizerBin, tokenizerModel: input.tokenizerModel, vocabSize: config.vocabSize, maxLength: config.seqLen,
  });
  report(0.3);
  const file = writeGguf(ggufMetadata(config, entries, addDummyPrefix, input.name ?? 'llama2.c'), ggufTensors(config, weights));
  report(1);
  return new Map([[LLAMA2C_GGUF_FILE, file]]);
}
