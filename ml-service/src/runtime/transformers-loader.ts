// Loads transformers.js models (runtime "transformers") by task: causal LMs for text generation,
// Whisper for speech-to-text, feature-extraction models for embeddings. Files come only through
// the supervisor; a file the manifest does not list answers "not found" without asking it.

import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import { EmbedderHandle } from '../embeddings/embedder.js';
import { embedConfig } from '../embeddings/config.js';
import { loadHfEmbedder } from '../embeddings/hf-embedder.js';
import { SpeechHandle } from '../speech/speech-handle.js';
import { loadSpeechModel } from '../speech/whisper.js';
import { loadTextModel } from '../text/load.js';
import { mapEngineErrors } from '../text/engine-errors.js';
import { TextModelHandle } from '../text/text-handle.js';
import type { ReadModelFile, RuntimeHandle, RuntimeLoader } from './loaded-model.js';
import { withProviderFallback } from './providers.js';

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

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

async function loadOnDevice(
  manifest: ModelManifest, params: Readonly<Record<string, unknown>>, readFile: ReadModelFile, device: Device, threads: number,
): Promise<RuntimeHandle> {
  // `threads` already folds in the model's own params.threads (resolveThreads).
  const common = { id: manifest.model, readFile, device, ...(threads > 0 ? { threads } : {}) };
  const dtype = str(params['dtype']);
  switch (manifest.task) {
    case 'text-generation':
      return new TextModelHandle(await loadTextModel({ ...common, ...(dtype ? { dtype: dtype as 'fp32' } : {}) }));
    case 'speech-to-text':
      return new SpeechHandle(await loadSpeechModel({ ...common, ...(dtype ? { dtype } : {}) }));
    case 'embeddings': {
      const config = embedConfig(params);
      const pooling = params['pooling'] === 'cls' ? 'cls' : 'mean';
      return new EmbedderHandle(await loadHfEmbedder({ ...common, ...(dtype ? { dtype } : {}), defaultPooling: pooling }), config);
    }
    default:
      throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "transformers" cannot serve task "${manifest.task}" (model ${manifest.model})`);
  }
}

/** Loader for runtime "transformers". */
export const transformersLoader: RuntimeLoader = {
  runtime: 'transformers',
  async load(manifest, params, readFile, plan, threads) {
    const reader = manifestReader(manifest, readFile);
    const devices = plan.filter((p) => DEVICES.includes(p));
    if (!devices.includes('cpu')) devices.push('cpu');
    const skipped = plan.filter((p) => !DEVICES.includes(p)).map((p) => `execution provider "${p}" is not supported by transformers.js; skipped`);
    const choice = await mapEngineErrors(withProviderFallback(devices, (device) => loadOnDevice(manifest, params, reader, device as Device, threads)));
    return { handle: choice.value, provider: choice.provider, warnings: [...skipped, ...choice.warnings] };
  },
};
