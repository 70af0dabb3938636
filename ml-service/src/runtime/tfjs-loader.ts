// Loads TFJS graph models on @tensorflow/tfjs (runtime "tfjs"): the Universal Sentence Encoder
// lite for embeddings. The backend is tfjs-node when installed, else WebAssembly.

import { TabagentError } from '@tabagent/common';
import { EmbedderHandle } from '../embeddings/embedder.js';
import { embedConfig } from '../embeddings/config.js';
import { loadUseModel } from '../embeddings/use-model.js';
import { mapEngineErrors } from '../text/engine-errors.js';
import type { RuntimeLoader } from './loaded-model.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Loader for runtime "tfjs". */
export const tfjsLoader: RuntimeLoader = {
  runtime: 'tfjs',
  async load(manifest, params, readFile) {
    if (manifest.task !== 'embeddings' || !str(params['vocabulary'])) {
      throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "tfjs" serves sentence-encoder embeddings (params.vocabulary); model ${manifest.model} is task "${manifest.task}"`);
    }
    const config = await mapEngineErrors(Promise.resolve().then(() => embedConfig(params)));
    const graph = str(params['graph']);
    const vocabulary = str(params['vocabulary']);
    const model = await mapEngineErrors(loadUseModel({ id: manifest.model, readFile, ...(graph ? { graph } : {}), ...(vocabulary ? { vocabulary } : {}) }));
    const warnings = [...model.warnings];
    return { handle: new EmbedderHandle(model, config), provider: model.backend === 'tensorflow' ? 'tfjs-node' : `tfjs-${model.backend}`, warnings };
  },
};
