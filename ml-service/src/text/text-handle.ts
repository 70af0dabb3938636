// The runtime handle of a loaded text-generation model, as kept in the child's model table.

import type { RuntimeHandle } from '../runtime/loaded-model.js';
import type { TextEngine } from './engine.js';

/** Handle kind of text-generation models. */
export const TEXT_HANDLE_KIND = 'text-generation';

/** Wraps a loaded TextEngine (any runtime) so the child's LoadedModels table can dispose it. */
export class TextModelHandle implements RuntimeHandle {
  readonly kind = TEXT_HANDLE_KIND;

  constructor(readonly engine: TextEngine) {}

  dispose(): Promise<void> {
    return this.engine.dispose();
  }
}

/** Narrows a handle to a text-generation handle, or undefined. */
export function asTextHandle(handle: RuntimeHandle): TextModelHandle | undefined {
  return handle instanceof TextModelHandle ? handle : undefined;
}
