// node-llama-cpp, imported lazily (the supervisor and children that never load a GGUF model never
// pay for it) and one Llama instance per backend, tried in the order of the load's devices with
// CPU last. Nothing is downloaded or built: a backend without a prebuilt binary is skipped.

import type { Llama, LlamaGpuType } from 'node-llama-cpp';

/** The node-llama-cpp module's namespace. */
export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** Backends by provider name (the names GetModel reports). */
const GPU_OF: Readonly<Record<string, Exclude<LlamaGpuType, false>>> = { cuda: 'cuda', vulkan: 'vulkan', metal: 'metal' };

/** The backend a load ended on. */
export interface BackendChoice {
  readonly llama: Llama;
  readonly provider: string;
  readonly warnings: string[];
}

/** The node-llama-cpp module and its backends, opened on first use. */
export class LlamaBindings {
  #module: Promise<NodeLlamaCpp> | undefined;
  readonly #backends = new Map<string, Promise<Llama>>();

  module(): Promise<NodeLlamaCpp> {
    this.#module ??= import('node-llama-cpp');
    return this.#module;
  }

  #backend(provider: string): Promise<Llama> {
    let p = this.#backends.get(provider);
    if (!p) {
      p = this.module().then((m) => m.getLlama({
        gpu: provider === 'cpu' ? false : GPU_OF[provider]!,
        build: 'never',
        progressLogs: false,
        logLevel: m.LlamaLogLevel.error,
      }));
      p.catch(() => this.#backends.delete(provider));
      this.#backends.set(provider, p);
    }
    return p;
  }

  /** The first backend of `plan` (provider names) that opens; CPU is always tried last. */
  async choose(plan: readonly string[]): Promise<BackendChoice> {
    const warnings: string[] = [];
    const order = [...plan.filter((p) => p !== 'cpu'), 'cpu'];
    for (const provider of order) {
      if (provider !== 'cpu' && !(provider in GPU_OF)) {
        warnings.push(`execution provider "${provider}" is not supported by llama.cpp; skipped`);
        continue;
      }
      try {
        const llama = await this.#backend(provider);
        if (provider !== 'cpu' && !llama.supportsGpuOffloading) throw new Error('no GPU offloading in this build');
        return { llama, provider, warnings };
      } catch (err) {
        if (provider === 'cpu') throw err;
        warnings.push(`llama.cpp backend "${provider}" is not available (${(err as Error).message.split('\n')[0]}); falling back to CPU`);
      }
    }
    throw new Error('unreachable: the CPU backend either opens or throws');
  }

  /** Frees every backend that was opened. */
  async dispose(): Promise<void> {
    const all = [...this.#backends.values()];
    this.#backends.clear();
    for (const p of all) await (await p.catch(() => undefined))?.dispose();
  }
}
