// The child's in-memory table of loaded models. Loads of the same model share one promise;
// nothing is written to disk.
import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import type { LoadedModel, ReadModelFile, RuntimeLoader } from './loaded-model.js';
import { DEFAULT_DRAIN_TIMEOUT_MS, ModelCalls, notLoaded } from './model-calls.js';
import { deviceOfProvider, providerPlan } from './providers.js';

/** Options of LoadedModels. */
export interface LoadedModelsOptions {
  loaders: readonly RuntimeLoader[];
  /** Returns a file reader bound to one model. */
  fileReader: (manifest: ModelManifest) => ReadModelFile;
  defaultThreads: number;
  log: Logger;
}

/** Loaded models of this child. */
export class LoadedModels {
  readonly #models = new Map<string, LoadedModel>();
  readonly #loading = new Map<string, Promise<LoadedModel>>();
  readonly #unloading = new Map<string, Promise<boolean>>();
  readonly #opts: LoadedModelsOptions;

  constructor(opts: LoadedModelsOptions) {
    this.#opts = opts;
  }

  /** Loads a model (or returns the one already loaded / loading). */
  load(manifest: ModelManifest): Promise<LoadedModel> {
    const id = manifest.model;
    // Loading a model that is being unloaded: wait for that unload, then load it again (or keep it
    // when the unload was refused).
    const unloading = this.#unloading.get(id);
    if (unloading) return unloading.catch(() => false).then(() => this.load(manifest));
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
      calls: new ModelCalls(manifest.model),
    };
    this.#models.set(manifest.model, model);
    return model;
  }

  /**
   * Unloads a model; resolves whether it was loaded. New calls are refused at once; the calls in
   * flight finish first, then the sessions are disposed. When they do not finish within
   * `drainTimeoutMs` the unload is refused (DEADLINE_EXCEEDED naming the model, which serves again),
   * unless `force` is set (shutdown): then the model is disposed under them.
   */
  async unload(id: string, opts: { drainTimeoutMs?: number; force?: boolean } = {}): Promise<boolean> {
    const pending = this.#loading.get(id);
    if (pending) await pending.catch(() => undefined);
    const m = this.#models.get(id);
    if (!m) return false;
    const unloading = this.#unloading.get(id);
    if (unloading) return unloading;
    const p = this.#drainAndDispose(m, opts).finally(() => this.#unloading.delete(id));
    this.#unloading.set(id, p);
    return p;
  }

  async #drainAndDispose(m: LoadedModel, opts: { drainTimeoutMs?: number; force?: boolean }): Promise<boolean> {
    const id = m.manifest.model;
    const drained = await m.calls.drain(opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    if (!drained && !opts.force) {
      throw new TabagentError('TA_ERR_DEADLINE_EXCEEDED', `model "${id}" still has ${m.calls.inFlight} call(s) in flight; it was not unloaded`, { details: { model: id } });
    }
    this.#models.delete(id);
    m.calls.disposed();
    await m.handle.dispose();
    return true;
  }

  /** A loaded model, or NOT_LOADED naming it. */
  get(id: string): LoadedModel {
    const m = this.#models.get(id);
    if (!m) throw notLoaded(id);
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

  /** Unloads everything (shutdown: waits up to `drainTimeoutMs` per model, then disposes regardless). */
  async disposeAll(drainTimeoutMs = 0): Promise<void> {
    for (const id of [...this.#models.keys()]) await this.unload(id, { drainTimeoutMs, force: true });
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
