// Vision.Track through the supervisor: the client's stream stays open across child restarts.
// Frames go to a stream on the current child. While no child is ready, each frame is answered at
// once with status "dropped: restarting"; frames the lost child had not answered get the same
// answer, so every frame is accounted for exactly once. When a child is ready again a new child
// stream is opened, starting with the options in force, and tracking resumes.
import type { ClientDuplexStream, ServerDuplexStream, ServiceError } from '@grpc/grpc-js';
import { failStream, invalidArgument, type ModelRoles } from '@tabagent/common';
import { TrackRequest } from '@tabagent/protos/v1/vision';
import type { GrpcChildLink } from '../child/child-link.js';
import type { ForwardDeps } from './forward.js';
import { childMetadata, isChildLoss, lostChild } from './forward.js';
import { identity } from './passthrough.js';
import { routeTrack } from './routes.js';
import { droppedResponse, requestHeader, requestOptions, responseTimestamps, withOptions, type TrackRequestHeader } from './track-wire.js';

/** Status of a frame that got no result because no ML child was ready. */
export const DROPPED_RESTARTING = 'dropped: restarting';
/** Status of a frame replaced by a newer one while the stream's models were being loaded. */
export const DROPPED_LOADING = 'dropped: loading models';

/** Builds the Track handler. */
export function forwardTrack(deps: ForwardDeps, path: string) {
  return (call: ServerDuplexStream<Buffer, Buffer>): void => {
    let roles: ModelRoles | undefined;
    let options: Uint8Array | undefined;
    let upstream: ClientDuplexStream<Buffer, Buffer> | undefined;
    let connecting = false;
    let held: Buffer | undefined;
    let inFlight: TrackRequestHeader[] = [];
    let release: (() => void) | undefined;
    let clientEnded = false;
    let finished = false;
    let opened = false;

    const reply = (raw: Buffer, why: string): void => {
      if (!finished) call.write(droppedResponse(requestHeader(raw), why));
    };
    const releaseModels = (): void => {
      release?.();
      release = undefined;
    };
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      releaseModels();
      if (err !== undefined) failStream(call, err);
      else call.end();
    };
    const send = (raw: Buffer): void => {
      inFlight.push(requestHeader(raw));
      upstream?.write(raw);
    };
    const answered = (res: Buffer): void => {
      const covered = new Set(responseTimestamps(res));
      const last = inFlight.findLastIndex((h) => covered.has(h.timestampUs));
      if (last >= 0) inFlight = inFlight.slice(last + 1);
    };
    /** The child went away: answer what it still owed, and wait for the next frame to reconnect. */
    const lost = (): void => {
      upstream = undefined;
      releaseModels();
      for (const h of inFlight) if (!finished) call.write(droppedResponse(h, DROPPED_RESTARTING));
      inFlight = [];
      if (clientEnded) finish();
    };

    const open = (link: GrpcChildLink, first: Buffer): void => {
      const meta = childMetadata(link, roles ?? {}, deps);
      const up = link.vision.makeBidiStreamRequest(path, identity, identity, meta);
      upstream = up;
      opened = true;
      up.on('data', (b: Buffer) => {
        answered(b);
        if (!finished) call.write(b);
      });
      up.on('error', (e: ServiceError) => {
        if (upstream !== up) return;
        if (call.cancelled) return;
        if (isChildLoss(e)) lost();
        else finish(e);
      });
      up.on('end', () => {
        if (upstream !== up) return;
        upstream = undefined;
        finish();
      });
      // A new child stream starts with the options in force (a client sends them once).
      send(options && !requestHeader(first).hasOptions ? withOptions(first, options) : first);
      if (clientEnded) up.end();
    };

    const connect = (first: Buffer): void => {
      try {
        roles ??= routeTrack(TrackRequest.decode(first));
      } catch {
        return finish(invalidArgument('request', 'malformed TrackRequest message'));
      }
      connecting = true;
      held = first;
      let link: GrpcChildLink | undefined;
      deps.whenReady(0).then(async (l) => {
        link = l;
        release = await deps.acquire(roles ?? {});
      }).then(() => {
        connecting = false;
        const next = held;
        held = undefined;
        if (finished || call.cancelled) return releaseModels();
        if (link && next) open(link, next);
      }, (err: unknown) => {
        connecting = false;
        releaseModels();
        const code = (err as { code?: unknown }).code;
        // Models that cannot be loaded, a FAILED child or a shutdown end the stream with the reason.
        const fatal = code === 'TA_ERR_CHILD_FAILED' || code === 'TA_ERR_SHUTTING_DOWN' || (link !== undefined && !lostChild(err));
        if (held && !fatal) reply(held, DROPPED_RESTARTING);
        held = undefined;
        if (fatal) finish(err);
        else if (clientEnded) finish();
      });
    };

    call.on('data', (raw: Buffer) => {
      if (finished) return;
      const o = requestOptions(raw);
      if (o) options = o;
      if (upstream) return send(raw);
      if (connecting) {
        // Keep only the newest frame while the child stream opens.
        if (held) reply(held, opened ? DROPPED_RESTARTING : DROPPED_LOADING);
        held = raw;
        return;
      }
      connect(raw);
    });
    call.on('end', () => {
      clientEnded = true;
      if (upstream) upstream.end();
      else if (!connecting) finish();
    });
    call.on('cancelled', () => {
      finished = true;
      upstream?.cancel();
      upstream = undefined;
      releaseModels();
    });
  };
}
