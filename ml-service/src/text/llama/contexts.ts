// Contexts (KV caches) of one llama.cpp model: one per running request, sized per load or per
// request. One idle context of the load's size is kept for the next request; others are freed
// as soon as their request ends, so a cancelled or finished request always gives its memory back.

import type { LlamaContext, LlamaContextOptions, LlamaModel } from 'node-llama-cpp';

/** How contexts are made. */
export interface ContextSettings {
  /** The load's context window in tokens. */
  readonly defaultSize: number;
  /** Threads per context; 0 = llama.cpp's default. */
  readonly threads: number;
  /** KV cache element type (e.g. "F32", "F16"); undefined = llama.cpp's default. */
  readonly kvCacheType: string | undefined;
}

export class ContextPool {
  #idle: LlamaContext | undefined;
  #disposed = false;
  /** Contexts currently lent to requests. */
  inUse = 0;

  constructor(private readonly model: LlamaModel, readonly settings: ContextSettings) {}

  /** A context of `size` tokens (the load's when undefined), fresh or the idle one. */
  async acquire(size = this.settings.defaultSize): Promise<LlamaContext> {
    const idle = this.#idle;
    if (idle && size === this.settings.defaultSize) {
      this.#idle = undefined;
      this.inUse += 1;
      return idle;
    }
    const kv = this.settings.kvCacheType;
    const options: LlamaContextOptions = {
      contextSize: size,
      sequences: 1,
      ...(this.settings.threads > 0 ? { threads: this.settings.threads } : {}),
      ...(kv ? { experimentalKvCacheKeyType: kv as 'F32', experimentalKvCacheValueType: kv as 'F32' } : {}),
    };
    const ctx = await this.model.createContext(options);
    this.inUse += 1;
    return ctx;
  }

  /** Returns a context of `size` (as acquired) after its request; its sequence must already be disposed. */
  async release(ctx: LlamaContext, size = this.settings.defaultSize): Promise<void> {
    this.inUse -= 1;
    if (!this.#disposed && !this.#idle && size === this.settings.defaultSize && !ctx.disposed) {
      this.#idle = ctx;
      return;
    }
    await ctx.dispose();
  }

  /** Frees the idle context; contexts still lent are freed by their release (or by the model's dispose). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const idle = this.#idle;
    this.#idle = undefined;
    await idle?.dispose();
  }
}
