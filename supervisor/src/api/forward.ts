// Forwards one public call to the current child: waits for a ready child within the caller's
// deadline, loads the models the call needs, and retries once on the next child when the child died
// under it (inference has no side effects; a stream is retried only before its first message, so
// nothing is duplicated). Errors of the call itself are never retried. The caller's deadline and
// cancellation are passed on to the child.
import { Metadata, status, type ServiceError, type ServerUnaryCall, type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import {
  ERROR_CODE_KEY, MODELS_KEY, SHM_KEY, TabagentError, encodeRegions, encodeRoles, failStream, isServiceError, toGrpcStatus, type ModelRoles, type ResolvedRegion,
} from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { identity } from './passthrough.js';

/** What forwarding needs from the rest of the supervisor. */
export interface ForwardDeps {
  whenReady(timeoutMs: number): Promise<GrpcChildLink>;
  /** Loads (if needed) and marks busy every model; returns the release function. */
  acquire(roles: ModelRoles): Promise<() => void>;
  /** Default deadline when the caller set none. */
  defaultTimeoutMs: number;
  /**
   * Shared-memory regions the child may read for a call (Vision only): for a unary request, the one
   * its frame names; for a stream (no request bytes), all of them.
   */
  regions?: (request?: Buffer) => readonly ResolvedRegion[];
}

/** Retries of a call that lost its child. */
const CHILD_LOSS_RETRIES = 1;
/** Poll step while the lifecycle has not yet noticed that the failed child is gone. */
const STALE_LINK_POLL_MS = 20;
/**
 * How long a link that failed a call like a lost child may still be reported ready before the
 * child counts as alive (the lifecycle sees a real exit within milliseconds): the error was the
 * call's own, and is answered instead of waiting for a new child until the deadline.
 */
const SAME_LINK_GRACE_MS = 1_500;

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

/** Whether any error (a raw ServiceError, or one rebuilt from it while loading) means "the child died". */
export function lostChild(err: unknown): boolean {
  if (isServiceError(err)) return isChildLoss(err);
  if (err instanceof TabagentError && isServiceError(err.cause)) return isChildLoss(err.cause);
  return false;
}

/** Metadata of a call to the child: secret, the call's models and the shared-memory regions. */
export function childMetadata(link: GrpcChildLink, roles: ModelRoles, deps: Pick<ForwardDeps, 'regions'>, request?: Buffer): Metadata {
  const m = link.metadata();
  m.set(MODELS_KEY, encodeRoles(roles));
  const regions = deps.regions?.(request) ?? [];
  if (regions.length > 0) m.set(SHM_KEY, encodeRegions(regions));
  return m;
}

/**
 * A ready link before the deadline, other than `failed` (the child a call just lost: the lifecycle
 * may not have seen its exit yet).
 */
export async function readyLink(deps: ForwardDeps, deadline: Date, failed?: GrpcChildLink, sameLinkGraceMs = Infinity): Promise<GrpcChildLink> {
  const acceptSameAt = Date.now() + sameLinkGraceMs;
  for (;;) {
    const link = await deps.whenReady(deadline.getTime() - Date.now());
    if (link !== failed || Date.now() >= acceptSameAt) return link;
    if (Date.now() + STALE_LINK_POLL_MS >= deadline.getTime()) {
      throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', 'the ML process was lost and no new one was ready before the deadline', { retryAfterMs: 500 });
    }
    await new Promise((r) => setTimeout(r, STALE_LINK_POLL_MS));
  }
}

/** Runs `fn` on a ready child with the call's models acquired, retrying on child loss while `mayRetry()`. */
async function onChild<T>(
  deps: ForwardDeps, roles: ModelRoles, deadline: Date, mayRetry: () => boolean,
  fn: (link: GrpcChildLink) => Promise<T>, failed?: { link: GrpcChildLink; err: unknown }, retries = CHILD_LOSS_RETRIES,
): Promise<T> {
  const link = await readyLink(deps, deadline, failed?.link, failed ? SAME_LINK_GRACE_MS : Infinity);
  // The child that failed the call is still alive and ready: the failure was the call's, not a loss.
  if (failed !== undefined && link === failed.link) throw failed.err;
  let release: (() => void) | undefined;
  try {
    release = await deps.acquire(roles);
    return await fn(link);
  } catch (err) {
    if (retries > 0 && lostChild(err) && mayRetry() && deadline.getTime() > Date.now()) {
      release?.();
      release = undefined;
      return onChild(deps, roles, deadline, mayRetry, fn, { link, err }, retries - 1);
    }
    throw err;
  } finally {
    release?.();
  }
}

/** Forwards a unary call (bytes in, bytes out) with one retry on child loss. */
export function forwardUnary(deps: ForwardDeps, path: string, route: (req: Buffer) => ModelRoles) {
  return (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>): void => {
    const deadline = deadlineOf(call, deps.defaultTimeoutMs);
    const run = async (): Promise<Buffer> => {
      const roles = route(call.request);
      return onChild(deps, roles, deadline, () => !call.cancelled, (link) => new Promise<Buffer>((resolve, reject) => {
        const c = link.vision.makeUnaryRequest(path, identity, identity, call.request, childMetadata(link, roles, deps, call.request), { deadline }, (err, res) => {
          call.off('cancelled', cancel);
          if (err) reject(err);
          else resolve(res as Buffer);
        });
        const cancel = (): void => c.cancel();
        call.once('cancelled', cancel);
      }));
    };
    run().then((res) => cb(null, res), (err: unknown) => cb(toGrpcStatus(err) as ServiceError));
  };
}

/**
 * Forwards a server-streaming call. A child lost before the first message is retried once; lost
 * mid-stream, the stream ends with UNAVAILABLE and `describeLoss(delivered)`.
 */
export function forwardServerStream(
  deps: ForwardDeps, path: string, route: (req: Buffer) => ModelRoles,
  count: (res: Buffer) => number, describeLoss: (delivered: number) => string,
) {
  return (call: ServerWritableStream<Buffer, Buffer>): void => {
    const deadline = deadlineOf(call, deps.defaultTimeoutMs);
    let messages = 0;
    let delivered = 0;
    const run = async (): Promise<void> => {
      const roles = route(call.request);
      await onChild(deps, roles, deadline, () => messages === 0 && !call.cancelled, (link) => new Promise<void>((resolve, reject) => {
        const c = link.text.makeServerStreamRequest(path, identity, identity, call.request, childMetadata(link, roles, deps), { deadline });
        const cancel = (): void => c.cancel();
        const resume = (): void => {
          c.resume();
        };
        const done = (): void => {
          call.off('cancelled', cancel);
          call.off('drain', resume);
        };
        call.once('cancelled', cancel);
        call.on('drain', resume);
        c.on('data', (b: Buffer) => {
          messages += 1;
          const n = count(b);
          // Counted once grpc-js has handed the message to the transport: what the client will see.
          if (!call.write(b, () => { delivered += n; })) c.pause();
        });
        let failed = false;
        c.on('error', (e: ServiceError) => {
          failed = true;
          done();
          if (messages > 0 && isChildLoss(e) && !call.cancelled) {
            // Let every message already accepted reach the transport before the count is reported.
            void flushed(call).then(() =>
              reject(new TabagentError('TA_ERR_CHILD_UNAVAILABLE', describeLoss(delivered), { retryAfterMs: 1000 })));
          } else reject(e);
        });
        c.on('end', () => {
          done();
          if (!failed) resolve();
        });
      }));
    };
    run().then(() => call.end(), (err: unknown) => {
      if (call.cancelled) return;
      // A loss before any message that could not be retried still says what happened.
      if (lostChild(err)) failStream(call, new TabagentError('TA_ERR_CHILD_UNAVAILABLE', describeLoss(0), { retryAfterMs: 1000 }));
      else failStream(call, err);
    });
  };
}

/** Resolves once the call's write buffer is empty (or the call is gone). */
async function flushed(call: ServerWritableStream<Buffer, Buffer>): Promise<void> {
  while (call.writableLength > 0 && !call.cancelled && !call.destroyed) {
    await new Promise<void>((r) => setImmediate(r));
  }
}
