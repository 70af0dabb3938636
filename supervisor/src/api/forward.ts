// Forwards one public call to an ML node: waits for a ready node within the caller's deadline, leases
// a node that holds the call's models (loading them if needed; the least busy such node), and retries
// on another node, or the same node's next child (up to twice), when the node died under it (inference
// has no side effects; a stream is retried only before its first message, so nothing is duplicated).
// Errors of the call itself are never retried. The caller's deadline and cancellation are passed on.
import { Metadata, status, type ServiceError, type ServerUnaryCall, type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import {
  ERROR_CODE_KEY, MODELS_KEY, SHM_KEY, TabagentError, encodeRegions, encodeRoles, failStream, isServiceError, toGrpcStatus, type ModelRoles, type ResolvedRegion,
} from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { identity } from './passthrough.js';

/** A call's hold on its models on one node. */
export interface NodeLease {
  readonly node: string;
  /** The call's roles by canonical model id (aliases resolved), for the child; the asked roles when unset. */
  readonly roles?: ModelRoles;
  /** Gives the models back; idempotent. */
  release(): void;
}

/** What forwarding needs from the rest of the supervisor. */
export interface ForwardDeps {
  /** Resolves once some ML node is ready; rejects after timeoutMs, when every node is FAILED, or on shutdown. */
  whenReady(timeoutMs: number): Promise<unknown>;
  /**
   * Loads (if needed) and marks busy every model on one node that holds them all (other than `avoid`
   * when another does). A request (the default) counts against each model's queue size and is refused
   * when it is full; a Track stream does not.
   */
  lease(roles: ModelRoles, kind?: 'request' | 'stream', avoid?: string): Promise<NodeLease>;
  /** The ready link of a node. */
  link(node: string): GrpcChildLink | undefined;
  /** Default deadline when the caller set none. */
  defaultTimeoutMs: number;
  /**
   * Shared-memory regions the child may read for a call (Vision only): for a unary request, the one
   * its frame names; for a stream (no request bytes), all of them.
   */
  regions?: (request?: Buffer) => readonly ResolvedRegion[];
}

/**
 * Retries of a call that lost its child. Two, not one: on a loaded machine a restarted child can be
 * lost again soon after it became ready (a call that lost the old child is then among the first on the
 * new one), and inference has no side effects. Bounded, so a request that itself crashes the child
 * costs at most three children (the crash-loop limit still applies), and always within the deadline.
 */
const CHILD_LOSS_RETRIES = 2;
/** Pause before retrying a call whose models' load met a node going away. */
const LEASE_LOSS_PAUSE_MS = 100;
/** Poll step while the lifecycle has not yet noticed that the failed child is gone. */
const STALE_LINK_POLL_MS = 20;
/**
 * How long a link that failed a call with a bare INTERNAL may still be reported ready before the
 * child counts as alive: the error was the call's own (a child that dies is seen as gone within
 * milliseconds), and is answered instead of waiting for a new child until the deadline. A dropped
 * connection (UNAVAILABLE, CANCELLED) is a loss for sure and always waits for the next child, however
 * long the lifecycle takes to notice the exit on a loaded machine.
 */
const SAME_LINK_GRACE_MS = 1_500;

/** The grace before a failed link counts as the live child again (see SAME_LINK_GRACE_MS). */
export function sameLinkGraceMs(err: unknown): number {
  const cause = err instanceof TabagentError ? err.cause : err;
  return isServiceError(cause) && cause.code === status.INTERNAL ? SAME_LINK_GRACE_MS : Infinity;
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

/** A call just lost on a node's link. */
export interface FailedOn {
  readonly node: string;
  readonly link: GrpcChildLink;
  readonly err: unknown;
}

/**
 * A lease and its node's ready link before the deadline; after a loss, a link other than the failed
 * one (another node, or the node's next child: the lifecycle may not have seen the exit yet), or the
 * failed link again once `sameLinkGraceMs` has passed.
 */
export async function leaseLink(
  deps: ForwardDeps, roles: ModelRoles, deadline: Date, failed?: FailedOn, sameLinkGraceMs = Infinity, kind: 'request' | 'stream' = 'request',
): Promise<{ lease: NodeLease; link: GrpcChildLink }> {
  const acceptSameAt = Date.now() + sameLinkGraceMs;
  for (;;) {
    await deps.whenReady(deadline.getTime() - Date.now());
    const lease = await deps.lease(roles, kind, failed?.node);
    const link = deps.link(lease.node);
    if (link && (link !== failed?.link || Date.now() >= acceptSameAt)) return { lease, link };
    lease.release();
    if (Date.now() + STALE_LINK_POLL_MS >= deadline.getTime()) {
      throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', 'the ML process was lost and no new one was ready before the deadline', { retryAfterMs: 500 });
    }
    await new Promise((r) => setTimeout(r, STALE_LINK_POLL_MS));
  }
}

/** Runs `fn` on a leased node with the call's models, retrying on node loss while `mayRetry()`. */
export async function onChild<T>(
  deps: ForwardDeps, roles: ModelRoles, deadline: Date, mayRetry: () => boolean,
  fn: (link: GrpcChildLink, roles: ModelRoles) => Promise<T>, failed?: FailedOn, retries = CHILD_LOSS_RETRIES,
): Promise<T> {
  let leased: { lease: NodeLease; link: GrpcChildLink };
  try {
    leased = await leaseLink(deps, roles, deadline, failed, failed ? sameLinkGraceMs(failed.err) : Infinity);
  } catch (err) {
    // Loading the call's models met a node going away: try again once the lifecycle has seen it.
    if (retries > 0 && lostChild(err) && mayRetry() && deadline.getTime() > Date.now() + LEASE_LOSS_PAUSE_MS) {
      await new Promise((r) => setTimeout(r, LEASE_LOSS_PAUSE_MS));
      return onChild(deps, roles, deadline, mayRetry, fn, failed, retries - 1);
    }
    throw err;
  }
  const { lease, link } = leased;
  try {
    // The link that failed the call is still alive and ready: the failure was the call's, not a loss.
    if (failed !== undefined && link === failed.link) throw failed.err;
    return await fn(link, lease.roles ?? roles);
  } catch (err) {
    if (err !== failed?.err && retries > 0 && lostChild(err) && mayRetry() && deadline.getTime() > Date.now()) {
      lease.release();
      return onChild(deps, roles, deadline, mayRetry, fn, { node: lease.node, link, err }, retries - 1);
    }
    throw err;
  } finally {
    lease.release();
  }
}

/** Forwards a unary call (bytes in, bytes out) with one retry on child loss. */
export function forwardUnary(deps: ForwardDeps, path: string, route: (req: Buffer) => ModelRoles) {
  return (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>): void => {
    const deadline = deadlineOf(call, deps.defaultTimeoutMs);
    const run = async (): Promise<Buffer> => {
      const roles = route(call.request);
      return onChild(deps, roles, deadline, () => !call.cancelled, (link, resolved) => new Promise<Buffer>((resolve, reject) => {
        const c = link.vision.makeUnaryRequest(path, identity, identity, call.request, childMetadata(link, resolved, deps, call.request), { deadline }, (err, res) => {
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
 * Forwards a server-streaming call. A child lost before the first message is retried (up to twice); lost
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
      await onChild(deps, roles, deadline, () => messages === 0 && !call.cancelled, (link, resolved) => new Promise<void>((resolve, reject) => {
        const c = link.text.makeServerStreamRequest(path, identity, identity, call.request, childMetadata(link, resolved, deps), { deadline });
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
