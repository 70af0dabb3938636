// The child's in-memory table of loaded models. Loads of the same model share one promise;
// nothing is written to disk.
import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import type { LoadedModel, ReadModelFile, RuntimeLoader } from './loaded-model.js';
import { deviceOfProvider, providerPlan } from './providers.js';

/** Options of ModelRegistry. */
export interface ModelRegistryOptions {
  loaders: readonly RuntimeLoader[];
  /** Returns a file reader bound to one model. */
  fileReader: (manifest: ModelManifest) => ReadModelFile;
  defaultThreads: number;
  log: Logger;
}

/** Loaded models of this child. */
export class ModelRegistry {
  readonly #models = new Map<string, LoadedModel>();
  readonly #loading = new Map<string, Promise<LoadedModel>>();
  readonly #opts: ModelRegistryOptions;

  constructor(opts: ModelRegistryOptions) {
    this.#opts = opts;
  }

  /** Loads a model (or returns the one already loaded / loading). */
  load(manifest: ModelManifest): Promise<LoadedModel> {
    const id = manifest.model;
    const existing = this.#models.get(id);
    if (existing) return Promise.resolve(existing);
    const pending = this.#loading.get(id);
    if (pending) return pending;
    const p = this.#doLoad(manifest).finally(() => this.#loading.delete(id));
    this.#loading.set(id, p);
    return p;
  }

  async #doLoad(manifest: ModelManifest): Promise<LoadedModel> {
    const loader = this.#opts.loaders.find((l) => l.runtime === manifest.runtime);
    if (!loader) {
      throw new TabagentError('TA_ERR_UNIMPLEMENTED', `runtime "${manifest.runtime}" is not available in this ML service`);
    }
    const params = parseParams(manifest);
    const threads = resolveThreads(manifest.options?.threads, this.#opts.defaultThreads, params);
    const plan = providerPlan(manifest.options?.devices ?? []);
    const before = process.memoryUsage.rss();
    const { handle, provider, warnings } = await loader.load(manifest, params, this.#opts.fileReader(manifest), plan, threads);
    const after = process.memoryUsage.rss();
    for (const w of warnings) this.#opts.log.warn({ model: manifest.model }, w);
    const model: LoadedModel = {
      manifest, params, handle, provider, warnings,
      device: deviceOfProvider(provider),
      memoryBytes: Math.max(0, after - before),
      inFlight: 0,
    };
    this.#models.set(manifest.model, model);
    return model;
  }

  /** Unloads a model; returns whether it was loaded. */
  async unload(id: string): Promise<boolean> {
    const pending = this.#loading.get(id);
    if (pending) await pending.catch(() => undefined);
    const m = this.#models.get(id);
    if (!m) return false;
    this.#models.delete(id);
    await m.handle.dispose();
    return true;
  }

  /** A loaded model, or NOT_LOADED naming it. */
  get(id: string): LoadedModel {
    const m = this.#models.get(id);
    if (!m) throw new TabagentError('TA_ERR_MODEL_NOT_LOADED', `model "${id}" is not loaded in this ML service`, { details: { model: id } });
    return m;
  }

  /** Finds a loaded model by id, or undefined. */
  find(id: string): LoadedModel | undefined {
    return this.#models.get(id);
  }

  /** All loaded models. */
  list(): LoadedModel[] {
    return [...this.#models.values()];
  }

  /** Unloads everything. */
  async disposeAll(): Promise<void> {
    for (const id of [...this.#models.keys()]) await this.unload(id);
  }
}

function parseParams(manifest: ModelManifest): Record<string, unknown> {
  if (!manifest.paramsJson) return {};
  try {
    const v: unknown = JSON.parse(manifest.paramsJson);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new TabagentError('TA_ERR_INVALID_ARGUMENT', `manifest.params_json of "${manifest.model}" is not a JSON object`, { field: 'manifest.params_json' });
}

/**
 * Intra-op threads for a model: the load request's, else the process default (`--threads`), else
 * the model's own `params.threads` from the catalog (small models such as BlazeFace, face mesh and
 * iris run ~18% faster on one thread than on a pool of two), else 0 (the runtime's default).
 */
export function resolveThreads(requested: number | undefined, processDefault: number, params: Readonly<Record<string, unknown>>): number {
  if (requested !== undefined && requested > 0) return requested;
  if (processDefault > 0) return processDefault;
  const own = params['threads'];
  return typeof own === 'number' && Number.isInteger(own) && own > 0 ? own : 0;
}
