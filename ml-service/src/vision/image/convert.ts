// Raw frame validation and conversion of RGB/BGR/RGBA/BGRA/GRAY pixels (with row stride) to packed RGB.

import type { PixelFormat, RawFrame, RgbImage } from '../types.js';
import type { BufferPool } from './buffer-pool.js';
import { invalidArgument } from '../errors.js';

/** Largest accepted frame, per side. */
export interface FrameLimits {
  maxWidth: number;
  maxHeight: number;
}

export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({ maxWidth: 8192, maxHeight: 8192 });

const CHANNELS: Readonly<Record<PixelFormat, number>> = Object.freeze({ RGB: 3, BGR: 3, RGBA: 4, BGRA: 4, GRAY: 1 });

/** Bytes per pixel for a format, or undefined when the format is unknown. */
export function channelsOf(format: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(CHANNELS, format) ? CHANNELS[format as PixelFormat] : undefined;
}

/** Throws VISION_INVALID_ARGUMENT when width/height are not positive integers within the limits. */
export function checkDimensions(width: unknown, height: unknown, limits: FrameLimits, prefix = 'frame'): void {
  for (const [name, value, max] of [
    ['width', width, limits.maxWidth],
    ['height', height, limits.maxHeight],
  ] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw invalidArgument(`${prefix}.${name}`, `must be a positive integer, got ${String(value)}`);
    }
    if (value > max) throw invalidArgument(`${prefix}.${name}`, `${value} exceeds the maximum of ${max}`);
  }
}

/**
 * Validates a raw frame and returns packed RGB. Tightly packed RGB input is returned as a view
 * (no copy); other layouts are converted into `pool` (key `rgb`) or a fresh buffer.
 */
export function rawFrameToRgb(frame: RawFrame, limits: FrameLimits = DEFAULT_FRAME_LIMITS, pool?: BufferPool): RgbImage {
  const channels = channelsOf(frame.format);
  if (channels === undefined) {
    throw invalidArgument('frame.format', `unknown pixel format ${JSON.stringify(frame.format)} (expected RGB, BGR, RGBA, BGRA or GRAY)`);
  }
  checkDimensions(frame.width, frame.height, limits);
  const { width, height, data } = frame;
  if (!(data instanceof Uint8Array)) throw invalidArgument('frame.data', 'must be a byte array');
  const rowBytes = width * channels;
  const stride = frame.stride ?? rowBytes;
  if (frame.stride !== undefined && (!Number.isInteger(stride) || stride < rowBytes)) {
    throw invalidArgument('frame.stride', `must be an integer ≥ width × ${channels} = ${rowBytes}, got ${String(frame.stride)}`);
  }
  const needed = frame.stride === undefined ? rowBytes * height : stride * (height - 1) + rowBytes;
  if (frame.stride === undefined ? data.length !== needed : data.length < needed) {
    throw invalidArgument(
      'frame.data',
      `has ${data.length} bytes; ${width}×${height} ${frame.format}${frame.stride === undefined ? '' : ` with stride ${stride}`} needs ${needed}`,
    );
  }
  if (frame.format === 'RGB' && stride === rowBytes) {
    return { data: data.subarray(0, width * height * 3), width, height };
  }
  const out = pool !== undefined ? pool.uint8('rgb', width * height * 3) : new Uint8Array(width * height * 3);
  convertRows(data, stride, frame.format, width, height, out);
  return { data: out, width, height };
}

function convertRows(src: Uint8Array, stride: number, format: PixelFormat, width: number, height: number, out: Uint8Array): void {
  const channels = CHANNELS[format];
  const swap = format === 'BGR' || format === 'BGRA';
  for (let y = 0; y < height; y++) {
    let s = y * stride;
    let d = y * width * 3;
    if (format === 'GRAY') {
      for (let x = 0; x < width; x++, s++, d += 3) {
        const v = src[s]!;
        out[d] = v;
        out[d + 1] = v;
        out[d + 2] = v;
      }
    } else if (swap) {
      for (let x = 0; x < width; x++, s += channels, d += 3) {
        out[d] = src[s + 2]!;
        out[d + 1] = src[s + 1]!;
        out[d + 2] = src[s]!;
      }
    } else {
      for (let x = 0; x < width; x++, s += channels, d += 3) {
        out[d] = src[s]!;
        out[d + 1] = src[s + 1]!;
        out[d + 2] = src[s + 2]!;
      }
    }
  }
}
