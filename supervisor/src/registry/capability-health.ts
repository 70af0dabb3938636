// Health of the supervisor's capabilities: the ML child must be ready, and a capability stops
// serving while a model of its tasks that should be loaded is FAILED (e.g. its reload failed).
import { HEALTH_SERVICES, type ServingStatus } from '@tabagent/common';
import type { Task } from '../store/core/types.js';

const TEXT_TASKS: ReadonlySet<Task> = new Set<Task>(['text-generation', 'embeddings', 'speech-to-text']);

/** The capability (health service name) that serves a task. */
export function capabilityOf(task: Task): string {
  return TEXT_TASKS.has(task) ? HEALTH_SERVICES.text : HEALTH_SERVICES.vision;
}

/** Status of every capability health service, from the child's readiness and the failed wanted tasks. */
export function capabilityStatuses(childReady: boolean, failedTasks: ReadonlySet<Task>): Map<string, ServingStatus> {
  const down = new Set([...failedTasks].map(capabilityOf));
  const status = (ok: boolean): ServingStatus => (childReady && ok ? 'SERVING' : 'NOT_SERVING');
  return new Map([
    [HEALTH_SERVICES.ml, status(true)],
    [HEALTH_SERVICES.vision, status(!down.has(HEALTH_SERVICES.vision))],
    [HEALTH_SERVICES.text, status(!down.has(HEALTH_SERVICES.text))],
  ]);
}
