// Vision workloads: unary DetectFaces on one photo (the frame in the message or in a shared-memory
// region, as the caller's frame source decides), and Track streams, one per worker, each with one
// frame in flight (throughput is then frames/s over all streams; per stream divide by the concurrency).
import { credentials, Metadata, type ClientDuplexStream } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import {
  DetectFacesRequest, TrackRequest, TrackTask, VisionClient, type DeepPartial, type DetectFacesResponse, type Frame, type TrackResponse,
} from '@tabagent/protos/v1/vision';
import type { Sample, Workload } from '../types.js';
import { answered, grpcFailure, within } from './outcome.js';

/** The Frame of the i-th call. */
export type FrameSource = (i: number) => DeepPartial<Frame>;

/** Unary DetectFaces; every answer must hold `faces` faces. */
export function detectFacesWorkload(name: string, address: string, frames: FrameSource, faces: number, deadlineMs: number): Workload {
  const client = new VisionClient(address, credentials.createInsecure(), grpcChannelOptions());
  let n = 0;
  const call = (): Promise<Sample> => {
    const t0 = performance.now();
    const req = DetectFacesRequest.fromPartial({ frame: frames(n++) });
    return new Promise((resolve) => {
      client.detectFaces(req, new Metadata(), within(deadlineMs), (err, res: DetectFacesResponse) => resolve(err
        ? grpcFailure(t0, err)
        : answered(t0, res.faces.length === faces ? undefined : `expected ${faces} faces, got ${res.faces.length}`)));
    });
  };
  return {
    name, describe: 'DetectFaces call', replaySafe: true,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(client.close()),
  };
}

/** A frame that got no result in time. */
class TrackTimeout extends Error {}

/** One Track stream that sends the next frame when the last one's result arrived. */
class TrackLane {
  readonly #stream: ClientDuplexStream<TrackRequest, TrackResponse>;
  #pending: ((r: TrackResponse | Error) => void) | undefined;
  #sent = 0;
  #failed: Error | undefined;

  readonly #frameTimeoutMs: number;

  /** A stream lives as long as the workload; each frame must be answered within `frameTimeoutMs`. */
  constructor(client: VisionClient, frameTimeoutMs: number) {
    this.#frameTimeoutMs = frameTimeoutMs;
    this.#stream = client.track(new Metadata());
    this.#stream.on('data', (r: TrackResponse) => this.#settle(r));
    this.#stream.on('error', (e: Error) => {
      this.#failed = e;
      this.#settle(e);
    });
  }

  #settle(r: TrackResponse | Error): void {
    const p = this.#pending;
    this.#pending = undefined;
    p?.(r);
  }

  /** Sends one frame and waits for its result (an Error once the stream failed). */
  next(frame: DeepPartial<Frame>, task: TrackTask): Promise<TrackResponse | Error> {
    if (this.#failed) return Promise.resolve(this.#failed);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#failed = new TrackTimeout(`no Track result within ${this.#frameTimeoutMs} ms`);
        this.#settle(this.#failed);
        this.#stream.cancel();
      }, this.#frameTimeoutMs);
      this.#pending = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.#stream.write(TrackRequest.fromPartial({ timestampUs: 1_000_000 + this.#sent * 33_333, task, frame }));
      this.#sent += 1;
    });
  }

  close(): void {
    this.#stream.end();
    this.#stream.cancel();
  }
}

/** Track streams of face detection; a call is one frame round trip on the worker's own stream. */
export function trackWorkload(address: string, frames: FrameSource, faces: number, deadlineMs: number): Workload {
  const client = new VisionClient(address, credentials.createInsecure(), grpcChannelOptions());
  return {
    name: 'track', describe: 'Track frame (one stream per worker)', replaySafe: false,
    open: (concurrency) => {
      const lanes = Array.from({ length: concurrency }, () => new TrackLane(client, deadlineMs));
      let n = 0;
      const call = async (worker: number): Promise<Sample> => {
        const lane = lanes[worker]!;
        const t0 = performance.now();
        const r = await lane.next(frames(n++), TrackTask.TRACK_TASK_FACES);
        if (r instanceof Error) {
          lane.close();
          lanes[worker] = new TrackLane(client, deadlineMs); // the next call opens a new stream
          return r instanceof TrackTimeout ? { startMs: t0, endMs: performance.now(), ok: false, code: 'TRACK_TIMEOUT', message: r.message } : grpcFailure(t0, r);
        }
        if (r.status) return { startMs: t0, endMs: performance.now(), ok: false, code: 'TRACK_STATUS', message: r.status };
        const got = r.faces?.faces.length ?? 0;
        return answered(t0, got === faces ? undefined : `expected ${faces} faces, got ${got}`);
      };
      return Promise.resolve({ call, close: () => Promise.resolve(lanes.forEach((l) => l.close())) });
    },
    close: () => Promise.resolve(client.close()),
  };
}
