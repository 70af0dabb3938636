// ModelRegistry: the supervisor's memory of what is loaded where. Loads pull first, share one
// flight per model, evict LRU idle models over the limits, survive child restarts (reloadAll), and
// unload idle models when their keep-alive runs out.
import { TabagentError, type Logger } from '@tabagent/common';
import type { LoadOptions } from '@tabagent/protos/v1/common';
import { ModelState, type ModelInfo } from '@tabagent/protos/v1/model_management';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import { callUnary } from '../child/call.js';
import type { GrpcChildLink } from '../child/child-link.js';
import type { IssuedFiles } from '../files/issued-files.js';
import type { ModelStore } from '../store/store.js';
import type { PullProgress } from '../store/types.js';
import { pickEvictions } from './eviction.js';
import { keepAliveOf, newRecord, toModelInfo, type ModelRecord } from './model-record.js';
import { buildRuntimeManifest } from './runtime-manifest.js';
import { toStoreError } from './store-errors.js';

/** How the registry reaches the current child. */
export interface ChildAccess {
  whenReady(timeoutMs: number): Promise<GrpcChildLink>;
  pid(): number;
}

/** Options of ModelRegistry. */
export interface ModelRegistryOptions {
  store: ModelStore;
  child: ChildAccess;
  issued: IssuedFiles;
  log: Logger;
  defaultKeepAliveSeconds: number;
  maxLoaded: number;
  budgetBytes: number;
  /** How long a load waits for a ready child. */
  childWaitMs: number;
}

