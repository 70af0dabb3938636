// Registers the pull-time converters with the model store.
import type { Logger } from '@tabagent/common';
import type { ModelStore } from '../store/store.js';

/** Registers every converter this build has. */
export function registerConverters(_store: ModelStore, _log: Logger): void {
  // Converters are registered here as they land (TFJS graph → ONNX, llama2.c → transformers.js).
}
