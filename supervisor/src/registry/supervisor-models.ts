// SupervisorModels: the supervisor's memory of what is loaded where. Loads pull first, share one
// flight per model, evict LRU idle models over the limits, survive child restarts (reloadAll), and
// unload idle models when their keep-alive runs out. It reaches the child only through ChildRuntime.
import { TabagentError, type Logger } from '@tabagent/common';
import type { LoadOptions } from '@tabagent/protos/v1/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import type { Clock } from '../child/clock.js';
import type { IssuedFiles } from '../files/issued-files.js';
import type { ModelStore } from '../store/store.js';
import type { CatalogEntry, LocalManifest, PullProgress, Task } from '../store/core/types.js';
import { pickEvictions } from './eviction.js';
import { keepAliveOf, newRecord, toModelView, type CacheFacts, type ModelRecord, type ModelStatus, type ModelView } from './model-record.js';
import { buildRuntimeManifest } from './runtime-manifest.js';
import { toStoreError } from './store-errors.js';

/** The part of the model store the registry uses. */
export type ModelCache = Pick<ModelStore, 'entry' | 'list' | 'manifest' | 'pull'>;

/** Options of SupervisorModels. */
export interface SupervisorModelsOptions {
  store: ModelCache;
  child: ChildRuntimeAccess;
  issued: Pick<IssuedFiles, 'issue' | 'revoke'>;
  log: Logger;
  clock: Pick<Clock, 'now' | 'every'>;
  defaultKeepAliveSeconds: number;
  maxLoaded: number;
  budgetBytes: number;
  /** How long a load waits for a ready child. */
  childWaitMs: number;
  /** Deadline of one load or unload call on the child. */
  callDeadlineMs?: number;
  /** Runs after every state change (health statuses follow it). */
  onChange?: () => void;
}

const CHILD_DOWN = new Set(['TA_ERR_CHILD_FAILED', 'TA_ERR_CHILD_UNAVAILABLE']);

function cacheFacts(manifest: LocalManifest | undefined): CacheFacts {
  if (!manifest) return { cached: false, sizeBytes: 0 };
  return { cached: true, sizeBytes: [...manifest.files, ...manifest.converted].reduce((s, f) => s + f.size, 0) };
}

/** The supervisor's model table (distinct from the ML child's own registry of loaded sessions). */
export class SupervisorModels {
  readonly #o: SupervisorModelsOptions;
  readonly #records = new Map<string, ModelRecord>();
  readonly #loads = new Map<string, Promise<ModelView>>();
  readonly #manifests = new Map<string, ModelManifest>();
  readonly #stopSweeper: () => void;

  constructor(opts: SupervisorModelsOptions) {
    this.#o = opts;
    this.#stopSweeper = opts.clock.every(1000, () => this.#sweepKeepAlive());
  }

  /** The one place a model changes state. */
  #transition(r: ModelRecord, to: ModelStatus, patch: Partial<Omit<ModelRecord, 'id' | 'state'>> = {}): void {
    Object.assign(r, patch);
    if (r.state === to && Object.keys(patch).length === 0) return;
    r.state = to;
    this.#o.onChange?.();
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

  #view(r: ModelRecord, entry: CatalogEntry, manifest: LocalManifest | undefined): ModelView {
    return toModelView(r, entry, cacheFacts(manifest), this.#o.defaultKeepAliveSeconds);
  }

  /** Every catalog model with its state (changes nothing). */
  async list(loadedOnly = false): Promise<ModelView[]> {
    const out: ModelView[] = [];
    for (const { entry, manifest } of await this.#o.store.list()) {
      const v = this.#view(this.#records.get(entry.id) ?? newRecord(entry.id), entry, manifest);
      if (!loadedOnly || v.state === 'ready') out.push(v);
    }
    return out;
  }

  /** One model (changes nothing). */
  async get(id: string): Promise<ModelView> {
    const entry = this.#o.store.entry(id);
    const manifest = await this.#o.store.manifest(id).catch(() => undefined);
    return this.#view(this.#records.get(id) ?? newRecord(id), entry, manifest);
  }

