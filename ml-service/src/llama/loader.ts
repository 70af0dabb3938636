// Loader of runtime "llama.cpp": a GGUF file streamed from the supervisor, materialised privately
// for llama.cpp (see model-file.ts), loaded on the first backend of the load's devices that opens
// (CPU last, with a warning for each one skipped), and served as a TextEngine.

import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import { mapEngineErrors } from '../errors/engine-errors.js';
import type { RuntimeLoader } from '../runtime/loaded-model.js';
import { stringParam, type ModelParams } from '../runtime/task-factories.js';
import { invalidArgument, TextError } from '../text/errors.js';
import { TextModelHandle } from '../text/text-handle.js';
import { LlamaBindings } from './bindings.js';
import { ContextPool } from './contexts.js';
import { LlamaTextEngine } from './engine.js';
import { PrivateModelFile, privateFileBase, sweepStaleFiles } from './model-file.js';

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

/** Loader for runtime "llama.cpp" (task text-generation). */
export function createLlamaCppLoader(log?: Logger): RuntimeLoader {
  const bindings = new LlamaBindings();
  return {
    runtime: 'llama.cpp',
    async load(manifest, params, readFile, plan, threads) {
      if (manifest.task !== 'text-generation') {
        throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "llama.cpp" cannot serve task "${manifest.task}" (model ${manifest.model})`);
      }
      const path = ggufPath(manifest, params);
      const bytes = await readFile(path);
      const base = privateFileBase();
      const swept = sweepStaleFiles(base);
      if (swept > 0) log?.info({ swept }, 'removed model files left by an earlier ML child');
      const { llama, provider, warnings } = await bindings.choose(plan);
      const lib = await bindings.module();
      const file = new PrivateModelFile(bytes, path.slice(path.lastIndexOf('/') + 1), base);
      let model;
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
      const contextSize = manifest.options?.contextSize || model.trainContextSize;
      if (contextSize > model.trainContextSize) {
        await model.dispose();
        throw invalidArgument('options.context_size', `must be at most ${model.trainContextSize} (the model's training context), got ${contextSize}`);
      }
      const kv = stringParam(params, 'kvCacheType');
      const contexts = new ContextPool(model, { defaultSize: contextSize, threads, kvCacheType: kv });
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
          return { state: new lib.LlamaGrammarEvaluationState({ model, grammar }), stop: stop.filter((s) => s !== '') };
        },
        release: async () => {
          file.remove();
        },
      });
      log?.info({ model: manifest.model, provider, gpuLayers: model.gpuLayers, contextSize, mmap: model.useMmap }, 'llama.cpp model loaded');
      return { handle: new TextModelHandle(engine), provider, warnings };
    },
  };
}
