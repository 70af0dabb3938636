// The child's runtime loaders, each given the task handle factories it serves: runtime/ knows
// runtimes, the task folders know tasks, and this is the one place that joins them.

import { onnxSentenceEncoderTask, tfjsSentenceEncoderTask, transformersEmbeddingsTask } from './embeddings/task-factories.js';
import type { RuntimeLoader } from './runtime/loaded-model.js';
import { createOnnxLoader } from './runtime/onnx-loader.js';
import { createTfjsLoader } from './runtime/tfjs-loader.js';
import { createTransformersLoader } from './runtime/transformers-loader.js';
import { createLlamaCppLoader } from './text/llama/loader.js';
import { speechToTextTask } from './speech/speech-handle.js';
import { textGenerationTask } from './text/transformers/task.js';

/** onnxruntime (vision sessions, sentence encoders), transformers.js (text, speech, embeddings), tfjs and llama.cpp (GGUF text). */
export function runtimeLoaders(): RuntimeLoader[] {
  return [
    createOnnxLoader([onnxSentenceEncoderTask]),
    createTransformersLoader({
      'text-generation': textGenerationTask,
      'speech-to-text': speechToTextTask,
      embeddings: transformersEmbeddingsTask,
    }),
    createTfjsLoader({ embeddings: tfjsSentenceEncoderTask }),
    createLlamaCppLoader(),
  ];
}
