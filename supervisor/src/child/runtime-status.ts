// GetRuntimeStatus: the lifecycle state plus the child's own Runtime.Status report.
import type { GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import { callUnary } from './call.js';
import type { GrpcChildLink } from './child-link.js';
import type { ChildSupervisor } from './child-supervisor.js';

/** Asks the ready child for its status (short deadline); lifecycle fields are always filled. */
export async function runtimeStatus(child: ChildSupervisor<GrpcChildLink>): Promise<Omit<GetRuntimeStatusResponse, 'nodes'>> {
  const link = child.link;
  const base = { state: child.state, restarts: Math.max(0, child.generation - 1), lastError: child.lastError };
  if (!link) return { ...base, runtime: undefined };
  const runtime = await callUnary(link.runtime.status, link.runtime, {}, link.metadata(), new Date(Date.now() + 5000));
  return { ...base, runtime };
}
