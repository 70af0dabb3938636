// Last-resort cleanup: when the supervisor process exits for any reason, SIGKILL the process
// groups of children still alive so nothing is orphaned.

/** Registry of live child process groups for the exit hook. */
export class ChildReaper {
  readonly #pids = new Set<number>();
  readonly #onExit = (): void => this.killAll();

  constructor() {
    process.on('exit', this.#onExit);
  }

  /** Tracks a child pid. */
  add(pid: number): void {
    this.#pids.add(pid);
  }

  /** Stops tracking a pid (the child exited). */
  remove(pid: number): void {
    this.#pids.delete(pid);
  }

  /** SIGKILLs every tracked process group. */
  killAll(): void {
    for (const pid of this.#pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.#pids.clear();
  }

  /** Removes the exit hook. */
  dispose(): void {
    process.off('exit', this.#onExit);
  }
}
