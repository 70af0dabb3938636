// Turns the proto Frame of a Vision request into packed RGB for the pipelines: raw pixels (with
// stride and pixel format) or JPEG/PNG bytes. Errors name the request field, e.g. `frame.width`.
import { PixelFormat as ProtoPixelFormat, type Frame as ProtoFrame } from '@tabagent/protos/v1/vision';
import type { BufferPool } from '../../vision/image/buffer-pool.js';
import { VisionError, invalidArgument } from '../../vision/errors.js';
import { frameToRgb } from '../../vision/image/frame.js';
import type { Frame, PixelFormat, RawFrame, RgbImage } from '../../vision/types.js';

const FORMATS: Readonly<Partial<Record<ProtoPixelFormat, PixelFormat>>> = Object.freeze({
  [ProtoPixelFormat.PIXEL_FORMAT_RGB]: 'RGB',
  [ProtoPixelFormat.PIXEL_FORMAT_BGR]: 'BGR',
  [ProtoPixelFormat.PIXEL_FORMAT_RGBA]: 'RGBA',
  [ProtoPixelFormat.PIXEL_FORMAT_BGRA]: 'BGRA',
  [ProtoPixelFormat.PIXEL_FORMAT_GRAY]: 'GRAY',
});

/** A decoded frame and how long decoding took. */
export interface DecodedFrame {
  image: RgbImage;
  decodeMs: number;
  /** Raw pixel format of the input, or undefined for JPEG/PNG input. */
  rawFormat: ProtoPixelFormat | undefined;
}

/** The pipeline Frame for a proto Frame; `field` is the request path of the frame. */
export function toPipelineFrame(frame: ProtoFrame | undefined, field = 'frame'): Frame {
  if (frame === undefined) throw invalidArgument(field, 'is required');
  if (frame.sharedMemory !== undefined) throw invalidArgument(`${field}.shared_memory`, 'is supported for a request\'s own frame only');
  const hasData = frame.data.length > 0;
  const hasEncoded = frame.encoded.length > 0;
  if (hasData && hasEncoded) throw invalidArgument(field, 'set either encoded or data, not both');
  if (hasEncoded) return { encoded: frame.encoded };
  if (!hasData) throw invalidArgument(field, 'has no image: set data (raw pixels) or encoded (JPEG/PNG)');
  const format = FORMATS[frame.format];
  if (format === undefined) {
    throw invalidArgument(`${field}.format`, `must be RGB, BGR, RGBA, BGRA or GRAY for raw data, got ${ProtoPixelFormat[frame.format] ?? frame.format}`);
  }
  const raw: RawFrame = { data: frame.data, width: frame.width, height: frame.height, format };
  if (frame.stride !== 0) raw.stride = frame.stride;
  return raw;
}

/**
 * Validates and decodes a frame. Raw RGB without padding is used in place; other raw layouts are
 * converted into `pool` when given. Pipeline errors are renamed under `field` when it is not "frame".
 */
export async function decodeFrame(frame: ProtoFrame | undefined, pool?: BufferPool, field = 'frame'): Promise<DecodedFrame> {
  const t0 = performance.now();
  const input = toPipelineFrame(frame, field);
  try {
    const image = await frameToRgb(input, undefined, pool);
    return { image, decodeMs: performance.now() - t0, rawFormat: 'data' in input ? frame!.format : undefined };
  } catch (err) {
    throw renameField(err, field);
  }
}

/** Re-roots a pipeline error about `frame.*` under another request field. */
export function renameField(err: unknown, field: string): unknown {
  if (field === 'frame' || !(err instanceof VisionError) || err.field === undefined || !err.field.startsWith('frame')) return err;
  const renamed = field + err.field.slice('frame'.length);
  return new VisionError(err.code, err.message.replace(err.field, renamed), renamed);
}
