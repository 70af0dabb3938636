// The copies of the models on the ML nodes, owned by SupervisorModels: each copy's state (and the
// model's state that follows from its copies), loading a copy on a node, the calls running per node,
// and what happens to copies when a node is lost, leaves or fails.
import type { Logger } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import type { ModelRecord, ModelStatus } from './model-record.js';
import { active, aggregate, newPlacement, placementTargets, surplusCopies, type NodeLoad, type Placement } from './placements.js';

/** A call's hold on its models on one node. */
export interface Lease {
  /** The node that holds every model of the call, ready. */
  readonly node: string;
  /** Gives the models back (idempotent). */
  release(): void;
}

/** What the copies need from the registry. */
export interface ModelCopiesDeps {
  readonly child: ChildRuntimeAccess;
  readonly log: Logger;
  now(): number;
  /** Deadline of one load call on a node. */
  deadline(): Date;
  records(): Iterable<ModelRecord>;
  /** The model's replicas (0 = every node). */
  replicas(r: ModelRecord): number;
  /** The registry's one place of model state changes. */
  transition(r: ModelRecord, to: ModelStatus, patch: Partial<Omit<ModelRecord, 'id' | 'state'>>): void;
}

export class ModelCopies {
  readonly #d: ModelCopiesDeps;
  /** Requests and streams running per node. */
  readonly #busy = new Map<string, number>();
  readonly load: NodeLoad = {
    models: (n) => [...this.#d.records()].filter((r) => active(r.placements.get(n))).length,
    busy: (n) => this.#busy.get(n) ?? 0,
  };

  constructor(deps: ModelCopiesDeps) {
    this.#d = deps;
  }

  /** Sets one copy's state, then the model's state from all its copies. */
  place(r: ModelRecord, node: string, patch: Partial<Omit<Placement, 'node'>>): void {
    let p = r.placements.get(node);
    if (!p) {
      p = newPlacement(node);
      r.placements.set(node, p);
    }
    Object.assign(p, patch);
    this.settle(r);
  }

  /** The model's state follows its copies: ready when one is (showing the oldest ready copy). */
  settle(r: ModelRecord): void {
    const p = aggregate(r.placements.values());
    if (!p) return;
    if (p.state === 'ready') {
      const wasReady = r.state === 'ready';
      this.#d.transition(r, 'ready', {
        lastError: '', warnings: p.warnings, provider: p.provider, device: p.device, memoryBytes: p.memoryBytes,
        loadedAtMs: p.loadedAtMs, childPid: p.pid, ...(wasReady ? {} : { lastUsedMs: this.#d.now() }),
      });
    } else if (r.state !== 'unloaded') {
      this.#d.transition(r, p.state === 'failed' ? 'failed' : 'loading', { lastError: p.lastError });
    }
  }

  /** Up nodes that should get a new copy of the model (its replicas not met). */
  targets(r: ModelRecord): string[] {
    const up = this.#d.child.ready().map((c) => c.node);
    return placementTargets(up, r.placements, this.#d.replicas(r), this.load);
  }

  /** Up nodes holding a ready copy of the model. */
  readyCopies(r: ModelRecord): number {
    return this.#d.child.ready().filter((c) => r.placements.get(c.node)?.state === 'ready').length;
  }

  /** Nodes holding a surplus copy (more ready copies than the replicas), least busy then newest first. */
  surplus(r: ModelRecord): string[] {
    return surplusCopies(this.#d.child.ready().map((c) => c.node), r.placements, this.#d.replicas(r), this.load);
  }

  /**
   * Retires a surplus copy without dropping a call: it takes no new call from now on (DRAINING) and
   * is unloaded as soon as the calls running on it have finished (at once when there are none).
   */
  async drain(r: ModelRecord, node: string, why: string): Promise<void> {
    const p = r.placements.get(node);
    if (p?.state !== 'ready') return;
    this.place(r, node, { state: 'draining' });
    this.#d.log.info({ model: r.id, node, why, inFlight: p.inFlight }, 'retiring one copy');
    if (p.inFlight === 0) await this.drop(r, node, why);
  }

  /** Unloads the draining copies whose calls have all finished. */
  finishDrains(): void {
    for (const r of this.#d.records()) {
      for (const p of [...r.placements.values()]) {
        if (p.state !== 'draining' || p.inFlight > 0) continue;
        void this.drop(r, p.node, 'its last call finished')
          .catch((err: unknown) => this.#d.log.warn({ model: r.id, node: p.node, err: (err as Error).message }, 'unloading a retired copy failed'));
      }
    }
  }

  /**
   * Unloads one copy: it leaves the routing at once (no new call is leased to it; callers pick only
   * copies with no call running), then its node unloads it. The model keeps its other copies.
   */
  async drop(r: ModelRecord, node: string, why: string): Promise<void> {
    if (!r.placements.delete(node)) return;
    this.settle(r);
    this.#d.log.info({ model: r.id, node, why }, 'unloading one copy');
    await this.#d.child.ready().find((c) => c.node === node)?.unload(r.id, this.#d.deadline());
  }

  async loadOn(child: ChildRuntime, r: ModelRecord, manifest: ModelManifest, errorPrefix = ''): Promise<void> {
    this.place(r, child.node, { state: 'loading', lastError: '' });
    let res;
    try {
      res = await child.load(manifest, this.#d.deadline());
    } catch (err) {
      this.place(r, child.node, { state: 'failed', lastError: `${errorPrefix}${(err as Error).message}` });
      throw err;
    }
    if (r.placements.get(child.node)?.state !== 'loading') return; // unloaded or lost meanwhile
    this.place(r, child.node, {
      state: 'ready', lastError: '', warnings: res.warnings, provider: res.executionProvider, device: res.device,
      memoryBytes: Math.max(0, res.rssAfter - res.rssBefore), loadedAtMs: this.#d.now(), pid: child.pid, routed: 0,
    });
    this.#d.log.info({ model: r.id, node: child.node, provider: res.executionProvider, ms: Math.round(res.loadMs) }, 'model ready');
  }

  /** A node (all nodes when undefined) went away: its copies wait for it to return (or go elsewhere). */
  lost(reason: string, node?: string): void {
    for (const r of this.#d.records()) {
      for (const p of r.placements.values()) {
        if ((node === undefined || p.node === node) && active(p)) this.place(r, p.node, { state: 'lost', lastError: reason });
      }
    }
  }

  /** A node left the endpoint list: its copies are forgotten. */
  removed(node: string): void {
    for (const r of this.#d.records()) {
      if (!r.placements.delete(node)) continue;
      if (r.placements.size === 0 && (r.state === 'ready' || r.state === 'loading')) this.#d.transition(r, 'loading', { lastError: `its ML node ${node} left` });
      else this.settle(r);
    }
  }

  /** A node's lifecycle gave up (crash loop): copies waiting for it are FAILED with the reason; models stay wanted. */
  failed(reason: string, node?: string): void {
    for (const r of this.#d.records()) {
      if (!r.wanted) continue;
      for (const p of r.placements.values()) {
        if ((node === undefined || p.node === node) && (p.state === 'lost' || p.state === 'loading')) {
          this.place(r, p.node, { state: 'failed', lastError: `the ML process is FAILED: ${reason}` });
        }
      }
    }
  }

  hold(node: string, recs: readonly ModelRecord[], releaseModels: () => void): Lease {
    const copies = recs.map((r) => r.placements.get(node)).filter((p) => p !== undefined);
    this.#busy.set(node, (this.#busy.get(node) ?? 0) + 1);
    for (const p of copies) {
      p.inFlight += 1;
      p.routed += 1;
    }
    let released = false;
    return {
      node,
      release: () => {
        if (released) return;
        released = true;
        this.#busy.set(node, (this.#busy.get(node) ?? 1) - 1);
        for (const p of copies) p.inFlight = Math.max(0, p.inFlight - 1);
        if (copies.some((p) => p.state === 'draining' && p.inFlight === 0)) this.finishDrains();
        releaseModels();
      },
    };
  }
}
