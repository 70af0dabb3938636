// The transformers loader's "text-generation" task.

import { stringParam, type TransformersTaskFactory } from '../../runtime/task-factories.js';
import { TextModelHandle } from '../text-handle.js';
import { TransformersTextEngine } from './engine.js';
import { loadTextModel } from './load.js';

/** Task factory of the transformers loader for "text-generation" (params.dtype picks the weights). */
export const textGenerationTask: TransformersTaskFactory = async (options, params) => {
  const dtype = stringParam(params, 'dtype');
  const model = await loadTextModel({ ...options, ...(dtype ? { dtype: dtype as 'fp32' } : {}) });
  return new TextModelHandle(new TransformersTextEngine(model));
};