/** The brain's model table. */
export class ModelRegistry {
  readonly #o: ModelRegistryOptions;
  readonly #records = new Map<string, ModelRecord>();
  readonly #loads = new Map<string, Promise<ModelInfo>>();
  readonly #manifests = new Map<string, ModelManifest>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(opts: ModelRegistryOptions) {
    this.#o = opts;
    this.#sweeper = setInterval(() => this.#sweepKeepAlive(), 1000);
    this.#sweeper.unref();
  }

  #record(id: string): ModelRecord {
    this.#o.store.entry(id); // NOT_FOUND for unknown ids
    let r = this.#records.get(id);
    if (!r) {
      r = newRecord(id);
      this.#records.set(id, r);
    }
    return r;
  }

  /** Every catalog model with its state. */
  async list(loadedOnly = false): Promise<ModelInfo[]> {
    const out: ModelInfo[] = [];
    for (const { entry, manifest } of await this.#o.store.list()) {
      const r = this.#records.get(entry.id) ?? newRecord(entry.id);
      if (manifest && r.state === ModelState.MODEL_STATE_AVAILABLE) r.state = ModelState.MODEL_STATE_PULLED;
      if (manifest) r.sizeBytes = [...manifest.files, ...manifest.converted].reduce((s, f) => s + f.size, 0);
      if (loadedOnly && r.state !== ModelState.MODEL_STATE_READY) continue;
      out.push(toModelInfo(r, entry, this.#o.defaultKeepAliveSeconds));
    }
    return out;
  }

  /** One model. */
  async get(id: string): Promise<ModelInfo> {
    const r = this.#record(id);
    const manifest = await this.#o.store.manifest(id).catch(() => undefined);
    if (manifest) {
      r.sizeBytes = [...manifest.files, ...manifest.converted].reduce((s, f) => s + f.size, 0);
      if (r.state === ModelState.MODEL_STATE_AVAILABLE) r.state = ModelState.MODEL_STATE_PULLED;
    }
    return toModelInfo(r, this.#o.store.entry(id), this.#o.defaultKeepAliveSeconds);
  }

  /** Pulls into the cache, tracking PULLING/CONVERTING on the record. */
  async pull(id: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const r = this.#record(id);
    const busy = r.state === ModelState.MODEL_STATE_READY || r.state === ModelState.MODEL_STATE_LOADING;
    try {
      await this.#o.store.pull(id, {
        signal,
        onProgress: (p) => {
          if (!busy) r.state = p.stage === 'converting' ? ModelState.MODEL_STATE_CONVERTING : ModelState.MODEL_STATE_PULLING;
          onProgress?.(p);
        },
      });
      if (!busy) r.state = ModelState.MODEL_STATE_PULLED;
    } catch (err) {
      const e = toStoreError(err);
      if (!busy && e.code !== 'TA_ERR_CANCELLED') {
        r.state = ModelState.MODEL_STATE_FAILED;
        r.lastError = e.message;
      }
      throw e;
    }
  }

  /** Loads (pulling first); concurrent loads of one model share the same work. */
  load(id: string, options?: LoadOptions): Promise<ModelInfo> {
    const r = this.#record(id);
    if (options) r.options = options;
    const pending = this.#loads.get(id);
    if (pending) return pending;
    if (r.state === ModelState.MODEL_STATE_READY) return this.get(id);
    const p = this.#doLoad(r).finally(() => this.#loads.delete(id));
    this.#loads.set(id, p);
    return p;
  }

  async #doLoad(r: ModelRecord): Promise<ModelInfo> {
    r.wanted = true;
    try {
      await this.pull(r.id);
      const entry = this.#o.store.entry(r.id);
      const local = await this.#o.store.manifest(r.id);
      if (!local) throw new TabagentError('TA_ERR_MODEL_LOAD_FAILED', `model "${r.id}" vanished from the cache after pulling`);
      const manifest = buildRuntimeManifest(entry, local, r.options);
      this.#manifests.set(r.id, manifest);
      this.#o.issued.issue(r.id, manifest.files.map((f) => f.path));
      await this.#evictFor(r);
      r.state = ModelState.MODEL_STATE_LOADING;
      const link = await this.#o.child.whenReady(this.#o.childWaitMs);
      await this.#loadOn(link, r, manifest);
    } catch (err) {
      if (r.state !== ModelState.MODEL_STATE_READY) {
        r.state = ModelState.MODEL_STATE_FAILED;
        r.lastError = (err as Error).message;
        // A model that failed because no ML process was ready stays wanted: the next child loads it.
        const code = (err as { code?: unknown }).code;
        if (code !== 'TA_ERR_CHILD_FAILED' && code !== 'TA_ERR_CHILD_UNAVAILABLE') r.wanted = false;
      }
      throw err;
    }
    return this.get(r.id);
  }

  async #loadOn(link: GrpcChildLink, r: ModelRecord, manifest: ModelManifest): Promise<void> {
    const res = await callUnary(link.runtime.loadModel, link.runtime, { manifest }, link.metadata());
    Object.assign(r, {
      state: ModelState.MODEL_STATE_READY, lastError: '', warnings: res.warnings, provider: res.executionProvider,
      device: res.device, memoryBytes: Math.max(0, res.rssAfter - res.rssBefore), loadedAtMs: Date.now(),
      lastUsedMs: Date.now(), childPid: this.#o.child.pid(),
    });
    this.#o.log.info({ model: r.id, provider: res.executionProvider, ms: Math.round(res.loadMs) }, 'model ready');
  }

  async #evictFor(r: ModelRecord): Promise<void> {
    const loaded = [...this.#records.values()].filter((x) => x.state === ModelState.MODEL_STATE_READY);
    const ids = pickEvictions(loaded, r.id, 0, { maxLoaded: this.#o.maxLoaded, budgetBytes: this.#o.budgetBytes });
    for (const id of ids) {
      this.#o.log.info({ model: id, for: r.id }, 'evicting least recently used model');
      await this.unload(id);
    }
  }

  /** Unloads; the files stay cached. */
  async unload(id: string): Promise<ModelInfo> {
    const r = this.#record(id);
    await this.#loads.get(id)?.catch(() => undefined);
    r.wanted = false;
    if (r.state === ModelState.MODEL_STATE_READY || r.state === ModelState.MODEL_STATE_LOADING) {
      const link = await this.#o.child.whenReady(this.#o.childWaitMs).catch(() => undefined);
      if (link) await callUnary(link.runtime.unloadModel, link.runtime, { model: id }, link.metadata());
      r.state = ModelState.MODEL_STATE_UNLOADED;
    }
    this.#o.issued.revoke(id);
    return this.get(id);
  }

  /** After a child (re)start: loads every wanted model on the new child before it counts as ready. */
  async reloadAll(link: GrpcChildLink): Promise<void> {
    for (const r of this.#records.values()) {
      const manifest = this.#manifests.get(r.id);
      if (!r.wanted || !manifest) continue;
      r.state = ModelState.MODEL_STATE_LOADING;
      try {
        await this.#loadOn(link, r, manifest);
      } catch (err) {
        r.state = ModelState.MODEL_STATE_FAILED;
        r.lastError = `reload after child restart failed: ${(err as Error).message}`;
        this.#o.log.error({ model: r.id, err: r.lastError }, 'model reload failed');
      }
    }
  }

  /** The child went away: loaded models are waiting for the reload. */
  childLost(reason: string): void {
    for (const r of this.#records.values()) {
      if (r.state === ModelState.MODEL_STATE_READY) {
        r.state = ModelState.MODEL_STATE_LOADING;
        r.lastError = reason;
      }
    }
  }

  /** The lifecycle gave up (crash loop): models waiting for a reload are FAILED with the reason; they stay wanted. */
  childFailed(reason: string): void {
    for (const r of this.#records.values()) {
      if (r.wanted && r.state === ModelState.MODEL_STATE_LOADING) {
        r.state = ModelState.MODEL_STATE_FAILED;
        r.lastError = `the ML process is FAILED: ${reason}`;
      }
    }
  }

  /** Marks a model busy for one request (loading it on first use); returns the release function. */
  async acquire(id: string): Promise<() => void> {
    const r = this.#record(id);
    if (r.state !== ModelState.MODEL_STATE_READY) await this.load(id);
    r.inFlight += 1;
    r.lastUsedMs = Date.now();
    return () => {
      r.inFlight -= 1;
      r.lastUsedMs = Date.now();
      if (r.inFlight === 0 && keepAliveOf(r, this.#o.defaultKeepAliveSeconds) === 0) void this.unload(id).catch(() => undefined);
    };
  }

  #sweepKeepAlive(): void {
    const now = Date.now();
    for (const r of this.#records.values()) {
      const keep = keepAliveOf(r, this.#o.defaultKeepAliveSeconds);
      if (r.state !== ModelState.MODEL_STATE_READY || r.inFlight > 0 || keep < 0) continue;
      if (now - r.lastUsedMs >= keep * 1000) {
        this.#o.log.info({ model: r.id, keepAliveSeconds: keep }, 'keep-alive expired; unloading');
        void this.unload(r.id).catch((err: unknown) => this.#o.log.warn({ err: (err as Error).message }, 'unload failed'));
      }
    }
  }

  /** Stops timers. */
  close(): void {
    clearInterval(this.#sweeper);
  }
}
