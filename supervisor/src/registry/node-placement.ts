// The per-node side of the model registry: the limits of one node (max loaded models and memory
// budget, each per node: a load makes room on the node it goes to by evicting that node's least
// recently used idle copies), a returning node's reload, trimming copies past a model's replicas,
// and finding (or making) the node that serves a call.
import { TabagentError, type Logger } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import { fitsWithout, nodeCopies, pickEvictions, type EvictionLimits } from './eviction.js';
import type { ModelCopies, Lease } from './model-copies.js';
import type { ModelRecord } from './model-record.js';
import { active, loadTarget, pickNode } from './placements.js';

/** Attempts of a lease to find or make a node that holds all of a call's models. */
const LEASE_ATTEMPTS = 3;

/** What NodePlacement needs from the registry. */
export interface NodePlacementDeps {
  readonly child: ChildRuntimeAccess;
  readonly copies: ModelCopies;
  readonly log: Logger;
  readonly limits: EvictionLimits;
  readonly childWaitMs: number;
  records(): Iterable<ModelRecord>;
  /** The runtime manifest of a model loaded before (undefined: never loaded). */
  manifest(id: string): ModelManifest | undefined;
  /** A model's size in the cache (what it counts against a node's budget before it loads). */
  size(id: string): number;
  replicas(r: ModelRecord): number;
  /** Whether a load of the model is in progress. */
  loading(id: string): boolean;
  /** Unloads a model everywhere (its last copy was evicted). */
  unload(id: string): Promise<unknown>;
}

export class NodePlacement {
  readonly #d: NodePlacementDeps;

  constructor(deps: NodePlacementDeps) {
    this.#d = deps;
  }

  /** Whether one more copy of `r` fits on `node` without evicting anything. */
  fits(r: ModelRecord, node: string, bytes: number): boolean {
    return fitsWithout(nodeCopies(this.#d.records(), node), r.id, bytes, this.#d.limits);
  }

  /**
   * Unloads the least recently used idle models on `node` so one more of `bytes` fits there. A model
   * with copies on other nodes loses only this copy; the models of `keep` (the call's) stay, and so do
   * models with a load in progress (two loads never wait for each other's eviction).
   */
  async makeRoom(r: ModelRecord, node: string, bytes: number, keep: ReadonlySet<string> = new Set()): Promise<void> {
    const pinned = (id: string): boolean => keep.has(id) || (id !== r.id && this.#d.loading(id));
    const held = nodeCopies(this.#d.records(), node).map((c) => (pinned(c.id) ? { ...c, inFlight: c.inFlight + 1 } : c));
    const byId = new Map([...this.#d.records()].map((x) => [x.id, x]));
    for (const id of pickEvictions(held, r.id, bytes, this.#d.limits)) {
      const victim = byId.get(id);
      if (!victim) continue;
      this.#d.log.info({ model: id, node, for: r.id }, 'evicting least recently used model');
      if ([...victim.placements.values()].some((p) => p.node !== node && active(p))) await this.#d.copies.drop(victim, node, `room for "${r.id}"`);
      else await this.#d.unload(id);
    }
  }

  /**
   * A node (re)started and is about to count as ready: loads on it every wanted model that it held
   * before (a copy being retired excepted), that asks for every node, or whose replicas are short.
   */
  async reloadAll(child: ChildRuntime): Promise<void> {
    for (const r of this.#d.records()) {
      const manifest = this.#d.manifest(r.id);
      if (!r.wanted || !manifest) continue;
      const replicas = this.#d.replicas(r);
      const others = [...r.placements.values()].filter((p) => p.node !== child.node && active(p)).length;
      const held = r.placements.get(child.node);
      if ((!held || held.state === 'draining') && replicas !== 0 && others >= replicas) continue;
      try {
        await this.#d.copies.loadOn(child, r, manifest, 'reload after child restart failed: ');
      } catch {
        this.#d.log.error({ model: r.id, node: child.node, err: r.placements.get(child.node)?.lastError }, 'model reload failed');
      }
    }
  }

  /**
   * Retires the copies a model has past its replicas (a node came back and got its models while
   * their copies had moved elsewhere, or the replicas went down): least busy node first, newest copy
   * first. A retired copy takes no new call and is unloaded once its running calls have finished.
   */
  trimSurplus(): void {
    for (const r of this.#d.records()) {
      if (!r.wanted || r.state !== 'ready' || this.#d.loading(r.id)) continue;
      for (const node of this.#d.copies.surplus(r)) {
        void this.#d.copies.drain(r, node, `more copies than its replicas (${this.#d.replicas(r)})`)
          .catch((err: unknown) => this.#d.log.warn({ model: r.id, node, err: (err as Error).message }, 'unloading a surplus copy failed'));
      }
    }
    this.#d.copies.finishDrains();
  }

  /**
   * Holds the models `recs` of a call on one node that has them all ready: the least busy such node,
   * other than `avoid` (the node a call just lost) when another holds them. When no ready node holds
   * them all, the missing models are loaded (making room) on the node holding most of them.
   */
  async lease(recs: readonly ModelRecord[], releaseModels: () => void, avoid?: string): Promise<Lease> {
    const keep = new Set(recs.map((r) => r.id));
    for (let attempt = 1; ; attempt++) {
      const up = this.#d.child.ready();
      const names = up.map((c) => c.node);
      const copies = recs.map((r) => r.placements);
      const node = pickNode(names, copies, this.#d.copies.load, avoid);
      if (node !== undefined) return this.#d.copies.hold(node, recs, releaseModels);
      if (attempt >= LEASE_ATTEMPTS) {
        throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `no ready ML node holds ${recs.map((r) => `"${r.id}"`).join(', ')}`, { retryAfterMs: 500 });
      }
      const target = up.find((c) => c.node === loadTarget(names, copies, this.#d.copies.load, avoid));
      if (!target) {
        await this.#d.child.whenReady(this.#d.childWaitMs);
        continue;
      }
      const missing = recs.filter((r) => r.placements.get(target.node)?.state !== 'ready');
      for (const r of missing) await this.makeRoom(r, target.node, this.#d.size(r.id), keep);
      await Promise.all(missing.map((r) => {
        const manifest = this.#d.manifest(r.id);
        if (!manifest) throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `model "${r.id}" is not loaded`, { retryAfterMs: 500 });
        return this.#d.copies.loadOn(target, r, manifest);
      }));
    }
  }
}
