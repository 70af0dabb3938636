// ffmpeg as a frame source and sink: probes a video's size, decodes it to packed RGB read from
// ffmpeg's stdout in whole-frame chunks, and encodes RGB frames to an MP4 with a second ffmpeg.
import { spawn, type ChildProcess } from 'node:child_process';

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

/** Decodes a source into RGB frames; `onFrame` gets each whole frame in a buffer of its own. */
export class FrameDecoder {
  readonly proc: ChildProcess;
  readonly frameBytes: number;
  private frame: Buffer;
  private filled = 0;
  private stderr = '';
  readonly done: Promise<void>;

  constructor(ffmpeg: string, source: string, readonly width: number, readonly height: number, opts: { fps?: number; realtime: boolean }, onFrame: (f: Buffer) => void) {
    this.frameBytes = width * height * 3;
    this.frame = Buffer.allocUnsafe(this.frameBytes);
    const vf = opts.fps ? ['-vf', `fps=${opts.fps}`] : [];
    this.proc = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', ...inputArgs(source, opts.realtime), ...vf, '-an', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    this.proc.stdout!.on('data', (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunk.length - off, this.frameBytes - this.filled);
        chunk.copy(this.frame, this.filled, off, off + n);
        this.filled += n;
        off += n;
        if (this.filled === this.frameBytes) {
          const full = this.frame;
          this.frame = Buffer.allocUnsafe(this.frameBytes);
          this.filled = 0;
          onFrame(full);
        }
      }
    });
    this.done = new Promise((resolve, reject) => {
      this.proc.on('error', reject);
      this.proc.on('close', (code, signal) => (code === 0 || signal === 'SIGTERM' ? resolve() : reject(new Error(`ffmpeg decode failed (${code ?? signal}): ${this.stderr.trim()}`))));
    });
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
