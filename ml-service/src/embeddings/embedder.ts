// The interface every embedding model implements, and its runtime handle (model + its batcher).

import type { RuntimeHandle } from '../runtime/loaded-model.js';
import { DynamicBatcher, type BatchReport } from './batcher.js';
import type { EmbedConfig } from './config.js';
import { loadFailed } from './errors.js';

/** How token vectors become one vector per text. */
export type PoolingMode = 'default' | 'mean' | 'cls' | 'none';

/** Options of one embedding batch. */
export interface EmbedOptions {
  readonly pooling: PoolingMode;
  readonly normalize: boolean;
}

/** A loaded embedding model. */
export interface Embedder {
  readonly id: string;
  /** Length of the vectors it returns (pooled). */
  readonly dimensions: number;
  /** Pooling modes this model accepts besides 'default'. */
  readonly poolings: readonly PoolingMode[];
  /** Embeds texts, one vector per text, in order. Texts of one call are run as one batch. */
  embed(texts: readonly string[], opts: EmbedOptions): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

const keyOf = (o: EmbedOptions): string => `${o.pooling}/${o.normalize ? 1 : 0}`;
const optionsOf = (key: string): EmbedOptions => {
  const [pooling, normalize] = key.split('/');
  return { pooling: pooling as PoolingMode, normalize: normalize === '1' };
};

/** A loaded embedder with its per-model dynamic batcher; the child's LoadedModels table disposes it. */
export class EmbedderHandle implements RuntimeHandle {
  readonly kind = 'embeddings';
  readonly #batcher: DynamicBatcher<string, Float32Array>;
  /** Called after every model call (set by the service for logging). */
  onBatch: ((report: BatchReport) => void) | undefined;

  constructor(readonly embedder: Embedder, readonly config: EmbedConfig) {
    this.#batcher = new DynamicBatcher((key, texts) => embedder.embed(texts, optionsOf(key)), config.batching, (r) => this.onBatch?.(r));
  }

  /** Embeds the texts of one request, merged with concurrent requests when batching is on. */
  embed(texts: readonly string[], opts: EmbedOptions): Promise<Float32Array[]> {
    return this.#batcher.submit(keyOf(opts), texts);
  }

  async dispose(): Promise<void> {
    this.#batcher.close(loadFailed(`${this.embedder.id} was unloaded`));
    await this.embedder.dispose();
  }
}

/** Narrows a handle to an embedder handle, or undefined. */
export function asEmbedderHandle(handle: RuntimeHandle): EmbedderHandle | undefined {
  return handle instanceof EmbedderHandle ? handle : undefined;
}
