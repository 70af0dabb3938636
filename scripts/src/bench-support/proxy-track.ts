// bench:proxy targets 2 and 3: Track streams through the server (frames in shared memory) and the
// same pipelines in this process (the ML service's TrackSession over models loaded from the cache).
// Capacity runs each stream in lock step (next frame when the last result arrived); the seed scenario
// sends frames at a fixed rate per stream and reports latency percentiles.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { credentials, Metadata, type ClientDuplexStream } from '@grpc/grpc-js';
import { createLogger, grpcChannelOptions } from '@tabagent/common';
import { PixelFormat, TrackRequest, TrackTask, VisionClient, type TrackResponse } from '@tabagent/protos/v1/vision';
import { LoadedModels } from '../../../ml-service/dist/runtime/loaded-models.js';
import { createOnnxLoader } from '../../../ml-service/dist/runtime/onnx-loader.js';
import { TrackSession } from '../../../ml-service/dist/services/vision/track/track-session.js';
import type { RawFrame } from '../../../ml-service/dist/vision/types.js';
import { routeTrack } from '../../../supervisor/dist/api/routes.js';
import { sharedModelCache } from './paths.js';
import type { FrameSource } from './proxy-unary.js';

/** A Track workload: task and model override. */
export interface TrackWork {
  readonly task: TrackTask;
  readonly model: string;
}

/** Frames/s of a run and its per-frame latencies (ms, sorted). */
export interface TrackRun {
  readonly fps: number;
  readonly frames: number;
  readonly latencies: readonly number[];
  /** Results per stream. */
  readonly perStream: readonly number[];
}

const request = (w: TrackWork, frame: FrameSource, i: number, first: boolean): TrackRequest =>
  TrackRequest.fromPartial({ timestampUs: Date.now() * 1000 + (i % 1000), task: w.task, frame: frame(i), ...(first ? { model: w.model } : {}) });

/**
 * `streams` Track streams for `seconds` through `address`; `periodMs` 0 = lock step, else one frame
 * every periodMs per stream (a camera). Frames of stream s use slots s*2 and s*2+1 of `frame`.
 */
export async function trackThroughServer(address: string, w: TrackWork, frame: FrameSource, streams: number, seconds: number, periodMs = 0): Promise<TrackRun> {
  const vision = new VisionClient(address, credentials.createInsecure(), grpcChannelOptions());
  const latencies: number[] = [];
  const perStream = Array.from({ length: streams }, () => 0);
  let measuring = false;
  const one = (s: number): Promise<void> => new Promise((resolve, reject) => {
    const call: ClientDuplexStream<TrackRequest, TrackResponse> = vision.track(new Metadata(), { deadline: new Date(Date.now() + (seconds + 60) * 1000) });
    const sent = new Map<number, number>();
    let k = 0;
    let stopAt = Infinity;
    let timer: NodeJS.Timeout | undefined;
    const send = (): void => {
      if (performance.now() >= stopAt) {
        clearInterval(timer);
        call.end();
        return;
      }
      const req = request(w, frame, s * 2 + (k % 2), k === 0);
      k += 1;
      sent.set(req.timestampUs, performance.now());
      call.write(req);
    };
    call.on('data', (r: TrackResponse) => {
      const t = sent.get(r.timestampUs);
      for (const d of r.droppedTimestampsUs) sent.delete(d);
      sent.delete(r.timestampUs);
      if (measuring && r.status === '' && t !== undefined) {
        latencies.push(performance.now() - t);
        perStream[s] = (perStream[s] ?? 0) + 1;
      }
      if (periodMs === 0) send();
    });
    call.on('error', reject);
    call.on('end', resolve);
    stopAt = performance.now() + (seconds + 2) * 1000;
    if (periodMs === 0) send();
    else timer = setInterval(send, periodMs);
  });
  const t = setTimeout(() => (measuring = true), 2000); // the first 2 s warm up (models, JIT, tracking)
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: streams }, (_, s) => one(s)));
  } finally {
    clearTimeout(t);
    vision.close();
  }
  const frames = perStream.reduce((a, b) => a + b, 0);
  return { fps: frames / Math.max(1e-9, (performance.now() - t0) / 1000 - 2), frames, latencies: latencies.sort((a, b) => a - b), perStream };
}

/** The newest cached version folder of a model. */
async function modelDir(id: string): Promise<string> {
  const dir = join(sharedModelCache(), id.replace('/', '--'));
  const version = (await readdir(dir)).find((d) => !d.startsWith('.'));
  if (!version) throw new Error(`${id} is not in the model cache`);
  return join(dir, version);
}

/** `streams` in-process pipelines (one TrackSession each, lock step) for `seconds`; `threads` per model. */
export async function trackInProcess(w: TrackWork, frame: RawFrame, streams: number, seconds: number, threads: number): Promise<TrackRun> {
  const log = createLogger({ proc: 'bench-proxy', level: 'warn' });
  const models = new LoadedModels({
    loaders: [createOnnxLoader()], defaultThreads: threads, log,
    fileReader: (manifest) => async (path) => new Uint8Array(await readFile(join(await modelDir(manifest.model), path))),
  });
  const roles = routeTrack(TrackRequest.fromPartial({ task: w.task, model: w.model }));
  for (const id of new Set(Object.values(roles).filter(Boolean))) {
    const m = JSON.parse(await readFile(join(await modelDir(id), '.manifest.json'), 'utf8')) as { task: string; params: Record<string, unknown>; converted: { path: string; size: number; sha256: string }[] };
    await models.load({ model: id, task: m.task, runtime: 'onnxruntime', files: m.converted, options: undefined, paramsJson: JSON.stringify(m.params) });
  }
  const data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  const req = (i: number): TrackRequest => TrackRequest.fromPartial({ timestampUs: i * 40_000, task: w.task, frame: { data, width: frame.width, height: frame.height, format: PixelFormat.PIXEL_FORMAT_RGB } });
  const latencies: number[] = [];
  const perStream = Array.from({ length: streams }, () => 0);
  const warmEnd = performance.now() + 2000;
  const end = warmEnd + seconds * 1000;
  await Promise.all(Array.from({ length: streams }, async (_, s) => {
    const session = new TrackSession(models, roles, log);
    for (let i = 0; performance.now() < end; i++) {
      const t = performance.now();
      await session.process(req(i));
      if (t >= warmEnd) {
        latencies.push(performance.now() - t);
        perStream[s] = (perStream[s] ?? 0) + 1;
      }
    }
    await session.dispose();
  }));
  const frames = perStream.reduce((a, b) => a + b, 0);
  return { fps: frames / seconds, frames, latencies: latencies.sort((a, b) => a - b), perStream };
}

export { TrackTask };
