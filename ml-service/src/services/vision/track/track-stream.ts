// The Track bidi handler of the child: frames go through a newest-frame queue into the stream's
// session; each result echoes its frame's timestamp and lists the frames skipped before it. Any
// error ends the stream with its status (the child itself keeps serving).
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { failStream, type Logger } from '@tabagent/common';
import type { TrackRequest, TrackResponse } from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../../runtime/loaded-models.js';
import { rolesOf } from '../models.js';
import { regionsOf } from '../shared-frame.js';
import { NewestFrameQueue } from './newest-frame-queue.js';
import { TrackSession } from './track-session.js';

/** Serves one Track call. */
export function serveTrack(call: ServerDuplexStream<TrackRequest, TrackResponse>, loadedModels: LoadedModels, log: Logger): void {
  const session = new TrackSession(loadedModels, rolesOf(call.metadata), log, regionsOf(call.metadata));
  const stats = { frames: 0, results: 0, dropped: 0 };
  const close = (): void => {
    session.dispose().catch((err: unknown) => log.warn({ err }, 'track stream cleanup failed'));
  };
  const queue = new NewestFrameQueue<TrackRequest, TrackResponse>({
    process: (req) => session.process(req),
    deliver: (res, dropped) => {
      stats.results += 1;
      stats.dropped += dropped.length;
      res.droppedTimestampsUs = dropped;
      call.write(res);
    },
    done: () => {
      log.debug(stats, 'track stream ended');
      close();
      call.end();
    },
    fail: (err) => {
      log.debug({ ...stats, err: (err as Error).message }, 'track stream failed');
      close();
      if (!call.cancelled) failStream(call, err);
    },
  });
  call.on('data', (req: TrackRequest) => {
    stats.frames += 1;
    queue.push(req);
  });
  call.on('end', () => queue.end());
  call.on('cancelled', () => {
    queue.stop();
    close();
  });
}
