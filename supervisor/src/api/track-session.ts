// One client's Vision.Track stream through the supervisor, as a small state machine:
//   idle ──frame──▶ connecting ──child + models ready──▶ open ──child lost──▶ idle
//   any state ──client end / error / cancel──▶ finished
// Frames go to a stream on the current child. While no child is ready, each frame is answered at
// once with status "dropped: restarting"; frames the lost child had not answered get the same
// answer, so every frame is accounted for exactly once. While connecting only the newest frame is
// held. A new child stream starts with the options in force (a client sends them once).
import type { ClientDuplexStream, ServerDuplexStream, ServiceError } from '@grpc/grpc-js';
import { TabagentError, failStream, invalidArgument, type ModelRoles } from '@tabagent/common';
import { TrackRequest } from '@tabagent/protos/v1/vision';
import type { GrpcChildLink } from '../child/child-link.js';
import type { ForwardDeps } from './forward.js';
import { childMetadata, isChildLoss, lostChild } from './forward.js';
import { identity } from './passthrough.js';
import { routeTrack } from './routes.js';
import { droppedResponse, requestHeader, requestOptions, responseFacts, withOptions, type TrackRequestHeader } from './track-wire.js';

/** Status of a frame that got no result because no ML child was ready. */
export const DROPPED_RESTARTING = 'dropped: restarting';
/** Status of a frame replaced by a newer one while the stream's models were being loaded. */
export const DROPPED_LOADING = 'dropped: loading models';

/** Where a Track session is. */
export type TrackState = 'idle' | 'connecting' | 'open' | 'finished';

/** Told how each frame of a stream ended (metrics): with a result, or dropped. */
export interface FrameObserver {
  frames(task: number, processed: number, dropped: number): void;
}

/** Builds the Track handler: one TrackSession per client stream. */
export function forwardTrack(deps: ForwardDeps, path: string, frames?: FrameObserver) {
  return (call: ServerDuplexStream<Buffer, Buffer>): void => {
    new TrackSession(deps, path, call, frames);
  };
}

export class TrackSession {
  #state: TrackState = 'idle';
  #roles: ModelRoles | undefined;
  /** The newest options the client sent (replayed to a new child stream). */
  #options: Uint8Array | undefined;
  #upstream: ClientDuplexStream<Buffer, Buffer> | undefined;
  /** The newest frame, while connecting. */
  #held: Buffer | undefined;
  /** Frames sent to the child stream and not yet answered, oldest first. */
  #inFlight: TrackRequestHeader[] = [];
  #release: (() => void) | undefined;
  /** The node whose stream was lost last (the next stream prefers another node holding the models). */
  #lostNode: string | undefined;
  #node: string | undefined;
  #clientEnded = false;
  /** Whether a child stream was ever open (a held frame then drops as "restarting", not "loading"). */
  #everOpened = false;

