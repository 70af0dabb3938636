// GetRuntimeStatus over the nodes. `nodes` reports every node: its state, restarts, last error and
// its own Runtime.Status (asked of every up node at once; a node that does not answer in time is
// reported with the reason, and never fails the call). The top-level fields sum them up: with one
// node, exactly that node's report; with several, "ready" while any node is up, the restarts of all
// nodes, and the runtime report of the first node that is up.
import type { GetRuntimeStatusResponse, NodeRuntimeStatus } from '@tabagent/protos/v1/model_management';
import { runtimeStatus } from '../child/runtime-status.js';
import type { MlNode } from './ml-node.js';
import type { NodePool } from './node-pool.js';

/** One node's status; a failed status read is reported in lastError. */
export async function nodeRuntimeStatus(n: MlNode): Promise<NodeRuntimeStatus> {
  const lc = n.lifecycle;
  const base = { node: n.id, nodeState: n.state, state: lc.state, restarts: Math.max(0, lc.generation - 1), lastError: lc.lastError };
  if (n.state !== 'up') return { ...base, runtime: undefined };
  try {
    return { ...base, ...(await runtimeStatus(lc)) };
  } catch (err) {
    return { ...base, runtime: undefined, lastError: `status not read: ${(err as Error).message}` };
  }
}

export async function poolRuntimeStatus(pool: Pick<NodePool, 'nodes'>): Promise<GetRuntimeStatusResponse> {
  const nodes = pool.nodes();
  const all = await Promise.all(nodes.map((n) => nodeRuntimeStatus(n)));
  const [only] = all;
  if (all.length === 1 && only) return { state: only.state, runtime: only.runtime, restarts: only.restarts, lastError: only.lastError, nodes: all };
  const up = all.find((s) => s.nodeState === 'up' && s.runtime);
  const restarts = all.reduce((s, n) => s + n.restarts, 0);
  const lastError = all.filter((n) => n.lastError).map((n) => `${n.node}: ${n.lastError}`).join('; ');
  const state = up ? up.state : (all[0]?.state ?? 'starting');
  return { state, runtime: up?.runtime, restarts, lastError, nodes: all };
}
