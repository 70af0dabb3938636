// Loads transformers.js models (runtime "transformers") by task: causal LMs for text generation,
// Whisper for speech-to-text, feature-extraction models for embeddings. Files come only through
// the supervisor; a file the manifest does not list answers "not found" without asking it.

import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import { mapEngineErrors } from '../errors/engine-errors.js';
import type { ReadModelFile, RuntimeHandle, RuntimeLoader } from './loaded-model.js';
import { withProviderFallback } from './providers.js';
import type { ModelParams, TaskFactories, TransformersTaskFactory, TransformersTaskOptions } from './task-factories.js';

type Device = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
const DEVICES: readonly string[] = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

/** A reader that refuses paths outside the manifest with a not-found code (optional files). */
export function manifestReader(manifest: ModelManifest, readFile: ReadModelFile): ReadModelFile {
  const listed = new Set(manifest.files.map((f) => f.path));
  return (path) => {
    if (!listed.has(path)) return Promise.reject(Object.assign(new Error(`${manifest.model} has no file ${path}`), { code: 'ENOENT' }));
    return readFile(path);
  };
}

async function loadOnDevice(
  tasks: TaskFactories<TransformersTaskFactory>, manifest: ModelManifest, params: ModelParams, readFile: ReadModelFile, device: Device, threads: number,
): Promise<RuntimeHandle> {
  const task = tasks[manifest.task];
  if (task === undefined) {
    throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "transformers" cannot serve task "${manifest.task}" (model ${manifest.model})`);
  }
  // `threads` already folds in the model's own params.threads (resolveThreads).
  const options: TransformersTaskOptions = { id: manifest.model, readFile, device, ...(threads > 0 ? { threads } : {}) };
  return task(options, params);
}

/** Loader for runtime "transformers"; `tasks` maps manifest.task to the factory that serves it. */
export function createTransformersLoader(tasks: TaskFactories<TransformersTaskFactory>): RuntimeLoader {
  return {
    runtime: 'transformers',
    async load(manifest, params, readFile, plan, threads) {
      const reader = manifestReader(manifest, readFile);
      const devices = plan.filter((p) => DEVICES.includes(p));
      if (!devices.includes('cpu')) devices.push('cpu');
      const skipped = plan.filter((p) => !DEVICES.includes(p)).map((p) => `execution provider "${p}" is not supported by transformers.js; skipped`);
      const choice = await mapEngineErrors(withProviderFallback(devices, (device) => loadOnDevice(tasks, manifest, params, reader, device as Device, threads)));
      return { handle: choice.value, provider: choice.provider, warnings: [...skipped, ...choice.warnings] };
    },
  };
}
