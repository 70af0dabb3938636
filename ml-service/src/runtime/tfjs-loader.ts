// Loads TFJS graph models on @tensorflow/tfjs (runtime "tfjs") through the injected task factories
// (the Universal Sentence Encoder lite for embeddings).

import { TabagentError } from '@tabagent/common';
import { mapEngineErrors } from '../errors/engine-errors.js';
import type { RuntimeLoader } from './loaded-model.js';
import type { TaskFactories, TfjsTaskFactory } from './task-factories.js';

/** Loader for runtime "tfjs"; `tasks` maps manifest.task to the factory that serves it. */
export function createTfjsLoader(tasks: TaskFactories<TfjsTaskFactory>): RuntimeLoader {
  return {
    runtime: 'tfjs',
    async load(manifest, params, readFile) {
      const task = tasks[manifest.task];
      if (task === undefined) {
        const served = Object.keys(tasks).join(', ') || 'no task';
        throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "tfjs" serves ${served}; model ${manifest.model} is task "${manifest.task}"`);
      }
      return mapEngineErrors(task(manifest, params, readFile));
    },
  };
}
