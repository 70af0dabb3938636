// Forwards one public call to the current child: waits for a ready child within the caller's
// deadline, loads the models the call needs, and retries a unary call once on a new child when the
// child died under it (inference has no side effects). Errors of the call itself are never retried.
import { Metadata, status, type ServiceError, type ServerUnaryCall, type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, MODELS_KEY, TabagentError, encodeRoles, failStream, toGrpcStatus, type ModelRoles } from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { identity } from './passthrough.js';

/** What forwarding needs from the rest of the supervisor. */
export interface ForwardDeps {
  whenReady(timeoutMs: number): Promise<GrpcChildLink>;
  /** Loads (if needed) and marks busy every model; returns the release function. */
  acquire(roles: ModelRoles): Promise<() => void>;
  /** Default deadline when the caller set none. */
  defaultTimeoutMs: number;
}

/** Deadline of a server call as a Date (or now + default). */
export function deadlineOf(call: { getDeadline(): Date | number }, defaultMs: number): Date {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : d;
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : Date.now() + defaultMs);
}

/** A transport failure caused by the child going away (not an answer from the child). */
export function isChildLoss(err: ServiceError): boolean {
  return (err.code === status.UNAVAILABLE || err.code === status.CANCELLED || err.code === status.INTERNAL) &&
    err.metadata?.get(ERROR_CODE_KEY).length === 0;
}

function childMetadata(link: GrpcChildLink, roles: ModelRoles): Metadata {
  const m = link.metadata();
  m.set(MODELS_KEY, encodeRoles(roles));
  return m;
}

/** Forwards a unary call (bytes in, bytes out) with one retry on child loss. */
export function forwardUnary(deps: ForwardDeps, path: string, route: (req: Buffer) => ModelRoles) {
  return (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>): void => {
    const deadline = deadlineOf(call, deps.defaultTimeoutMs);
    const attempt = async (retry: boolean): Promise<Buffer> => {
      const roles = route(call.request);
      const link = await deps.whenReady(deadline.getTime() - Date.now());
      const release = await deps.acquire(roles);
      try {
        return await new Promise<Buffer>((resolve, reject) => {
          const c = link.vision.makeUnaryRequest(path, identity, identity, call.request, childMetadata(link, roles), { deadline }, (err, res) => {
            if (err) reject(err);
            else resolve(res as Buffer);
          });
          call.on('cancelled', () => c.cancel());
        });
      } catch (err) {
        const e = err as ServiceError;
        if (retry && isChildLoss(e) && !call.cancelled && deadline.getTime() > Date.now()) return attempt(false);
        throw err;
      } finally {
        release();
      }
    };
    attempt(true).then((res) => cb(null, res), (err: unknown) => cb(toGrpcStatus(err) as ServiceError));
  };
}

/** Forwards a server-streaming call; a child lost mid-stream ends it with UNAVAILABLE saying so. */
export function forwardServerStream(
  deps: ForwardDeps, path: string, route: (req: Buffer) => ModelRoles,
  count: (res: Buffer) => number, describeLoss: (delivered: number) => string,
) {
  return (call: ServerWritableStream<Buffer, Buffer>): void => {
    const deadline = deadlineOf(call, deps.defaultTimeoutMs);
    const run = async (): Promise<void> => {
      const roles = route(call.request);
      const link = await deps.whenReady(deadline.getTime() - Date.now());
      const release = await deps.acquire(roles);
      let delivered = 0;
      try {
        await new Promise<void>((resolve, reject) => {
          const c = link.text.makeServerStreamRequest(path, identity, identity, call.request, childMetadata(link, roles), { deadline });
          call.on('cancelled', () => c.cancel());
          c.on('data', (b: Buffer) => {
            delivered += count(b);
            if (!call.write(b)) c.pause();
          });
          call.on('drain', () => c.resume());
          c.on('error', (e: ServiceError) => {
            if (isChildLoss(e) && !call.cancelled) {
              reject(new TabagentError('TA_ERR_CHILD_UNAVAILABLE', describeLoss(delivered), { retryAfterMs: 1000 }));
            } else reject(e);
          });
          c.on('end', resolve);
        });
      } finally {
        release();
      }
    };
    run().then(() => call.end(), (err: unknown) => {
      if (!call.cancelled) failStream(call, err);
    });
  };
}
