// Counts the public calls in progress so a graceful shutdown ends as soon as they are done, rather
// than waiting out the grace period for long-lived streams that never end by themselves (health
// watches). Services are wrapped one handler at a time, like the bearer-token check.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';

type Handler = (call: { once(event: string, fn: () => void): unknown }, cb?: (...args: unknown[]) => void) => void;

/** Calls in progress across the wrapped services. */
export class InFlightCalls {
  #count = 0;
  #idle: Array<() => void> = [];

  /** Calls in progress now. */
  get count(): number {
    return this.#count;
  }

  /** The same service whose handlers are counted from arrival to their status. */
  wrap<T extends UntypedServiceImplementation>(impl: T): T {
    const out: Record<string, Handler> = {};
    for (const [name, handler] of Object.entries(impl)) {
      const h = handler as Handler;
      out[name] = (call, cb) => {
        const done = this.#begin();
        if (cb) {
          h(call, (...args: unknown[]) => {
            done();
            cb(...args);
          });
          return;
        }
        for (const ev of ['finish', 'error', 'cancelled', 'close']) call.once(ev, done);
        h(call);
      };
    }
    return out as unknown as T;
  }

  /** Counts one call that is not a wrapped handler's (the pass-through forwarder's); the returned function ends it (idempotent). */
  begin(): () => void {
    return this.#begin();
  }

  /** Resolves when no wrapped call is in progress. */
  whenIdle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #begin(): () => void {
    this.#count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#count -= 1;
      if (this.#count === 0) for (const r of this.#idle.splice(0)) r();
    };
  }
}
