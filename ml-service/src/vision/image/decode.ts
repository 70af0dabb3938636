// JPEG/PNG decoding with sharp into packed RGB, honouring EXIF orientation.

import sharp, { type OutputInfo } from 'sharp';
import type { RgbImage } from '../types.js';
import { checkDimensions, DEFAULT_FRAME_LIMITS, type FrameLimits } from './convert.js';
import { invalidArgument, VisionError } from '../errors.js';

/**
 * Decodes an encoded image to packed RGB (alpha dropped, grey expanded). EXIF orientation is
 * applied, so the result is upright. Corrupt or unsupported bytes and images over the limits
 * raise VISION_INVALID_ARGUMENT naming `frame.encoded`.
 */
export async function decodeImage(encoded: Uint8Array, limits: FrameLimits = DEFAULT_FRAME_LIMITS): Promise<RgbImage> {
  if (!(encoded instanceof Uint8Array) || encoded.length === 0) {
    throw invalidArgument('frame.encoded', 'must be a non-empty byte array');
  }
  const input = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  let data: Buffer;
  let info: OutputInfo;
  try {
    const image = sharp(input, { failOn: 'error', limitInputPixels: limits.maxWidth * limits.maxHeight });
    const meta = await image.metadata();
    const swapped = (meta.orientation ?? 1) >= 5;
    const width = swapped ? meta.height : meta.width;
    const height = swapped ? meta.width : meta.height;
    checkDimensions(width, height, limits, 'frame.encoded');
    ({ data, info } = await image.rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }));
  } catch (err) {
    if (err instanceof VisionError) throw err;
    // libvips reports one line per problem: one message line for clients (and terminals).
    const reason = (err instanceof Error ? err.message : String(err)).trim().replace(/\s*\n\s*/g, '; ');
    throw invalidArgument('frame.encoded', `cannot decode image (${reason})`);
  }
  const pixels = info.width * info.height;
  if (info.channels === 3) {
    return { data: new Uint8Array(data.buffer, data.byteOffset, pixels * 3), width: info.width, height: info.height };
  }
  return { data: expandToRgb(data, info.channels, pixels), width: info.width, height: info.height };
}

function expandToRgb(src: Uint8Array, channels: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, s = 0, d = 0; i < pixels; i++, s += channels, d += 3) {
    const r = src[s]!;
    out[d] = r;
    out[d + 1] = channels >= 3 ? src[s + 1]! : r;
    out[d + 2] = channels >= 3 ? src[s + 2]! : r;
  }
  return out;
}
