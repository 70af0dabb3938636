// GetRuntimeStatus over the nodes: with one node, exactly that node's report; with several, "ready"
// while any node is up, the restarts of all nodes, and the runtime report of the first node that is up.
import type { GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import { runtimeStatus } from '../child/runtime-status.js';
import type { NodePool } from './node-pool.js';

export async function poolRuntimeStatus(pool: NodePool): Promise<GetRuntimeStatusResponse> {
  const nodes = pool.nodes();
  const [only] = nodes;
  if (nodes.length === 1 && only) return runtimeStatus(only.lifecycle);
  const up = nodes.find((n) => n.state === 'up');
  const restarts = nodes.reduce((s, n) => s + Math.max(0, n.lifecycle.generation - 1), 0);
  const lastError = nodes.filter((n) => n.lifecycle.lastError).map((n) => `${n.id}: ${n.lifecycle.lastError}`).join('; ');
  if (!up) return { state: nodes[0]?.lifecycle.state ?? 'starting', restarts, lastError, runtime: undefined };
  return { ...(await runtimeStatus(up.lifecycle)), restarts, lastError };
}
