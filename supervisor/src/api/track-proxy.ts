// Vision.Track through the supervisor: the client's stream stays open across child restarts.
// Frames are forwarded to a stream on the current child; while no child is ready, each frame is
// answered at once with status "dropped: restarting", and a new child stream is opened when ready.
import type { ClientDuplexStream, ServerDuplexStream, ServiceError } from '@grpc/grpc-js';
import { MODELS_KEY, encodeRoles, failStream } from '@tabagent/common';
import { TrackRequest, TrackResponse } from '@tabagent/protos/v1/vision';
import type { ForwardDeps } from './forward.js';
import { isChildLoss } from './forward.js';
import { identity } from './passthrough.js';
import { routeTrack } from './routes.js';


/** Builds the Track handler. */
export function forwardTrack(deps: ForwardDeps, path: string) {
  return (call: ServerDuplexStream<Buffer, Buffer>): void => {
    let upstream: ClientDuplexStream<Buffer, Buffer> | undefined;
    let connecting: Promise<void> | undefined;
    const releases: Array<() => void> = [];
    let ended = false;

    const dropped = (raw: Buffer, why: string): void => {
      const req = TrackRequest.decode(raw);
      const res = TrackResponse.encode({ timestampUs: req.timestampUs, task: req.task, droppedTimestampsUs: [], status: why, detectorRan: false }).finish();
      call.write(Buffer.from(res));
    };
    const releaseAll = (): void => {
      for (const r of releases.splice(0)) r();
    };
    const connect = async (first: Buffer): Promise<void> => {
      const merged = routeTrack(TrackRequest.decode(first));
      const link = await deps.whenReady(0);
      releases.push(await deps.acquire(merged));
      const meta = link.metadata();
      meta.set(MODELS_KEY, encodeRoles(merged));
      const up = link.vision.makeBidiStreamRequest(path, identity, identity, meta);
      upstream = up;
      up.on('data', (b: Buffer) => call.write(b));
      up.on('error', (e: ServiceError) => {
        upstream = undefined;
        releaseAll();
        if (!isChildLoss(e) && !call.cancelled) failStream(call, e);
      });
      up.on('end', () => {
        upstream = undefined;
        releaseAll();
        if (ended) call.end();
      });
    };

    call.on('data', (raw: Buffer) => {
      if (upstream) {
        upstream.write(raw);
        return;
      }
      if (!connecting) {
        connecting = connect(raw).then(() => {
          upstream?.write(raw);
        }, (err: unknown) => {
          dropped(raw, `dropped: restarting (${(err as Error).message})`);
        }).finally(() => {
          connecting = undefined;
        });
        return;
      }
      dropped(raw, 'dropped: restarting');
    });
    call.on('end', () => {
      ended = true;
      if (upstream) upstream.end();
      else void (connecting ?? Promise.resolve()).then(() => (upstream ? upstream.end() : call.end()));
    });
    call.on('cancelled', () => {
      upstream?.cancel();
      releaseAll();
    });
  };
}
