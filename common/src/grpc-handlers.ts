// Wraps async functions into grpc-js handlers so every error goes through toGrpcStatus, and
// implements the per-spawn secret check used on the internal link.
import type {
  Metadata, sendUnaryData, ServerUnaryCall, ServerWritableStream, ServiceError, UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { toGrpcStatus } from './errors/grpc-status.js';
import { TabagentError } from './errors/tabagent-error.js';

/** Metadata key carrying the per-spawn secret on the internal link. */
export const SECRET_KEY = 'x-tabagent-secret';

/** A unary handler written as an async function. */
export function unary<Req, Res>(
  fn: (req: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => void {
  return (call, cb) => {
    // A handler that throws before returning its promise is answered like one that rejects.
    new Promise<Res>((resolve) => resolve(fn(call.request, call))).then(
      (res) => cb(null, res),
      (err: unknown) => cb(toGrpcStatus(err) as ServiceError),
    );
  };
}

/** A server-streaming handler written as an async function that writes to the call. */
export function serverStream<Req, Res>(
  fn: (req: Req, call: ServerWritableStream<Req, Res>) => Promise<void>,
): (call: ServerWritableStream<Req, Res>) => void {
  return (call) => {
    fn(call.request, call).then(
      () => call.end(),
      (err: unknown) => {
        if (!call.cancelled) failStream(call, err);
      },
    );
  };
}

/** Checks the secret in call metadata; throws UNAUTHENTICATED when it is missing or wrong. */
export function checkSecret(metadata: Metadata, secret: string | undefined): void {
  if (secret === undefined || secret === '') return;
  const got = metadata.get(SECRET_KEY)[0];
  const a = Buffer.from(typeof got === 'string' ? got : '');
  const b = Buffer.from(secret);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new TabagentError('TA_ERR_UNAUTHENTICATED', 'missing or wrong internal secret');
  }
}

/** Wraps every handler of a service implementation with a secret check. */
export function guardService<T extends UntypedServiceImplementation>(impl: T, secret: string | undefined): T {
  if (secret === undefined || secret === '') return impl;
  const out: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(impl)) {
    out[name] = (call: { metadata: Metadata }, cb?: sendUnaryData<unknown>) => {
      try {
        checkSecret(call.metadata, secret);
      } catch (err) {
        const st = toGrpcStatus(err) as ServiceError;
        if (cb) cb(st);
        else failStream(call as unknown as { emit(e: 'error', x: unknown): boolean }, err);
        return;
      }
      (handler as (c: unknown, cb?: unknown) => void)(call, cb);
    };
  }
  return out as T;
}

/**
 * Ends a server stream (server-streaming or bidi) with an error status. grpc-js sends the status
 * only through the stream's 'error' event; destroy() would drop it and leave the client hanging.
 */
export function failStream(call: { emit(event: 'error', err: unknown): boolean }, err: unknown): void {
  call.emit('error', toGrpcStatus(err));
}
