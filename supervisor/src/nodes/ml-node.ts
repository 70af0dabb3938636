// One ML node as the supervisor sees it: the lifecycle of its link (a spawned child, or an ML service
// elsewhere that is reconnected with backoff) behind a small set of named states.
//   joining ──SERVING + models reloaded──▶ up ──lost──▶ down ──reconnected──▶ up
//   joining/down ──crash loop──▶ failed ──retry──▶ joining;   any ──removed──▶ leaving ──▶ gone
import { LinkChildRuntime, type ChildRuntime } from '../child/child-runtime.js';
import type { GrpcChildLink } from '../child/child-link.js';
import type { ChildState, ChildSupervisor } from '../child/child-supervisor.js';

/** Named states of a node. */
export type NodeState = 'joining' | 'up' | 'down' | 'failed' | 'leaving' | 'gone';

/** One node: its id (address, or "local") and its link's lifecycle. */
export class MlNode {
  readonly id: string;
  readonly lifecycle: ChildSupervisor<GrpcChildLink>;
  #wasUp = false;
  #leaving = false;

  constructor(id: string, lifecycle: ChildSupervisor<GrpcChildLink>) {
    this.id = id;
    this.lifecycle = lifecycle;
    lifecycle.on('ready', () => (this.#wasUp = true));
  }

  get state(): NodeState {
    return nodeState(this.lifecycle.state, this.#wasUp, this.#leaving);
  }

  /** The runtime of this node over `link` (the ready link unless given). */
  runtime(link = this.lifecycle.link): ChildRuntime | undefined {
    return link ? new LinkChildRuntime(link, this.lifecycle.child?.pid ?? 0, this.id) : undefined;
  }

  /** Leaves for good: stops the lifecycle (an attached node's process is not touched). */
  async leave(graceMs: number): Promise<void> {
    this.#leaving = true;
    await this.lifecycle.stop(graceMs);
  }
}

/** The node state of a lifecycle state. */
export function nodeState(s: ChildState, wasUp: boolean, leaving: boolean): NodeState {
  if (s === 'stopped') return 'gone';
  if (leaving || s === 'stopping') return 'leaving';
  if (s === 'ready') return 'up';
  if (s === 'failed') return 'failed';
  return wasUp ? 'down' : 'joining';
}
