// A public unary method called inside the process: an HTTP route hands its request bytes to the very
// handler the public gRPC server runs for that method (model routing, queues, the drain count,
// replay on child loss), without a second gRPC hop over loopback (a grpc-js client and server call
// per request, about as much supervisor CPU as the forwarded call itself). The handler sees what it
// reads of a grpc-js ServerUnaryCall: the request bytes, the deadline and cancellation. Failures
// come back as grpc-js ServiceErrors, as they would over loopback, so the HTTP error mapping is the same.
import { EventEmitter } from 'node:events';
import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';

/** Calls the unary method `method` (its key in the service definition, e.g. "embed") with serialized request bytes; resolves with the serialized answer. */
export type UnaryInvoker = (method: string, request: Buffer, deadline: Date, signal?: AbortSignal) => Promise<Buffer>;

type Callback = (err: Partial<StatusObject> | null, res?: Buffer) => void;
type UnaryHandler = (call: InProcessCall, cb: Callback) => void;

/** A grpc-js ServiceError built from a status, as a loopback client would have received it. */
export function serviceError(s: Partial<StatusObject>): ServiceError {
  const code = s.code ?? status.UNKNOWN;
  const details = s.details ?? '';
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: s.metadata ?? new Metadata() });
}

/** The call a handler sees: running until answered, cancelled by the caller, or past its deadline. */
export class InProcessCall extends EventEmitter {
  readonly metadata = new Metadata();
  readonly request: Buffer;
  readonly #deadline: Date;
  #state: 'running' | 'answered' | 'cancelled' = 'running';

  constructor(request: Buffer, deadline: Date) {
    super();
    this.request = request;
    this.#deadline = deadline;
  }

  get cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  getDeadline(): Date {
    return this.#deadline;
  }

  getPeer(): string {
    return 'in-process';
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
 * An invoker of the unary handlers in `impl` (a grpc-js service implementation over serialized bytes).
 * An unknown method is UNIMPLEMENTED; the deadline and `signal` end the call as grpc-js would
 * (DEADLINE_EXCEEDED, CANCELLED) and cancel the handler's work.
 */
export function inProcessUnary(impl: Readonly<Record<string, unknown>>): UnaryInvoker {
  return (method, request, deadline, signal) => new Promise<Buffer>((resolve, reject) => {
    const handler = impl[method] as UnaryHandler | undefined;
    if (typeof handler !== 'function') {
      reject(serviceError({ code: status.UNIMPLEMENTED, details: `method ${method} is not implemented` }));
      return;
    }
    const call = new InProcessCall(request, deadline);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const end = (code: status, details: string): void => {
      if (!call.cancel()) return;
      cleanup();
      reject(serviceError({ code, details }));
    };
    const onAbort = (): void => end(status.CANCELLED, 'cancelled by the caller');
    const timer = setTimeout(() => end(status.DEADLINE_EXCEEDED, 'deadline exceeded'), Math.max(0, deadline.getTime() - Date.now()));
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
}
