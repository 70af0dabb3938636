// `tabagent vision TASK --video FILE|URL|/dev/videoN [--fps N] [--out FILE.mp4] [--json]`: ffmpeg
// decodes to RGB, frames go through one Vision.Track stream (pixels in the message), newest frame
// wins, results print one line per processed frame, and --out encodes the annotated frames.
import { resolveFfmpeg } from '@tabagent/common';
import type { Context } from './context.js';
import { annotate } from './draw/render.js';
import { UsageError } from './exit.js';
import { FrameDecoder, FrameEncoder, probeSize } from './video/ffmpeg.js';
import { ShmRing } from './video/shm-ring.js';
import { TrackPump, type PumpFrame, type PumpShm } from './video/track-pump.js';
import { resultJSON, summary, TASKS, trackResult, type TaskName } from './vision-tasks.js';

export interface VideoOptions {
  fps?: string;
  out?: string;
  json?: boolean;
  model?: string;
  /** Decode as fast as possible instead of at the video's own rate. */
  fast?: boolean;
  /** false (--no-shared-memory): always send pixels in the message. */
  sharedMemory?: boolean;
}

const MAX_IN_FLIGHT = 2;

/** Registers a frame ring in /dev/shm when the server is local; undefined (pixels in the message) otherwise. */
async function openShm(ctx: Context, frameBytes: number): Promise<PumpShm | undefined> {
  if (!ctx.isLocal()) return undefined;
  const name = `tabagent-cli-${process.pid}`;
  let ring: ShmRing;
  try {
    ring = new ShmRing('/dev/shm', `/${name}`, frameBytes, MAX_IN_FLIGHT);
  } catch {
    return undefined;
  }
  try {
    await ctx.call(ctx.sharedMemory, ctx.sharedMemory.register, { name, key: ring.key, byteSize: ring.byteSize }, 10_000);
    return { ring, region: name };
  } catch {
    ring.close(); // e.g. the server's --shm-dir is elsewhere: fall back to pixels in the message
    return undefined;
  }
}

/** What a video run did. */
export interface VideoSummary {
  decoded: number;
  processed: number;
  dropped: number;
  seconds: number;
  /** This process's CPU time (user + system) from the first decoded frame to the end, in ms. */
  cpuMs: number;
  /** How frame pixels reached the server. */
  transport: 'shared-memory' | 'message';
}

export async function visionVideo(ctx: Context, task: TaskName, source: string, o: VideoOptions, print: (s: string) => void): Promise<VideoSummary> {
  const fps = o.fps === undefined ? undefined : Number(o.fps);
  const usage = 'tabagent vision TASK --video FILE|URL|/dev/videoN [--fps N] [--out FILE.mp4] [--json]';
  if (fps !== undefined && !(fps > 0 && fps <= 240)) throw new UsageError(`--fps must be a number in (0, 240], got "${o.fps}"`, usage);
  if (o.out && !o.out.toLowerCase().endsWith('.mp4')) throw new UsageError(`--out must name a .mp4 file, got "${o.out}"`, usage);
  const ffmpeg = resolveFfmpeg(ctx.options.ffmpeg || undefined).path;
  const { width, height } = await probeSize(ffmpeg, source).catch((e: Error) => {
    throw new UsageError(e.message, usage);
  });
  const encoder = o.out ? new FrameEncoder(ffmpeg, o.out, width, height, fps ?? 25) : undefined;
  let encoding = Promise.resolve();
  const started = performance.now();
  let processed = 0;
  const shm = o.sharedMemory === false ? undefined : await openShm(ctx, width * height * 3);
  const pump = new TrackPump(ctx.vision.track(ctx.metadata()), { task: TASKS[task].track, width, height, model: o.model ?? '', maxInFlight: MAX_IN_FLIGHT, shm }, (r, frame) => {
    const result = trackResult(task, r);
    if (!result) {
      if (r.status) print(o.json ? JSON.stringify({ timestampUs: Number(r.timestampUs), status: r.status }) : `${Number(r.timestampUs) / 1000} ms: ${r.status}`);
      return;
    }
    processed++;
    print(o.json ? JSON.stringify({ timestampUs: Number(r.timestampUs), detectorRan: r.detectorRan, result: resultJSON(result) })
      : `${(Number(r.timestampUs) / 1e6).toFixed(3)} s: ${summary(result).split('\n')[0]}`);
    if (encoder && frame) {
      const f: PumpFrame = frame;
      encoding = encoding.then(async () => encoder.write((await annotate({ data: f.data, width, height }, result)).data));
    }
  });
  let decoded = 0;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  const frameUs = 1e6 / (fps ?? 25);
  const decoder = new FrameDecoder(ffmpeg, source, width, height, { fps, realtime: o.fast !== true }, (data) => {
    cpuAtFirst ??= process.cpuUsage();
    pump.push({ timestampUs: Math.round(decoded * frameUs), data });
    decoded++;
  });
  const stop = (): void => decoder.stop();
  process.once('SIGINT', stop);
  try {
    await decoder.done;
    pump.end();
    await pump.ended;
    await encoding;
    if (encoder) await encoder.finish();
  } finally {
    process.removeListener('SIGINT', stop);
    if (shm) {
      await ctx.call(ctx.sharedMemory, ctx.sharedMemory.unregister, { name: shm.region }, 10_000).catch(() => undefined);
      shm.ring.close();
    }
  }
  const s: VideoSummary = { decoded, processed, dropped: pump.dropped, seconds: (performance.now() - started) / 1000,
    cpuMs: cpuAtFirst ? ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpuAtFirst)) : 0, transport: shm ? 'shared-memory' : 'message' };
  print(o.json ? JSON.stringify({ summary: s }) : `${decoded} frames decoded, ${processed} processed, ${s.dropped} dropped in ${s.seconds.toFixed(1)} s (frames via ${s.transport})${o.out ? `; wrote ${o.out}` : ''}`);
  return s;
}
