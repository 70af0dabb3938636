// Loader of runtime "llama.cpp": a GGUF file streamed from the supervisor, materialised privately
// for llama.cpp (see model-file.ts), loaded on the first backend of the load's devices that opens
// (CPU last, with a warning for each one skipped), and served as a TextEngine (text-generation) or
// an Embedder behind the dynamic batcher (embeddings).

import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import { mapEngineErrors } from '../../errors/engine-errors.js';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { embedConfig } from '../../embeddings/config.js';
import { EmbedderHandle } from '../../embeddings/embedder.js';
import type { RuntimeHandle, RuntimeLoader } from '../../runtime/loaded-model.js';
import { stringParam, type ModelParams } from '../../runtime/task-factories.js';
import { invalidArgument, TextError } from '../errors.js';
import { TextModelHandle } from '../text-handle.js';
import { LlamaBindings, type NodeLlamaCpp } from './bindings.js';
import { ContextPool } from './contexts.js';
import { LlamaEmbedder } from './embedder.js';
import { LlamaTextEngine } from './engine.js';
import { PrivateModelFile, privateFileBase, sweepAllStaleFiles } from './model-file.js';

/** The GGUF file of a manifest: params.gguf, else its one `.gguf` file. */
export function ggufPath(manifest: ModelManifest, params: ModelParams): string {
  const named = stringParam(params, 'gguf');
  const ggufs = manifest.files.map((f) => f.path).filter((p) => p.endsWith('.gguf'));
  const path = named ?? (ggufs.length === 1 ? ggufs[0] : undefined);
  if (!path || !manifest.files.some((f) => f.path === path)) {
    throw invalidArgument('manifest.files', `model ${manifest.model} needs exactly one .gguf file (or params.gguf naming it), has ${ggufs.length}`);
  }
  return path;
}

/** Layers to offload: the load's gpu_layers, else all that fit on a GPU; always 0 on CPU. */
function gpuLayersFor(provider: string, requested: number | undefined, warnings: string[]): number | 'auto' {
  if (provider === 'cpu') {
    if (requested) warnings.push(`gpu_layers=${requested} requested but no GPU backend is available; all layers run on the CPU`);
    return 0;
  }
  return requested ?? 'auto';
}

/** What a load hands to the task that serves the model. */
interface LoadedGguf {
  readonly model: LlamaModel;
  readonly llama: Llama;
  readonly lib: NodeLlamaCpp;
  readonly file: PrivateModelFile;
  readonly provider: string;
  readonly warnings: string[];
}

/** Context window of a load: options.context_size, else the model's training context. */
async function loadContextSize(g: LoadedGguf, manifest: ModelManifest): Promise<number> {
  const size = manifest.options?.contextSize || g.model.trainContextSize;
  if (size > g.model.trainContextSize) {
    await g.model.dispose();
    throw invalidArgument('options.context_size', `must be at most ${g.model.trainContextSize} (the model's training context), got ${size}`);
  }
  return size;
}

async function textHandle(g: LoadedGguf, manifest: ModelManifest, params: ModelParams, threads: number): Promise<RuntimeHandle> {
  const { model, llama, lib, file } = g;
  const contextSize = await loadContextSize(g, manifest);
  const contexts = new ContextPool(model, { defaultSize: contextSize, threads, kvCacheType: stringParam(params, 'kvCacheType') });
  const engine = new LlamaTextEngine({
    id: manifest.model, model, module: lib, contexts,
    jsonGrammar: async (schema) => {
      let grammar;
      try {
        grammar = await llama.createGrammarForJsonSchema(schema as never);
      } catch (err) {
        throw invalidArgument('jsonSchema', `is not supported by llama.cpp's JSON-schema grammar: ${(err as Error).message}`);
      }
      const stop = grammar.stopGenerationTriggers.map((t) => (typeof t === 'string' ? t : Array.isArray(t) ? t.filter((x) => typeof x === 'string').join('') : t.toString()));
      return { state: new lib.LlamaGrammarEvaluationState({ model, grammar }), stop: stop.filter((x) => x !== '') };
    },
    release: async () => {
      file.remove();
    },
  });
  return new TextModelHandle(engine);
}

async function embeddingsHandle(g: LoadedGguf, manifest: ModelManifest, params: ModelParams, threads: number): Promise<RuntimeHandle> {
  const config = embedConfig(params);
  const contextSize = await loadContextSize(g, manifest);
  const context = await g.model.createEmbeddingContext({ contextSize, ...(threads > 0 ? { threads } : {}) });
  return new EmbedderHandle(new LlamaEmbedder(manifest.model, g.model, context, contextSize, () => g.file.remove()), config);
}

const TASKS: Readonly<Record<string, (g: LoadedGguf, manifest: ModelManifest, params: ModelParams, threads: number) => Promise<RuntimeHandle>>> = {
  'text-generation': textHandle,
  embeddings: embeddingsHandle,
};

/** Loader for runtime "llama.cpp" (tasks text-generation and embeddings). */
export function createLlamaCppLoader(log?: Logger): RuntimeLoader {
  const bindings = new LlamaBindings();
  return {
    runtime: 'llama.cpp',
    async load(manifest, params, readFile, plan, threads) {
      const task = TASKS[manifest.task];
      if (!task) {
        throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "llama.cpp" cannot serve task "${manifest.task}" (model ${manifest.model})`);
      }
      const path = ggufPath(manifest, params);
      const bytes = await readFile(path);
      const base = privateFileBase(bytes.byteLength);
      const swept = sweepAllStaleFiles();
      if (swept > 0) log?.info({ swept }, 'removed model files left by an earlier ML child');
      const { llama, provider, warnings } = await bindings.choose(plan);
      const lib = await bindings.module();
      const file = new PrivateModelFile(bytes, path.slice(path.lastIndexOf('/') + 1), base);
      let model: LlamaModel;
      try {
        model = await mapEngineErrors(llama.loadModel({
          modelPath: file.path,
          gpuLayers: gpuLayersFor(provider, manifest.options?.gpuLayers, warnings),
        }).catch((err: unknown) => {
          throw new TextError('TEXT_MODEL_LOAD_FAILED', `llama.cpp could not load ${manifest.model}: ${(err as Error).message}`, undefined, { cause: err });
        }));
      } finally {
        file.remove(); // llama.cpp holds the mapping; the name is no longer needed
      }
      const handle = await task({ model, llama, lib, file, provider, warnings }, manifest, params, threads);
      log?.info({ model: manifest.model, task: manifest.task, provider, gpuLayers: model.gpuLayers, mmap: model.useMmap }, 'llama.cpp model loaded');
      return { handle, provider, warnings };
    },
  };
}
