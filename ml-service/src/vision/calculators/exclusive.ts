// Serialises async calls on one pipeline object, whose reused buffers must not be shared by two frames.

/** Runs tasks one after another in call order; a failed task does not block the next. */
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