  /** Tasks that have a wanted model FAILED (their capability is not serving). */
  failedTasks(): Set<Task> {
    const out = new Set<Task>();
    for (const r of this.#records.values()) if (r.wanted && r.state === 'failed') out.add(this.#o.store.entry(r.id).task);
    return out;
  }

  /** Pulls into the cache, tracking pulling/converting on the record. */
  async pull(id: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const r = this.#record(id);
    const busy = r.state === 'ready' || r.state === 'loading';
    try {
      await this.#o.store.pull(id, {
        signal,
        onProgress: (p) => {
          if (!busy) this.#transition(r, p.stage === 'converting' ? 'converting' : 'pulling');
          onProgress?.(p);
        },
      });
      if (!busy) this.#transition(r, 'pulled');
    } catch (err) {
      const e = toStoreError(err);
      if (!busy && e.code !== 'TA_ERR_CANCELLED') this.#transition(r, 'failed', { lastError: e.message });
      throw e;
    }
  }

  /** Loads (pulling first); concurrent loads of one model share the same work. */
  load(id: string, options?: LoadOptions): Promise<ModelView> {
    const r = this.#record(id);
    if (options) r.options = options;
    const pending = this.#loads.get(id);
    if (pending) return pending;
    if (r.state === 'ready') return this.get(id);
    const p = this.#doLoad(r).finally(() => this.#loads.delete(id));
    this.#loads.set(id, p);
    return p;
  }

  async #doLoad(r: ModelRecord): Promise<ModelView> {
    r.wanted = true;
    try {
      await this.pull(r.id);
      const entry = this.#o.store.entry(r.id);
      const local = await this.#o.store.manifest(r.id);
      if (!local) throw new TabagentError('TA_ERR_MODEL_LOAD_FAILED', `model "${r.id}" vanished from the cache after pulling`);
      const manifest = buildRuntimeManifest(entry, local, r.options);
      this.#manifests.set(r.id, manifest);
      this.#o.issued.issue(r.id, manifest.files.map((f) => f.path));
      await this.#evictFor(r, cacheFacts(local).sizeBytes);
      this.#transition(r, 'loading');
      await this.#loadOn(await this.#o.child.whenReady(this.#o.childWaitMs), r, manifest);
    } catch (err) {
      if (r.state !== 'ready') {
        // A model that failed because no ML process was ready stays wanted: the next child loads it.
        const wanted = CHILD_DOWN.has(String((err as { code?: unknown }).code));
        this.#transition(r, 'failed', { lastError: (err as Error).message, wanted });
      }
      throw err;
    }
    return this.get(r.id);
  }

  #deadline(): Date {
    return new Date(this.#o.clock.now() + (this.#o.callDeadlineMs ?? 10 * 60_000));
  }

  async #loadOn(child: ChildRuntime, r: ModelRecord, manifest: ModelManifest): Promise<void> {
    const res = await child.load(manifest, this.#deadline());
    const now = this.#o.clock.now();
    this.#transition(r, 'ready', {
      lastError: '', warnings: res.warnings, provider: res.executionProvider, device: res.device,
      memoryBytes: Math.max(0, res.rssAfter - res.rssBefore), loadedAtMs: now, lastUsedMs: now, childPid: child.pid,
    });
    this.#o.log.info({ model: r.id, provider: res.executionProvider, ms: Math.round(res.loadMs) }, 'model ready');
  }

  async #evictFor(r: ModelRecord, incomingBytes: number): Promise<void> {
    const loaded = [...this.#records.values()].filter((x) => x.state === 'ready');
    const ids = pickEvictions(loaded, r.id, incomingBytes, { maxLoaded: this.#o.maxLoaded, budgetBytes: this.#o.budgetBytes });
    for (const id of ids) {
      this.#o.log.info({ model: id, for: r.id }, 'evicting least recently used model');
      await this.unload(id);
    }
  }

  /** Unloads; the files stay cached. */
  async unload(id: string): Promise<ModelView> {
    const r = this.#record(id);
    await this.#loads.get(id)?.catch(() => undefined);
    r.wanted = false;
    if (r.state === 'ready' || r.state === 'loading') {
      const child = await this.#o.child.whenReady(this.#o.childWaitMs).catch(() => undefined);
      if (child) await child.unload(id, this.#deadline());
      this.#transition(r, 'unloaded');
    }
    this.#o.issued.revoke(id);
    return this.get(id);
  }

  /** After a child (re)start: loads every wanted model on the new child before it counts as ready. */
  async reloadAll(child: ChildRuntime): Promise<void> {
    for (const r of this.#records.values()) {
      const manifest = this.#manifests.get(r.id);
      if (!r.wanted || !manifest) continue;
      this.#transition(r, 'loading');
      try {
        await this.#loadOn(child, r, manifest);
      } catch (err) {
        this.#transition(r, 'failed', { lastError: `reload after child restart failed: ${(err as Error).message}` });
        this.#o.log.error({ model: r.id, err: r.lastError }, 'model reload failed');
      }
    }
  }

  /** The child went away: loaded models are waiting for the reload. */
  childLost(reason: string): void {
    for (const r of this.#records.values()) if (r.state === 'ready') this.#transition(r, 'loading', { lastError: reason });
  }

  /** The lifecycle gave up (crash loop): models waiting for a reload are FAILED with the reason; they stay wanted. */
  childFailed(reason: string): void {
    for (const r of this.#records.values()) {
      if (r.wanted && r.state === 'loading') this.#transition(r, 'failed', { lastError: `the ML process is FAILED: ${reason}` });
    }
  }

  /** Marks a model busy for one request (loading it on first use); returns the release function. */
  async acquire(id: string): Promise<() => void> {
    const r = this.#record(id);
    if (r.state !== 'ready') await this.load(id);
    r.inFlight += 1;
    r.lastUsedMs = this.#o.clock.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      r.inFlight -= 1;
      r.lastUsedMs = this.#o.clock.now();
      if (r.inFlight === 0 && keepAliveOf(r, this.#o.defaultKeepAliveSeconds) === 0) void this.unload(id).catch(() => undefined);
    };
  }

  /** Acquires every distinct model of a call's roles; on a failure releases what it took. */
  async acquireAll(roles: Readonly<Record<string, string>>): Promise<() => void> {
    const releases: Array<() => void> = [];
    try {
      for (const id of new Set(Object.values(roles).filter(Boolean))) releases.push(await this.acquire(id));
    } catch (err) {
      for (const r of releases) r();
      throw err;
    }
    return () => releases.forEach((r) => r());
  }

  #sweepKeepAlive(): void {
    const now = this.#o.clock.now();
    for (const r of this.#records.values()) {
      const keep = keepAliveOf(r, this.#o.defaultKeepAliveSeconds);
      if (r.state !== 'ready' || r.inFlight > 0 || keep < 0) continue;
      if (now - r.lastUsedMs >= keep * 1000) {
        this.#o.log.info({ model: r.id, keepAliveSeconds: keep }, 'keep-alive expired; unloading');
        void this.unload(r.id).catch((err: unknown) => this.#o.log.warn({ err: (err as Error).message }, 'unload failed'));
      }
    }
  }

  /** Stops timers. */
  close(): void {
    this.#stopSweeper();
  }
}
