// A public method called inside the process: an HTTP route hands its request bytes to the very
// handler the public gRPC server runs for that method (model routing, queues, the drain count,
// replay on child loss), without a second gRPC hop over loopback (a grpc-js client and server call
// per request, which added about half again the supervisor CPU of a gRPC call). The handler sees what it
// reads of a grpc-js ServerUnaryCall (the request bytes, the deadline and cancellation) or of a
// ServerWritableStream (see in-process-stream.ts). Failures come back as grpc-js ServiceErrors, as
// they would over loopback, so the HTTP error mapping is the same.
import { status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { TabagentError, toGrpcStatus } from '@tabagent/common';
import { InProcessCallBase, InProcessStreamCall, serviceError } from './in-process-stream.js';

/** Calls the unary method `method` (its key in the service definition, e.g. "embed") with serialized request bytes; resolves with the serialized answer. */
export type UnaryInvoker = (method: string, request: Buffer, deadline: Date, signal?: AbortSignal) => Promise<Buffer>;

type Callback = (err: Partial<StatusObject> | null, res?: Buffer) => void;
type UnaryHandler = (call: InProcessCall, cb: Callback) => void;

/** The messages of a server-streaming call: next() yields each, then done, or throws its ServiceError. */
export interface MessageReader {
  next(): Promise<IteratorResult<Buffer>>;
}

/** Opens the server-streaming method `method` (e.g. "chat"); `signal` cancels it. */
export type StreamInvoker = (method: string, request: Buffer, deadline: Date, signal?: AbortSignal) => MessageReader;

type StreamHandler = (call: InProcessStreamCall) => void;

/** The call a handler sees: running until answered, cancelled by the caller, or past its deadline. */
export class InProcessCall extends InProcessCallBase {
  #state: 'running' | 'answered' | 'cancelled' = 'running';

  get cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** Ends a running call as the caller's: true once, when it was still running. */
  finish(): boolean {
    if (this.#state !== 'running') return false;
    this.#state = 'answered';
    return true;
  }

  /** Cancels a running call (the handler is told by "cancelled"); true when it was still running. */
  cancel(): boolean {
    if (this.#state !== 'running') return false;
    this.#state = 'cancelled';
    this.emit('cancelled', 'cancelled');
    return true;
  }
}

/**
 * The handlers of one service (a grpc-js implementation over serialized bytes), called in
 * process. An unknown method is UNIMPLEMENTED; the deadline and a call's signal end it as grpc-js
 * would (DEADLINE_EXCEEDED, CANCELLED) and cancel the handler's work. close() does what the gRPC
 * server's forced shutdown does to its calls: the calls still running end (503 TA_ERR_SHUTTING_DOWN
 * over HTTP) and later ones are refused, so an HTTP request never outlives the drain.
 */
export class InProcessService {
  readonly #impl: Readonly<Record<string, unknown>>;
  readonly #running = new Set<(s: Partial<StatusObject>) => void>();
  readonly #idle: Array<() => void> = [];
  #state: 'open' | 'closed' = 'open';

  constructor(impl: Readonly<Record<string, unknown>>) {
    this.#impl = impl;
  }

  /** The invoker the HTTP routes are given. */
  readonly invoke: UnaryInvoker = (method, request, deadline, signal) => new Promise<Buffer>((resolve, reject) => {
    if (this.#state === 'closed') return reject(shuttingDown());
    const handler = this.#impl[method] as UnaryHandler | undefined;
    if (typeof handler !== 'function') return reject(serviceError({ code: status.UNIMPLEMENTED, details: `method ${method} is not implemented` }));
    const call = new InProcessCall(request, deadline);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#settle(end);
    };
    const end = (s: Partial<StatusObject>): void => {
      if (!call.cancel()) return;
      cleanup();
      reject(serviceError(s));
    };
    const onAbort = (): void => end({ code: status.CANCELLED, details: 'cancelled by the caller' });
    const timer = setTimeout(() => end({ code: status.DEADLINE_EXCEEDED, details: 'deadline exceeded' }), Math.max(0, deadline.getTime() - Date.now()));
    this.#running.add(end);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    try {
      handler(call, (err, res) => {
        if (!call.finish()) return;
        cleanup();
        if (err) reject(serviceError(err));
        else if (res === undefined) reject(serviceError({ code: status.INTERNAL, details: `${method} answered nothing` }));
        else resolve(res);
      });
    } catch (err) {
      if (!call.finish()) return;
      cleanup();
      reject(err);
    }
  });

  /** The stream opener the HTTP routes are given. */
  readonly stream: StreamInvoker = (method, request, deadline, signal) => {
    const call = new InProcessStreamCall(request, deadline);
    const handler = this.#impl[method] as StreamHandler | undefined;
    if (this.#state === 'closed') call.cancel(shuttingDownStatus());
    else if (typeof handler !== 'function') call.cancel({ code: status.UNIMPLEMENTED, details: `method ${method} is not implemented` });
    if (call.destroyed || handler === undefined) return call;
    const end = (s: Partial<StatusObject>): void => {
      call.cancel(s);
    };
    const onAbort = (): void => end({ code: status.CANCELLED, details: 'cancelled by the caller' });
    const timer = setTimeout(() => end({ code: status.DEADLINE_EXCEEDED, details: 'deadline exceeded' }), Math.max(0, deadline.getTime() - Date.now()));
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#settle(end);
    };
    for (const ev of ['finish', 'error', 'cancelled']) call.once(ev, cleanup);
    this.#running.add(end);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    else {
      try {
        handler(call);
      } catch (err) {
        call.emit('error', toGrpcStatus(err));
      }
    }
    return call;
  };

  #settle(end: (s: Partial<StatusObject>) => void): void {
    if (!this.#running.delete(end)) return;
    if (this.#running.size === 0) for (const r of this.#idle.splice(0)) r();
  }

  /** Calls running now. */
  get running(): number {
    return this.#running.size;
  }

  /** Resolves when no call is running (the drain waits for these as for the gRPC server's own calls). */
  whenIdle(): Promise<void> {
    if (this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Ends the running calls (their handlers see "cancelled") and refuses new ones; idempotent. */
  close(): void {
    this.#state = 'closed';
    for (const end of [...this.#running]) end(shuttingDownStatus());
  }
}

const shuttingDownStatus = (): Partial<StatusObject> => toGrpcStatus(new TabagentError('TA_ERR_SHUTTING_DOWN', 'the server is shutting down'));

const shuttingDown = (): ServiceError => serviceError(shuttingDownStatus());
