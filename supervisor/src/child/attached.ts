// Mode "supervisor": an MlChild that stands for an ML service started elsewhere. It never spawns or
// kills a process; "exiting" means the connection was declared lost, and the lifecycle reconnects
// with backoff.
import type { ChildExit, MlChild, MlChildFactory } from './ml-child.js';

/** Factory of attachments to a fixed endpoint. */
export function attachedChildFactory(endpoint: string): MlChildFactory {
  return () => {
    let resolveExit!: (e: ChildExit) => void;
    const exited = new Promise<ChildExit>((r) => (resolveExit = r));
    const lost = (why: string): void => resolveExit({ code: null, signal: null, stderrTail: [why] });
    const child: MlChild = {
      pid: undefined,
      remote: true,
      exited,
      start: () => Promise.resolve(endpoint),
      stop: async () => {
        lost('detached');
        return exited;
      },
      signal: () => lost(`connection to the ML service at ${endpoint} was lost`),
      stderrTail: () => [],
    };
    return child;
  };
}
