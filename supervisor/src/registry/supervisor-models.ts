// SupervisorModels: the supervisor's memory of what is loaded where. Loads pull first, share one
// flight per model, place copies on the ML nodes by the model's replicas (placements.ts), evict LRU
// idle models over the limits, survive node restarts and losses (nodeReady / nodeLost), and unload
// idle models when their keep-alive runs out. It reaches the nodes only through ChildRuntime.
import { TabagentError, type Logger } from '@tabagent/common';
import type { LoadOptions } from '@tabagent/protos/v1/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import type { Clock } from '../child/clock.js';
import type { IssuedFiles } from '../files/issued-files.js';
import type { ModelStore } from '../store/store.js';
import type { CatalogEntry, LocalManifest, PullProgress, Task } from '../store/core/types.js';
import { keepAliveOf, newRecord, replicasOf, toModelView, type CacheFacts, type ModelRecord, type ModelStatus, type ModelView } from './model-record.js';
import { ModelCopies, type Lease } from './model-copies.js';
import { active } from './placements.js';
import { NodePlacement } from './node-placement.js';
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
  /** Most models loaded at once on one ML node (0 = no limit). */
  maxLoaded: number;
  /** Memory budget of the models loaded on one ML node (0 = no limit). */
  budgetBytes: number;
  /** How long a load waits for a ready child. */
  childWaitMs: number;
  /** Deadline of one load or unload call on the child. */
  callDeadlineMs?: number;
  /** Runs after every state change (health statuses follow it). */
  onChange?: () => void;
  /**
   * Outstanding requests per model and per node holding it ready, past which a new one is refused at
   * once (default: no bound): a model on three nodes queues three times as many.
   */
  queueSize?: number;
}

/** What a caller holds a model for: one request (bounded by the queue size) or a Track stream. */
export type AcquireKind = 'request' | 'stream';

export type { Lease } from './model-copies.js';

