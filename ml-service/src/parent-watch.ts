// Makes the child exit by itself when its supervisor goes away: stdin EOF and a parent-pid watch
// (the second catches a SIGKILLed parent whose pipe is inherited by a grandchild).

/** Options of watchParent. */
export interface ParentWatchOptions {
  /** Exit when stdin ends. */
  stdinEnd: boolean;
  /** Parent pid to poll; 0 = off. */
  parentPid: number;
  /** Called once when the parent is gone. */
  onGone: (reason: string) => void;
  /** Poll interval for the pid watch. */
  intervalMs?: number;
}

/** Starts watching; returns a function that stops watching. */
export function watchParent(opts: ParentWatchOptions): () => void {
  let fired = false;
  const fire = (reason: string): void => {
    if (fired) return;
    fired = true;
    opts.onGone(reason);
  };
  const onEnd = (): void => fire('stdin closed');
  if (opts.stdinEnd) {
    process.stdin.on('end', onEnd);
    process.stdin.on('close', onEnd);
    process.stdin.resume();
  }
  let timer: NodeJS.Timeout | undefined;
  if (opts.parentPid > 0) {
    timer = setInterval(() => {
      if (!isAlive(opts.parentPid) || process.ppid !== opts.parentPid) fire(`parent ${opts.parentPid} exited`);
    }, opts.intervalMs ?? 500);
    timer.unref();
  }
  return () => {
    process.stdin.off('end', onEnd);
    process.stdin.off('close', onEnd);
    if (timer) clearInterval(timer);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
