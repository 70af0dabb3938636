// A GGUF model on llama.cpp as an Embedder, served through the same Embed path and dynamic batcher
// as the other embedding runtimes: one embedding context per model, texts of a batch embedded in
// turn (llama.cpp pools each sequence with the model's own pooling type), L2-normalised on request.

import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import type { Embedder, EmbedOptions } from '../../embeddings/embedder.js';
import { invalidEmbed } from '../../embeddings/errors.js';

/** Wraps a loaded model and its embedding context; `dispose()` frees both (idempotent). */
export class LlamaEmbedder implements Embedder {
  readonly dimensions: number;
  readonly poolings = [] as const;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(readonly id: string, private readonly model: LlamaModel, private readonly context: LlamaEmbeddingContext,
    private readonly contextSize: number, private readonly release: () => void) {
    this.dimensions = model.embeddingVectorSize;
  }

  embed(texts: readonly string[], opts: EmbedOptions): Promise<Float32Array[]> {
    // One context: batches run one after another.
    const run = this.#queue.then(() => this.#embedAll(texts, opts));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #embedAll(texts: readonly string[], opts: EmbedOptions): Promise<Float32Array[]> {
    if (this.#disposed) throw invalidEmbed('model', `${this.id} has been unloaded`);
    texts.forEach((t, i) => {
      const n = this.context.calculateInputLength(t);
      if (n > this.contextSize) throw invalidEmbed(`texts[${i}]`, `is ${n} tokens, longer than the context of ${this.contextSize}`);
    });
    const out: Float32Array[] = [];
    for (const text of texts) {
      const v = Float32Array.from((await this.context.getEmbeddingFor(text)).vector);
      if (opts.normalize) {
        let sum = 0;
        for (const x of v) sum += x * x;
        const norm = Math.sqrt(sum);
        if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
      }
      out.push(v);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#queue;
    await this.context.dispose();
    await this.model.dispose();
    this.release();
  }
}
