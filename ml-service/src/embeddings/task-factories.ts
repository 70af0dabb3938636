// The embedding engine's task factories for the runtime loaders: a sentence encoder (USE lite,
// params.vocabulary) on onnxruntime sessions or on tfjs, and feature-extraction models on
// transformers.js. Each wraps its model with the dynamic batcher (EmbedderHandle).

import ort from 'onnxruntime-node';
import { TabagentError } from '@tabagent/common';
import { stringParam, type OnnxTaskFactory, type TfjsTaskFactory, type TransformersTaskFactory } from '../runtime/task-factories.js';
import { embedConfig } from './config.js';
import { EmbedderHandle } from './embedder.js';
import { loadHfEmbedder } from './hf-embedder.js';
import { loadUseModel } from './use-model.js';
import { loadUseOnnx } from './use-onnx.js';

/** A sentence encoder converted to ONNX: one graph plus the tokenizer vocabulary named in params. */
export const onnxSentenceEncoderTask: OnnxTaskFactory = {
  accepts: (manifest, params) => manifest.task === 'embeddings' && typeof params['vocabulary'] === 'string',
  async create(model, sessions, params, readFile) {
    if (sessions.length !== 1) {
      throw new TabagentError('TA_ERR_UNIMPLEMENTED', `onnxruntime serves a sentence encoder from one graph; model ${model} has ${sessions.length}`);
    }
    const config = embedConfig(params);
    const embedder = await loadUseOnnx({ id: model, session: sessions[0]!, Tensor: ort.Tensor, readFile, vocabulary: String(params['vocabulary']) });
    return new EmbedderHandle(embedder, config);
  },
};

/** The sentence encoder as a TFJS graph model (backend tfjs-node when installed, else WebAssembly). */
export const tfjsSentenceEncoderTask: TfjsTaskFactory = async (manifest, params, readFile) => {
  const vocabulary = stringParam(params, 'vocabulary');
  if (!vocabulary) {
    throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "tfjs" serves sentence-encoder embeddings (params.vocabulary); model ${manifest.model} is task "${manifest.task}"`);
  }
  const config = embedConfig(params);
  const graph = stringParam(params, 'graph');
  const model = await loadUseModel({ id: manifest.model, readFile, ...(graph ? { graph } : {}), vocabulary });
  return { handle: new EmbedderHandle(model, config), provider: model.backend === 'tensorflow' ? 'tfjs-node' : `tfjs-${model.backend}`, warnings: [...model.warnings] };
};

/** A transformers.js feature-extraction model (params.pooling "cls" or mean, params.dtype). */
export const transformersEmbeddingsTask: TransformersTaskFactory = async (options, params) => {
  const config = embedConfig(params);
  const dtype = stringParam(params, 'dtype');
  const pooling = params['pooling'] === 'cls' ? 'cls' : 'mean';
  return new EmbedderHandle(await loadHfEmbedder({ ...options, ...(dtype ? { dtype } : {}), defaultPooling: pooling }), config);
};
