// Converts a llama2.c checkpoint + tokenizer into a transformers.js-loadable Llama model folder (in memory).

import { parseHeader } from './header.js';
import { readWeights } from './weights.js';
import { buildDecoderModel } from './decoder-graph.js';
import { buildTokenizer } from './tokenizer-json.js';
import { buildGenerationConfig, buildModelConfig, RMS_NORM_EPS, ROPE_THETA } from './model-config.js';

/** Bumped whenever the produced files change for the same input. */
export const LLAMA2C_CONVERTER_VERSION = '2';

/** Paths of the produced files inside the model folder. */
export const LLAMA2C_OUTPUT_FILES = [
  'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx',
] as const;

export interface Llama2cInput {
  /** The legacy checkpoint (header + float32 tensors). */
  readonly checkpoint: Uint8Array;
  /** llama2.c tokenizer.bin. */
  readonly tokenizerBin: Uint8Array;
  /** Optional SentencePiece tokenizer.model of the same vocabulary (adds piece types and normalizer flags). */
  readonly tokenizerModel?: Uint8Array;
  /** Progress as a fraction 0..1. */
  readonly onProgress?: (fraction: number) => void;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Runs the conversion; throws Llama2cError (LLAMA2C_INVALID_FORMAT / LLAMA2C_UNSUPPORTED) on bad input. */
export function convertLlama2c(input: Llama2cInput): Map<string, Uint8Array> {
  const report = input.onProgress ?? (() => undefined);
  report(0);
  const config = parseHeader(input.checkpoint);
  const weights = readWeights(input.checkpoint, config);
  const tokenizer = buildTokenizer({
    tokenizerBin: input.tokenizerBin,
    tokenizerModel: input.tokenizerModel,
    vocabSize: config.vocabSize,
    maxLength: config.seqLen,
  });
  report(0.1);
  const onnx = buildDecoderModel(config, weights, {
    ropeTheta: ROPE_THETA,
    rmsNormEps: RMS_NORM_EPS,
    producerVersion: LLAMA2C_CONVERTER_VERSION,
    onProgress: (f) => report(0.1 + 0.85 * f),
  });
  const ids = { bosId: tokenizer.bosId, eosId: tokenizer.eosId };
  const files = new Map<string, Uint8Array>([
    ['config.json', json(buildModelConfig(config, ids))],
    ['generation_config.json', json(buildGenerationConfig(config, ids))],
    ['tokenizer.json', json(tokenizer.tokenizerJson)],
    ['tokenizer_config.json', json(tokenizer.tokenizerConfig)],
    ['onnx/model.onnx', onnx],
  ]);
  report(1);
  return files;
}
