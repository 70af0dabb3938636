// Test helper: the shared test videos and their per-frame goldens (schema testdata-expected-video/v1).
// Frames are decoded by ffmpeg (the packaged build, or $TABAGENT_FFMPEG) to raw RGB through a pipe and yielded one at a time, so a
// whole video never sits in memory.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '@tabagent/common';
import { sharedDir } from './paths.js';
import type { Landmark, RawFrame } from '../types.js';

/** One landmark as [x, y, z] (x, y normalized to the frame; world references in metres). */
export type GoldenPoint = readonly [number, number, number];

export interface VideoReference {
  task: string;
  producer: string;
  tolerance?: Record<string, number>;
  frames: { frame: number; instances: { landmarks: GoldenPoint[] }[] }[];
}

export interface VideoExpected {
  video: string;
  width: number;
  height: number;
  fps: number;
  frame_count: number;
  references: VideoReference[];
}

export interface VideoFrame extends RawFrame {
  /** Index in decode order (0-based). */
  index: number;
  /** index / fps, in microseconds. */
  timestampUs: number;
}

export function videoPath(name: string): string {
  return join(sharedDir(), 'testdata', 'video', name);
}

export function readVideoExpected(name: string): VideoExpected {
  const base = name.replace(/\.mp4$/i, '');
  return JSON.parse(readFileSync(videoPath(`${base}.expected.json`), 'utf8')) as VideoExpected;
}

export function videoReference(expected: VideoExpected, task: string): VideoReference {
  const ref = expected.references.find((r) => r.task === task);
  if (ref === undefined) throw new Error(`${expected.video}: no ${task} reference`);
  return ref;
}

/**
 * Decodes `name` to RGB frames of the golden's size. `every` > 1 keeps every n-th frame (the others
 * are still decoded, as the codec needs them). Fails when ffmpeg cannot run or exits with an error.
 */
export async function* decodeVideo(name: string, expected: VideoExpected, every = 1): AsyncGenerator<VideoFrame> {
  const { width, height, fps } = expected;
  const frameBytes = width * height * 3;
  const child = spawn(resolveFfmpeg().path, ['-v', 'error', '-nostdin', '-i', videoPath(name), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  exited.catch(() => undefined); // awaited below; keeps an early spawn error from being unhandled
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled < frameBytes) continue;
        if (index % every === 0) {
          yield { data: frame, width, height, format: 'RGB', index, timestampUs: Math.round((index * 1e6) / fps) };
          frame = new Uint8Array(frameBytes);
        }
        filled = 0;
        index++;
      }
    }
    const code = await exited;
    if (code !== 0) throw new Error(`ffmpeg failed on ${name} (exit ${code}): ${stderr.trim()}`);
    if (filled !== 0) throw new Error(`${name}: trailing partial frame (${filled} of ${frameBytes} bytes)`);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

export interface FrameError {
  /** Largest per-landmark error: max(|dx|, |dy|) in pixels (image) or max(|dx|, |dy|, |dz|) (world). */
  max: number;
  /** Mean of the per-landmark errors. */
  mean: number;
}

/** Image landmarks against a golden frame, in pixels of a `width` × `height` frame. */
export function pixelError(got: readonly Landmark[], want: readonly GoldenPoint[], width: number, height: number): FrameError {
  if (got.length < want.length) throw new Error(`${got.length} landmarks, golden has ${want.length}`);
  let max = 0;
  let sum = 0;
  want.forEach(([x, y], i) => {
    const g = got[i]!;
    const e = Math.max(Math.abs(g.x - x) * width, Math.abs(g.y - y) * height);
    max = Math.max(max, e);
    sum += e;
  });
  return { max, mean: sum / want.length };
}

/** World landmarks against a golden frame, in metres. */
export function worldError(got: readonly Landmark[], want: readonly GoldenPoint[]): FrameError {
  if (got.length < want.length) throw new Error(`${got.length} world landmarks, golden has ${want.length}`);
  let max = 0;
  let sum = 0;
  want.forEach(([x, y, z], i) => {
    const g = got[i]!;
    const e = Math.max(Math.abs(g.x - x), Math.abs(g.y - y), Math.abs(g.z - z));
    max = Math.max(max, e);
    sum += e;
  });
  return { max, mean: sum / want.length };
}

/** The golden landmarks of one frame's first instance; throws when the frame has none. */
export function goldenFrame(ref: VideoReference, index: number): GoldenPoint[] {
  const frame = ref.frames.find((f) => f.frame === index);
  const inst = frame?.instances[0];
  if (inst === undefined) throw new Error(`${ref.task}: no golden instance for frame ${index}`);
  return inst.landmarks;
}