/** Retry hint of a request refused because its model's queue is full. */
const QUEUE_FULL_RETRY_MS = 200;

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
  /** Size in the cache of each model, counted against the per-node memory budget before it loads. */
  readonly #sizes = new Map<string, number>();
  readonly #stopSweeper: () => void;
  readonly #copies: ModelCopies;
  readonly #nodes: NodePlacement;

  constructor(opts: SupervisorModelsOptions) {
    this.#o = opts;
    this.#stopSweeper = opts.clock.every(1000, () => this.#sweepKeepAlive());
    this.#copies = new ModelCopies({
      child: opts.child, log: opts.log, now: () => opts.clock.now(), deadline: () => this.#deadline(),
      records: () => this.#records.values(), replicas: (r) => replicasOf(r, opts.store.entry(r.id)),
      transition: (r, to, patch) => this.#transition(r, to, patch),
    });
    this.#nodes = new NodePlacement({
      child: opts.child, copies: this.#copies, log: opts.log, childWaitMs: opts.childWaitMs,
      limits: { maxLoaded: opts.maxLoaded, budgetBytes: opts.budgetBytes },
      records: () => this.#records.values(), manifest: (id) => this.#manifests.get(id), size: (id) => this.#sizes.get(id) ?? 0,
      replicas: (r) => replicasOf(r, opts.store.entry(r.id)), loading: (id) => this.#loads.has(id), unload: (id) => this.unload(id),
    });
  }

  /** The one place a model changes state. */
  #transition(r: ModelRecord, to: ModelStatus, patch: Partial<Omit<ModelRecord, 'id' | 'state'>> = {}): void {
    Object.assign(r, patch);
    if (r.state === to && Object.keys(patch).length === 0) return;
    r.state = to;
    this.#o.onChange?.();
  }

  /** The record of an id or alias, keyed by the canonical id (NOT_FOUND for unknown names). */
  #record(name: string): ModelRecord {
    const id = this.#o.store.entry(name).id;
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
  async get(name: string): Promise<ModelView> {
    const entry = this.#o.store.entry(name);
    const manifest = await this.#o.store.manifest(entry.id).catch(() => undefined);
    return this.#view(this.#records.get(entry.id) ?? newRecord(entry.id), entry, manifest);
  }

  /** Models ready on some node, with the bytes of the files the nodes loaded them from (for metrics). */
  loadedFiles(): Array<{ id: string; bytes: number }> {
    const out: Array<{ id: string; bytes: number }> = [];
    for (const r of this.#records.values()) {
      const m = this.#manifests.get(r.id);
      if (r.state === 'ready' && m) out.push({ id: r.id, bytes: m.files.reduce((s, f) => s + f.size, 0) });
    }
    return out;
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
      await this.#o.store.pull(r.id, {
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
  load(name: string, options?: LoadOptions): Promise<ModelView> {
    const r = this.#record(name);
    if (options) r.options = options;
    return this.#start(r, true);
  }

  /** Starts (or joins) the load of a model; `evict`: make room on full nodes (else skip them). */
  #start(r: ModelRecord, evict: boolean): Promise<ModelView> {
    const pending = this.#loads.get(r.id);
    if (pending) return pending;
    if (r.state === 'ready' && this.#copies.targets(r).length === 0) return this.get(r.id);
    const p = this.#doLoad(r, evict).finally(() => this.#loads.delete(r.id));
    this.#loads.set(r.id, p);
    return p;
  }

  async #doLoad(r: ModelRecord, evict: boolean): Promise<ModelView> {
    r.wanted = true;
    try {
      await this.pull(r.id);
      const entry = this.#o.store.entry(r.id);
      const local = await this.#o.store.manifest(r.id);
      if (!local) throw new TabagentError('TA_ERR_MODEL_LOAD_FAILED', `model "${r.id}" vanished from the cache after pulling`);
      const manifest = buildRuntimeManifest(entry, local, r.options);
      this.#manifests.set(r.id, manifest);
      this.#o.issued.issue(r.id, manifest.files.map((f) => f.path));
      const size = cacheFacts(local).sizeBytes;
      this.#sizes.set(r.id, size);
      if (r.state !== 'ready') this.#transition(r, 'loading');
      const first = await this.#o.child.whenReady(this.#o.childWaitMs);
      const targets = this.#copies.targets(r);
      const runtimes = this.#o.child.ready().filter((c) => targets.includes(c.node));
      let chosen = runtimes.length > 0 ? runtimes : targets.length > 0 ? [first] : [];
      if (!evict) chosen = chosen.filter((c) => this.#nodes.fits(r, c.node, size));
      for (const c of chosen) await this.#nodes.makeRoom(r, c.node, size);
      const results = await Promise.allSettled(chosen.map((c) => this.#copies.loadOn(c, r, manifest)));
      const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      if (r.state !== 'ready' && failed) throw failed.reason;
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

  /** Unloads; the files stay cached. */
  async unload(name: string): Promise<ModelView> {
    const r = this.#record(name);
    const id = r.id;
    await this.#loads.get(id)?.catch(() => undefined);
    r.wanted = false;
    if (r.state === 'ready' || r.state === 'loading') {
      const up = new Map(this.#o.child.ready().map((c) => [c.node, c]));
      const held = [...r.placements.values()].filter((p) => active(p) || p.state === 'draining').map((p) => up.get(p.node)).filter((c) => c !== undefined);
      if (held.length === 0 && up.size === 0) await this.#o.child.whenReady(this.#o.childWaitMs).catch(() => undefined);
      await Promise.all(held.map((c) => c.unload(id, this.#deadline())));
      r.placements.clear();
      this.#transition(r, 'unloaded');
    }
    this.#o.issued.revoke(id);
    return this.get(id);
  }

  /** A node (re)started and is about to count as ready: it gets back the models it held, and those short of replicas. */
  reloadAll(child: ChildRuntime): Promise<void> {
    return this.#nodes.reloadAll(child);
  }

  /**
   * Tops up every wanted model's replicas on the ready nodes (after a node joined or left): a model
   * with no ready copy makes room where it goes; one that is ready only goes where it fits. Then
   * trims the copies past the replicas.
   */
  rebalance(): void {
    for (const r of this.#records.values()) {
      if (!r.wanted || this.#loads.has(r.id) || !this.#manifests.has(r.id) || this.#copies.targets(r).length === 0) continue;
      void this.#start(r, r.state !== 'ready').catch((err: unknown) => this.#o.log.warn({ model: r.id, err: (err as Error).message }, 'placing a replica failed'));
    }
    this.trimSurplus();
  }

  /** Retires copies past a model's replicas (unloaded once their running calls finish). Runs every second too. */
  trimSurplus(): void {
    this.#nodes.trimSurplus();
  }

  /** A node (all nodes when undefined) went away: its copies wait for it to return (or go elsewhere). */
  childLost(reason: string, node?: string): void {
    this.#copies.lost(reason, node);
  }

  /** A node left the endpoint list: its copies are forgotten. */
  nodeRemoved(node: string): void {
    this.#copies.removed(node);
  }

  /** A node's lifecycle gave up (crash loop): copies waiting for it are FAILED with the reason; models stay wanted. */
  childFailed(reason: string, node?: string): void {
    this.#copies.failed(reason, node);
  }

  /**
   * Marks a model busy for one request or stream (loading it on first use); returns the release
   * function. A request past the model's queue size is refused at once with RESOURCE_EXHAUSTED.
   */
  async acquire(name: string, kind: AcquireKind = 'request'): Promise<() => void> {
    const r = this.#record(name);
    const id = r.id;
    const counted = kind === 'request';
    if (counted) this.#admit(r);
    try {
      if (r.state !== 'ready') await this.load(id);
    } catch (err) {
      if (counted) r.requests -= 1;
      throw err;
    }
    r.inFlight += 1;
    r.lastUsedMs = this.#o.clock.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      r.inFlight -= 1;
      if (counted) r.requests -= 1;
      r.lastUsedMs = this.#o.clock.now();
      if (r.inFlight === 0 && keepAliveOf(r, this.#o.defaultKeepAliveSeconds) === 0) void this.unload(id).catch(() => undefined);
    };
  }

  /** Counts a request against its model's queue, or refuses it when the queue is full. */
  #admit(r: ModelRecord): void {
    const perNode = this.#o.queueSize ?? Infinity;
    const nodes = Math.max(1, this.#copies.readyCopies(r));
    if (r.requests >= perNode * nodes) {
      const size = nodes > 1 ? `--queue-size ${perNode} per node × ${nodes} nodes holding it` : `--queue-size ${perNode}`;
      throw new TabagentError('TA_ERR_RESOURCE_EXHAUSTED', `model "${r.id}" has ${r.requests} requests outstanding, its queue size (${size}); retry later`, {
        field: 'model', retryAfterMs: QUEUE_FULL_RETRY_MS,
      });
    }
    r.requests += 1;
  }

  /**
   * A call's roles with every model named by its canonical id (the one place a client's alias is
   * resolved for inference); NOT_FOUND names an unknown model. Empty roles stay empty.
   */
  resolveRoles(roles: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(roles).map(([role, name]) => [role, name ? this.#o.store.entry(name).id : name]));
  }

  /** Acquires every distinct model of a call's roles; on a failure releases what it took. */
  async acquireAll(roles: Readonly<Record<string, string>>, kind: AcquireKind = 'request'): Promise<() => void> {
    const releases: Array<() => void> = [];
    try {
      for (const id of new Set(Object.values(this.resolveRoles(roles)).filter(Boolean))) releases.push(await this.acquire(id, kind));
    } catch (err) {
      for (const r of releases) r();
      throw err;
    }
    return () => releases.forEach((r) => r());
  }

  /**
   * Holds every model of a call (as acquireAll) on one node that has them all ready: the least busy
   * such node, other than `avoid` (the node a call just lost) when another holds them. When no ready
   * node holds them all, the missing models are loaded on the node holding most of them. The lease
   * carries the roles by canonical id, for the child.
   */
  async lease(named: Readonly<Record<string, string>>, kind: AcquireKind = 'request', avoid?: string): Promise<Lease & { roles: Record<string, string> }> {
    const roles = this.resolveRoles(named);
    const release = await this.acquireAll(roles, kind);
    try {
      const recs = [...new Set(Object.values(roles).filter(Boolean))].map((id) => this.#record(id));
      return { ...(await this.#nodes.lease(recs, release, avoid)), roles };
    } catch (err) {
      release();
      throw err;
    }
  }

  #sweepKeepAlive(): void {
    this.trimSurplus();
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
