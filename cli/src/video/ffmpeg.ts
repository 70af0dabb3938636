// ffmpeg as a frame source and sink: probes a video's size, decodes it to packed RGB read from
// ffmpeg's stdout straight into whole-frame buffers, and encodes RGB frames to an MP4 with a second ffmpeg.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { openFrameSocket, type FramePool } from './frame-reader.js';

/** Input arguments: a v4l2 camera for /dev/videoN, otherwise a file or URL read at its native rate. */
export function inputArgs(source: string, realtime: boolean): string[] {
  if (source.startsWith('/dev/video')) return ['-f', 'v4l2', '-i', source];
  return [...(realtime ? ['-re'] : []), '-i', source];
}

/** Width and height of the first video stream, from ffmpeg's stream banner. */
export function probeSize(ffmpeg: string, source: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, ['-hide_banner', ...inputArgs(source, false), '-frames:v', '0', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const m = /Stream #\S+.*Video:.*?, (\d{2,5})x(\d{2,5})/.exec(err);
      if (m) resolve({ width: Number(m[1]), height: Number(m[2]) });
      else reject(new Error(`ffmpeg found no video stream in ${source}: ${err.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
}

/**
 * Decodes a source into RGB frames read in whole frames (see frame-reader.ts): `onFrame` gets each
 * frame in a buffer of `pool`, which the caller gives back (`pool.release`) once done with it.
 */
export class FrameDecoder {
  private stderr = '';
  readonly done: Promise<void>;

  private constructor(readonly proc: ChildProcess, reader: Socket) {
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    const exited = new Promise<void>((resolve, reject) => {
      this.proc.on('error', (e) => {
        reader.destroy();
        reject(e);
      });
      this.proc.on('close', (code, signal) => (code === 0 || signal === 'SIGTERM' ? resolve() : reject(new Error(`ffmpeg decode failed (${code ?? signal}): ${this.stderr.trim()}`))));
    });
    const read = new Promise<void>((resolve) => reader.once('close', () => resolve()));
    this.done = Promise.all([exited, read]).then(() => undefined);
  }

  static async start(ffmpeg: string, source: string, pool: FramePool, width: number, height: number, opts: { fps?: number; realtime: boolean }, onFrame: (f: Buffer) => void): Promise<FrameDecoder> {
    if (pool.frameBytes !== width * height * 3) throw new Error(`a ${width}x${height} RGB frame needs ${width * height * 3} bytes, the pool has ${pool.frameBytes}`);
    const pair = await openFrameSocket(pool, onFrame);
    const vf = opts.fps ? ['-vf', `fps=${opts.fps}`] : [];
    try {
      const proc = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', ...inputArgs(source, opts.realtime), ...vf, '-an', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, 'pipe:1'],
        { stdio: ['ignore', pair.child, 'pipe'] });
      return new FrameDecoder(proc, pair.reader);
    } finally {
      pair.child.destroy(); // the child holds its own copy of this end
    }
  }

  stop(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
  }
}

/** Encodes RGB frames into an H.264 MP4. */
export class FrameEncoder {
  private readonly proc: ChildProcess;
  private stderr = '';
  private readonly closed: Promise<void>;

  constructor(ffmpeg: string, file: string, width: number, height: number, fps: number) {
    this.proc = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-movflags', '+faststart', file], { stdio: ['pipe', 'ignore', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    this.closed = new Promise((resolve, reject) => {
      this.proc.on('error', reject);
      this.proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg encode failed (${code}): ${this.stderr.trim()}`))));
    });
  }

  /** Writes a frame; resolves when ffmpeg has taken it (back-pressure). */
  write(frame: Buffer): Promise<void> {
    return new Promise((resolve) => (this.proc.stdin!.write(frame) ? resolve() : this.proc.stdin!.once('drain', resolve)));
  }

  finish(): Promise<void> {
    this.proc.stdin!.end();
    return this.closed;
  }
}

/** Counts the video frames of a file by decoding it (`-f null`), for checks without ffprobe. */
export function countFrames(ffmpeg: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, ['-hide_banner', '-i', file, '-map', '0:v:0', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const all = [...err.matchAll(/frame=\s*(\d+)/g)];
      const last = all.at(-1);
      if (last) resolve(Number(last[1]));
      else reject(new Error(`cannot count frames of ${file}: ${err.slice(-300)}`));
    });
  });
}
