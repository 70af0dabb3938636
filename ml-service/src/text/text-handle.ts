// The runtime handle of a loaded text-generation model, as kept in the child's model table.

import type { RuntimeHandle } from '../runtime/loaded-model.js';
import { stringParam, type TransformersTaskFactory } from '../runtime/task-factories.js';
import { loadTextModel, type TextModel } from './load.js';

/** Handle kind of text-generation models. */
export const TEXT_HANDLE_KIND = 'text-generation';

/** Wraps a loaded TextModel so the child's LoadedModels table can dispose it. */
export class TextModelHandle implements RuntimeHandle {
  readonly kind = TEXT_HANDLE_KIND;

  constructor(readonly model: TextModel) {}

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** Narrows a handle to a text-generation handle, or undefined. */
export function asTextHandle(handle: RuntimeHandle): TextModelHandle | undefined {
  return handle instanceof TextModelHandle ? handle : undefined;
}

/** Task factory of the transformers loader for "text-generation" (params.dtype picks the weights). */
export const textGenerationTask: TransformersTaskFactory = async (options, params) => {
  const dtype = stringParam(params, 'dtype');
  return new TextModelHandle(await loadTextModel({ ...options, ...(dtype ? { dtype: dtype as 'fp32' } : {}) }));
};
