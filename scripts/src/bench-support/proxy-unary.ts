// bench:proxy target 1: the supervisor's CPU per proxied unary DetectFaces call. `calls` calls at a
// small concurrency against one server; the supervisor's utime + stime (from /proc) over the run,
// divided by the count, and the client's latency percentiles.
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { DetectFacesRequest, VisionClient, type DeepPartial, type Frame } from '@tabagent/protos/v1/vision';
import { cpuMs } from './cpu.js';

/** The frame of call i (the same shape as bench-vision-shm's sources). */
export type FrameSource = (i: number) => DeepPartial<Frame>;

/** One measured run. */
export interface UnaryRun {
  readonly calls: number;
  readonly supervisorCpuMsPerCall: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly callsPerSecond: number;
}

const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Runs `calls` DetectFaces calls (`concurrency` in flight) with frames from `frames`; `pid` is the supervisor's. */
export async function measureUnary(address: string, pid: number, frames: FrameSource, calls: number, concurrency: number): Promise<UnaryRun> {
  const vision = new VisionClient(address, credentials.createInsecure(), grpcChannelOptions());
  const once = (i: number): Promise<number> => new Promise((resolve, reject) => {
    const req = DetectFacesRequest.fromPartial({ frame: frames(i) });
    const t0 = performance.now();
    vision.detectFaces(req, new Metadata(), { deadline: new Date(Date.now() + 30_000) }, (err: ServiceError | null) => (err ? reject(err) : resolve(performance.now() - t0)));
  });
  try {
    for (let i = 0; i < 50; i++) await once(i); // warm-up: models loaded, connections and JIT warm
    const latencies: number[] = [];
    let next = 0;
    const cpu0 = cpuMs(pid) ?? NaN;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        latencies.push(await once(i));
      }
    }));
    const wall = performance.now() - t0;
    const cpu = (cpuMs(pid) ?? NaN) - cpu0;
    latencies.sort((a, b) => a - b);
    return { calls, supervisorCpuMsPerCall: cpu / calls, p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99), callsPerSecond: calls / (wall / 1000) };
  } finally {
    vision.close();
  }
}
