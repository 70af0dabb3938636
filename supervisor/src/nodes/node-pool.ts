// The ML nodes of a supervisor: one MlNode (and link) per node address, added and removed as the
// endpoint list changes. It is the registry's view of the nodes (ChildRuntimeAccess: the ready
// runtimes, and a wait for the first one) and the forwarding layer's map from node id to link.
// Events: "node-state" (id, NodeState, lifecycle state), "node-ready" (id), "node-exit" (id, reason),
// "node-failed" (id, reason), "node-removed" (id).
import { EventEmitter } from 'node:events';
import { TabagentError, type Logger } from '@tabagent/common';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import type { GrpcChildLink } from '../child/child-link.js';
import type { ChildSupervisor } from '../child/child-supervisor.js';
import { MlNode } from './ml-node.js';

/** Options of NodePool. */
export interface NodePoolOptions {
  /** Builds a node's lifecycle; `onReady` must run after the node is SERVING, before it counts as ready. */
  build(id: string, onReady: (link: GrpcChildLink) => Promise<void>): ChildSupervisor<GrpcChildLink>;
  /** Runs for a node that is SERVING (reloads its models) before it counts as ready. */
  onNodeReady(runtime: ChildRuntime): Promise<void>;
  log: Logger;
}

/** Grace of a removed node's detach. */
const LEAVE_GRACE_MS = 1_000;

export class NodePool extends EventEmitter implements ChildRuntimeAccess {
  readonly #o: NodePoolOptions;
  readonly #nodes = new Map<string, MlNode>();
  #stopped = false;

  constructor(opts: NodePoolOptions) {
    super();
    this.#o = opts;
  }

  /** Every node, in id order. */
  nodes(): MlNode[] {
    return [...this.#nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): MlNode | undefined {
    return this.#nodes.get(id);
  }

  /** The ready link of a node. */
  link(id: string): GrpcChildLink | undefined {
    return this.#nodes.get(id)?.lifecycle.link;
  }

  anyUp(): boolean {
    return this.nodes().some((n) => n.state === 'up');
  }

  ready(): ChildRuntime[] {
    return this.nodes().filter((n) => n.state === 'up').map((n) => n.runtime()).filter((r) => r !== undefined);
  }

  /** Adds the nodes that are new and removes the ones that are gone from the list. */
  setAddresses(ids: readonly string[]): void {
    if (this.#stopped) return;
    for (const id of ids) if (!this.#nodes.has(id)) this.add(id);
    for (const id of [...this.#nodes.keys()]) if (!ids.includes(id)) void this.remove(id);
  }

  /** Starts a node. */
  add(id: string): MlNode {
    const node: MlNode = new MlNode(id, this.#o.build(id, async (link) => {
      const rt = node.runtime(link);
      if (rt) await this.#o.onNodeReady(rt);
    }));
    this.#nodes.set(id, node);
    const lc = node.lifecycle;
    lc.on('state', (s: string) => {
      this.emit('node-state', id, node.state, s);
      if (s === 'failed') this.emit('node-failed', id, lc.lastError);
    });
    lc.on('ready', () => this.emit('node-ready', id));
    lc.on('exit', () => this.emit('node-exit', id, lc.lastError));
    this.#o.log.info({ node: id }, 'ML node added');
    lc.start();
    return node;
  }

  /** Detaches a node and forgets it. */
  async remove(id: string): Promise<void> {
    const node = this.#nodes.get(id);
    if (!node) return;
    this.#nodes.delete(id);
    this.#o.log.info({ node: id }, 'ML node removed');
    this.emit('node-removed', id);
    await node.leave(LEAVE_GRACE_MS);
  }

  /** A ready node's runtime; waits up to timeoutMs; rejects as soon as every node is FAILED. */
  async whenReady(timeoutMs: number): Promise<ChildRuntime> {
    const up = this.ready()[0];
    if (up) return up;
    if (this.#stopped) throw new TabagentError('TA_ERR_SHUTTING_DOWN', 'the server is shutting down');
    const nodes = this.nodes();
    if (nodes.length === 0) return this.#whenAdded(timeoutMs);
    try {
      return await Promise.any(nodes.map(async (n) => {
        const link = await n.lifecycle.whenReady(timeoutMs);
        const rt = n.runtime(link);
        if (!rt) throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `ML node ${n.id} was lost`, { retryAfterMs: 500 });
        return rt;
      }));
    } catch (err) {
      throw err instanceof AggregateError ? err.errors[0] : err;
    }
  }

  #whenAdded(timeoutMs: number): Promise<ChildRuntime> {
    return new Promise((resolve, reject) => {
      const onReady = (id: string): void => {
        const rt = this.#nodes.get(id)?.runtime();
        if (!rt) return;
        clearTimeout(t);
        this.off('node-ready', onReady);
        resolve(rt);
      };
      const t = setTimeout(() => {
        this.off('node-ready', onReady);
        reject(new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `no ML node is known yet (endpoints resolved to none); none ready within ${timeoutMs} ms`, { retryAfterMs: 1000 }));
      }, Math.max(0, timeoutMs));
      this.on('node-ready', onReady);
    });
  }

  /** Stops every node. */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.nodes().map((n) => n.lifecycle.stop(graceMs)));
  }
}