  constructor(
    private readonly deps: ForwardDeps,
    private readonly path: string,
    private readonly call: ServerDuplexStream<Buffer, Buffer>,
    private readonly frames?: FrameObserver,
  ) {
    call.on('data', (raw: Buffer) => this.#onFrame(raw));
    call.on('end', () => this.#onClientEnd());
    call.on('cancelled', () => this.#onCancelled());
  }

  get state(): TrackState {
    return this.#state;
  }

  #onFrame(raw: Buffer): void {
    if (this.#state === 'finished') return;
    const o = requestOptions(raw);
    if (o) this.#options = o;
    switch (this.#state) {
      case 'open':
        return this.#send(raw);
      case 'connecting':
        if (this.#held) this.#reply(this.#held, this.#everOpened ? DROPPED_RESTARTING : DROPPED_LOADING);
        this.#held = raw;
        return;
      case 'idle':
        return this.#connect(raw);
    }
  }

  #onClientEnd(): void {
    this.#clientEnded = true;
    if (this.#state === 'open') this.#upstream?.end();
    else if (this.#state === 'idle') this.#finish();
  }

  #onCancelled(): void {
    this.#state = 'finished';
    this.#upstream?.cancel();
    this.#upstream = undefined;
    this.#releaseModels();
  }

  #connect(first: Buffer): void {
    try {
      this.#roles ??= routeTrack(TrackRequest.decode(first));
    } catch {
      return this.#finish(invalidArgument('request', 'malformed TrackRequest message'));
    }
    this.#state = 'connecting';
    this.#held = first;
    let link: GrpcChildLink | undefined;
    let nodeReady = false;
    this.deps.whenReady(0).then(async () => {
      nodeReady = true;
      const lease = await this.deps.lease(this.#roles ?? {}, 'stream', this.#lostNode);
      this.#release = () => lease.release();
      this.#node = lease.node;
      if (lease.roles) this.#roles = lease.roles;
      link = this.deps.link(lease.node);
      if (!link) throw new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `ML node ${lease.node} was lost`, { retryAfterMs: 500 });
    }).then(() => {
      const next = this.#takeHeld();
      if (this.#state === 'finished' || this.call.cancelled) return this.#releaseModels();
      if (link && next) this.#open(link, next);
      else this.#state = 'idle';
    }, (err: unknown) => this.#connectFailed(err, nodeReady));
  }

  #connectFailed(err: unknown, hadNode: boolean): void {
    this.#releaseModels();
    const held = this.#takeHeld();
    if (this.#state === 'finished') return;
    this.#state = 'idle';
    const code = (err as { code?: unknown }).code;
    // Models that cannot be loaded, a FAILED child or a shutdown end the stream with the reason.
    const fatal = code === 'TA_ERR_CHILD_FAILED' || code === 'TA_ERR_SHUTTING_DOWN' || (hadNode && !lostChild(err) && code !== 'TA_ERR_CHILD_UNAVAILABLE');
    if (fatal) return this.#finish(err);
    if (held) this.#reply(held, DROPPED_RESTARTING);
    if (this.#clientEnded) this.#finish();
  }

  #open(link: GrpcChildLink, first: Buffer): void {
    const up = link.vision.makeBidiStreamRequest(this.path, identity, identity, childMetadata(link, this.#roles ?? {}, this.deps));
    this.#upstream = up;
    this.#state = 'open';
    this.#everOpened = true;
    up.on('data', (b: Buffer) => {
      this.#answered(b);
      if (this.#state !== 'finished') this.call.write(b);
    });
    up.on('error', (e: ServiceError) => {
      if (this.#upstream !== up || this.call.cancelled) return;
      if (isChildLoss(e)) this.#lost();
      else this.#finish(e);
    });
    up.on('end', () => {
      if (this.#upstream !== up) return;
      this.#upstream = undefined;
      this.#finish();
    });
    const header = requestHeader(first);
    this.#send(this.#options && !header.hasOptions ? withOptions(first, this.#options) : first);
    if (this.#clientEnded) up.end();
  }

  /** The child went away: answer what it still owed, and wait for the next frame to reconnect. */
  #lost(): void {
    this.#upstream = undefined;
    this.#lostNode = this.#node;
    this.#releaseModels();
    this.#state = 'idle';
    for (const h of this.#inFlight) {
      this.frames?.frames(h.task, 0, 1);
      this.call.write(droppedResponse(h, DROPPED_RESTARTING));
    }
    this.#inFlight = [];
    if (this.#clientEnded) this.#finish();
  }

  #send(raw: Buffer): void {
    this.#inFlight.push(requestHeader(raw));
    this.#upstream?.write(raw);
  }

  /** Counts the frames a child response accounts for; drops them (and every older one) from the in-flight list. */
  #answered(res: Buffer): void {
    const facts = responseFacts(res);
    const skipped = facts.timestamps.length - 1;
    this.frames?.frames(facts.task, facts.noResult ? 0 : 1, facts.noResult ? skipped + 1 : skipped);
    const covered = new Set(facts.timestamps);
    const last = this.#inFlight.findLastIndex((h) => covered.has(h.timestampUs));
    if (last >= 0) this.#inFlight = this.#inFlight.slice(last + 1);
  }

  #reply(raw: Buffer, why: string): void {
    if (this.#state === 'finished') return;
    const h = requestHeader(raw);
    this.frames?.frames(h.task, 0, 1);
    this.call.write(droppedResponse(h, why));
  }

  #takeHeld(): Buffer | undefined {
    const held = this.#held;
    this.#held = undefined;
    return held;
  }

  #releaseModels(): void {
    this.#release?.();
    this.#release = undefined;
  }

  #finish(err?: unknown): void {
    if (this.#state === 'finished') return;
    this.#state = 'finished';
    this.#releaseModels();
    if (err !== undefined) failStream(this.call, err);
    else this.call.end();
  }
}
