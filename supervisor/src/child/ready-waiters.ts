// Callers waiting for a ready child, each with its own timeout.
import type { Clock } from './clock.js';

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  cancel: () => void;
}

/** A set of pending waits resolved together. */
export class ReadyWaiters<T> {
  readonly #waiters = new Set<Waiter<T>>();

  /** Waits up to timeoutMs; `timeoutError` builds the rejection. */
  wait(timeoutMs: number, clock: Clock, timeoutError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = { resolve, reject, cancel: () => undefined };
      w.cancel = clock.after(Math.max(0, timeoutMs), () => {
        this.#waiters.delete(w);
        reject(timeoutError());
      });
      this.#waiters.add(w);
    });
  }

  resolveAll(v: T): void {
    for (const w of this.#waiters) {
      w.cancel();
      w.resolve(v);
    }
    this.#waiters.clear();
  }

  rejectAll(e: Error): void {
    for (const w of this.#waiters) {
      w.cancel();
      w.reject(e);
    }
    this.#waiters.clear();
  }
}
