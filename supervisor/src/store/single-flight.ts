// Keyed single-flight: concurrent callers for the same key share one run of the work. Each caller
// gets the run's events and may stop waiting on its own signal without cancelling the shared run.

import { cancelledError } from './core/errors.js';

interface Flight<V, E> {
  readonly promise: Promise<V>;
  readonly listeners: Set<(event: E) => void>;
  lastEvent: E | undefined;
}

export interface JoinOptions<E> {
  /** Stops this caller's wait (the shared work continues). */
  readonly signal?: AbortSignal;
  /** Receives the run's events; a late joiner first gets the latest event. */
  readonly onEvent?: (event: E) => void;
}

export class SingleFlight<K, V, E> {
  readonly #flights = new Map<K, Flight<V, E>>();

  /** Number of keys with work in progress. */
  get size(): number {
    return this.#flights.size;
  }

  has(key: K): boolean {
    return this.#flights.has(key);
  }

  /** Joins the run for `key`, starting `work` when none is in progress. */
  run(key: K, work: (emit: (event: E) => void) => Promise<V>, options: JoinOptions<E> = {}): Promise<V> {
    let flight = this.#flights.get(key);
    if (flight === undefined) flight = this.#start(key, work);
    return this.#wait(flight, options);
  }

  #start(key: K, work: (emit: (event: E) => void) => Promise<V>): Flight<V, E> {
    const listeners = new Set<(event: E) => void>();
    const emit = (event: E): void => {
      created.lastEvent = event;
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // a throwing listener must not break the shared work or other listeners
        }
      }
    };
    const created: Flight<V, E> = {
      promise: Promise.resolve().then(() => work(emit)),
      listeners,
      lastEvent: undefined,
    };
    this.#flights.set(key, created);
    const cleanup = (): void => {
      if (this.#flights.get(key) === created) this.#flights.delete(key);
    };
    created.promise.then(cleanup, cleanup);
    return created;
  }

  #wait(flight: Flight<V, E>, { signal, onEvent }: JoinOptions<E>): Promise<V> {
    if (onEvent !== undefined && flight.lastEvent !== undefined) onEvent(flight.lastEvent);
    if (onEvent !== undefined) flight.listeners.add(onEvent);
    const detach = (): void => {
      if (onEvent !== undefined) flight.listeners.delete(onEvent);
    };
    if (signal === undefined) {
      return flight.promise.finally(detach);
    }
    if (signal.aborted) {
      detach();
      return Promise.reject(cancelledError('waiting for the model pull', signal));
    }
    return new Promise<V>((resolve, reject) => {
      const onAbort = (): void => {
        detach();
        reject(cancelledError('waiting for the model pull', signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => { signal.removeEventListener('abort', onAbort); detach(); resolve(value); },
        (err: unknown) => { signal.removeEventListener('abort', onAbort); detach(); reject(err); },
      );
    });
  }
}
