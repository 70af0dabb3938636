// The runtime handle of a loaded speech-to-text model, as kept in the child's model table.

import type { RuntimeHandle } from '../runtime/loaded-model.js';
import { stringParam, type TransformersTaskFactory } from '../runtime/task-factories.js';
import type { SpeechModel } from './whisper.js';
import { WorkerSpeechModel } from './worker-speech-model.js';

/** Wraps a SpeechModel so the child's LoadedModels table can dispose it. */
export class SpeechHandle implements RuntimeHandle {
  readonly kind = 'speech-to-text';

  constructor(readonly model: SpeechModel) {}

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** Narrows a handle to a speech handle, or undefined. */
export function asSpeechHandle(handle: RuntimeHandle): SpeechHandle | undefined {
  return handle instanceof SpeechHandle ? handle : undefined;
}

/** Task factory of the transformers loader for "speech-to-text" (params.dtype picks the weights); Whisper runs on a worker thread. */
export const speechToTextTask: TransformersTaskFactory = async (options, params) => {
  const dtype = stringParam(params, 'dtype');
  return new SpeechHandle(await WorkerSpeechModel.load({ ...options, ...(dtype ? { dtype } : {}) }));
};
