// The remote half of bench:vision: unary round trips and Track throughput through a Vision endpoint
// (tabagent-server, or an ML child directly with the roles in metadata), and a standalone ML child
// started for the direct measurements.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions, grpcLinkChannelOptions, MODELS_KEY, encodeRoles } from '@tabagent/common';
import {
  DetectFacesRequest, DetectObjectsRequest, FaceMeshRequest, HandsRequest, HolisticRequest, PoseRequest, SegmentRequest, TrackRequest, VisionClient, type TrackResponse,
} from '@tabagent/protos/v1/vision';
import type { VisionCase } from './bench-vision-cases.js';
import type { FrameSource } from './bench-vision-shm.js';
import { repoRoot } from './bench-support/paths.js';

const REQUESTS = {
  detectFaces: DetectFacesRequest, faceMesh: FaceMeshRequest, hands: HandsRequest, pose: PoseRequest, holistic: HolisticRequest, segment: SegmentRequest,
  detectObjects: DetectObjectsRequest,
} as const;

/** A Vision endpoint: the client and the metadata every call carries. */
export interface Endpoint {
  client: VisionClient;
  /** Roles metadata for calls straight to an ML child; empty through the supervisor. */
  meta(c: VisionCase): Metadata;
  close(): void;
}

export function endpoint(address: string, direct: boolean): Endpoint {
  // An ML child's server has wide receive windows; its clients keep narrow ones (grpc-window.ts).
  const client = new VisionClient(address, credentials.createInsecure(), direct ? grpcLinkChannelOptions() : grpcChannelOptions());
  return {
    client,
    meta: (c) => {
      const m = new Metadata();
      if (direct) m.set(MODELS_KEY, encodeRoles(c.roles));
      return m;
    },
    close: () => client.close(),
  };
}

/** Milliseconds of `runs` sequential unary calls (after `warmup` more); frame i comes from `frames(i)`. */
export async function unaryTimes(ep: Endpoint, c: VisionCase, frames: FrameSource, runs: number, warmup = 3): Promise<number[]> {
  const type = REQUESTS[c.method] as { fromPartial(o: unknown): unknown };
  const fn = (ep.client as unknown as Record<string, (r: unknown, m: Metadata, cb: (e: ServiceError | null) => void) => void>)[c.method]!.bind(ep.client);
  const once = (i: number): Promise<number> => new Promise((resolve, reject) => {
    const t0 = performance.now();
    fn(type.fromPartial({ frame: frames(i), options: c.options, ...(c.model ? { model: c.model } : {}) }), ep.meta(c), (err) => (err ? reject(err) : resolve(performance.now() - t0)));
  });
  const out: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await once(i);
    if (i >= warmup) out.push(ms);
  }
  return out;
}

/** Track throughput: `frames` frames with `inFlight` outstanding at a time. */
export interface TrackRun { fps: number; results: number; dropped: number; detectorRuns: number }

export function trackThroughput(ep: Endpoint, c: VisionCase, source: FrameSource, frames: number, inFlight = 2, options = c.track.options): Promise<TrackRun> {
  const stream = ep.client.track(ep.meta(c));
  const warmup = 5;
  let sent = 0;
  let results = 0;
  let dropped = 0;
  let droppedAll = 0;
  let detectorRuns = 0;
  let t0 = 0;
  const send = (): void => {
    stream.write(TrackRequest.fromPartial({ timestampUs: 1_000_000 + sent * 33_333, task: c.track.task, frame: source(sent), ...(sent === 0 ? { options, ...(c.model ? { model: c.model } : {}) } : {}) }));
    sent += 1;
  };
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (r: TrackResponse) => {
      if (r.status) return reject(new Error(`Track answered "${r.status}"`));
      results += 1;
      droppedAll += r.droppedTimestampsUs.length;
      if (results === warmup) t0 = performance.now();
      if (results > warmup) {
        dropped += r.droppedTimestampsUs.length;
        if (r.detectorRan) detectorRuns += 1;
      }
      if (results === 1) for (let i = 1; i < inFlight; i++) send();
      if (sent < warmup + frames) send();
      else if (results + droppedAll === sent) {
        stream.end();
        const counted = results - warmup;
        resolve({ fps: counted / ((performance.now() - t0) / 1000), results: counted, dropped, detectorRuns });
      }
    });
    send();
  });
}

/** An ML child started on its own (models loaded from the model cache), for direct measurements. */
export async function startDirectChild(ids: readonly string[], threads: number): Promise<{ address: string; stop(): void }> {
  const proc = spawn(process.execPath, [join(repoRoot, 'scripts', 'dist', 'bench-vision-child.js'), String(threads), ...ids], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { address: string }).address);
    });
    proc.once('exit', (code) => reject(new Error(`bench ML child exited with ${code}`)));
  });
  return { address, stop: () => proc.kill('SIGTERM') };
}
