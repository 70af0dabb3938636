// Stopping a child: SIGTERM to its process group, a grace period, then SIGKILL.
import type { ChildExit, MlChild } from './ml-child.js';

/** Stops `child` gracefully; resolves with how it exited. */
export async function terminateGroup(child: Pick<MlChild, 'signal' | 'exited' | 'pid'>, graceMs: number): Promise<ChildExit> {
  if (child.pid === undefined) return child.exited;
  child.signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
  const first = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') child.signal('SIGKILL');
  return child.exited;
}
