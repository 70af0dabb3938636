// A server-streaming call made inside the process: what a grpc-js ServerWritableStream handler reads
// and writes (the request bytes, deadline, cancellation, write with backpressure, end, an error status
// through 'error'), and on the other side the messages as an async iterator for the HTTP route. The
// route reads the messages it is handed; the handler's write callbacks fire as the route takes them
// (so "delivered" counts what reached the HTTP side), and 'drain' follows when a full queue empties.
import { EventEmitter } from 'node:events';
import { Metadata, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { SURFACE_KEY, serviceErrorOf } from '@tabagent/common';

/** A grpc-js ServiceError built from a status, as a loopback client would have received it. */
export const serviceError = serviceErrorOf;

/** Metadata of a call made by the HTTP routes (metrics label it "http"). */
export function httpMetadata(): Metadata {
  const m = new Metadata();
  m.set(SURFACE_KEY, 'http');
  return m;
}

/** What every in-process call shows its handler: the request bytes, the HTTP surface, the deadline, the peer. */
export class InProcessCallBase extends EventEmitter {
  readonly metadata = httpMetadata();
  readonly request: Buffer;
  readonly #deadline: Date;

  constructor(request: Buffer, deadline: Date) {
    super();
    this.request = request;
    this.#deadline = deadline;
  }

  getDeadline(): Date {
    return this.#deadline;
  }

  getPeer(): string {
    return 'in-process';
  }
}

/** Messages the handler may queue before write() asks it to wait for 'drain'. */
const HIGH_WATER = 16;

interface Queued {
  readonly message: Buffer;
  readonly written?: () => void;
}

/**
 * The handler's side of one in-process server stream. States: running (messages flow), ended (the
 * handler called end()), failed (the handler emitted an error status), cancelled (the caller went
 * away, the deadline passed, or the server closed). Only a running call accepts writes.
 */
export class InProcessStreamCall extends InProcessCallBase {
  readonly #queue: Queued[] = [];
  #state: 'running' | 'ended' | 'failed' | 'cancelled' = 'running';
  #error: ServiceError | undefined;
  #wake: (() => void) | undefined;
  #wantsDrain = false;

  get cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  get destroyed(): boolean {
    return this.#state !== 'running';
  }

  /** Messages written and not yet taken by the reader. */
  get writableLength(): number {
    return this.#queue.length;
  }

  /** Queues one message; false asks the handler to pause until 'drain'. */
  write(message: Buffer, ...rest: unknown[]): boolean {
    if (this.#state !== 'running') return false;
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    this.#queue.push(cb ? { message, written: cb } : { message });
    this.#notify();
    if (this.#queue.length < HIGH_WATER) return true;
    this.#wantsDrain = true;
    return false;
  }

  /** The handler is done: the reader sees the end after the queued messages. */
  end(): void {
    if (this.#state !== 'running') return;
    this.#state = 'ended';
    this.#notify();
    super.emit('finish');
  }

  /** grpc-js sends a handler's status through 'error': so does this call, to its reader. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'error') return super.emit(event, ...args);
    if (this.#state !== 'running') return false;
    this.#state = 'failed';
    this.#error = serviceError((args[0] ?? {}) as Partial<StatusObject>);
    this.#notify();
    return this.listenerCount('error') > 0 ? super.emit('error', args[0]) : false;
  }

  /** Ends a running call from the caller's side with `s` (the handler sees 'cancelled'); false when it was over. */
  cancel(s: Partial<StatusObject>): boolean {
    if (this.#state !== 'running') return false;
    this.#state = 'cancelled';
    this.#error = serviceError(s);
    this.#queue.length = 0;
    this.#notify();
    super.emit('cancelled', 'cancelled');
    return true;
  }

  /** Whether the call is over and every queued message has been read. */
  get settled(): boolean {
    return this.#state !== 'running' && this.#queue.length === 0;
  }

  /** The next message; done after end(); throws the status of a failed or cancelled call. */
  async next(): Promise<IteratorResult<Buffer>> {
    for (;;) {
      const q = this.#queue.shift();
      if (q) {
        q.written?.();
        if (this.#wantsDrain && this.#queue.length < HIGH_WATER / 2 && this.#state === 'running') {
          this.#wantsDrain = false;
          super.emit('drain');
        }
        return { done: false, value: q.message };
      }
      if (this.#state === 'ended') return { done: true, value: undefined };
      if (this.#error) throw this.#error;
      await new Promise<void>((r) => (this.#wake = r));
    }
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }
}
