// Entry point turning any accepted Frame (raw pixels or encoded bytes) into packed RGB.

import type { Frame, RgbImage } from '../types.js';
import type { BufferPool } from './buffer-pool.js';
import { DEFAULT_FRAME_LIMITS, rawFrameToRgb, type FrameLimits } from './convert.js';
import { decodeImage } from './decode.js';
import { invalidArgument } from '../errors.js';

/**
 * Validates and converts a frame. Raw frames convert synchronously (into `pool` when given);
 * encoded frames are decoded with sharp. Raises VISION_INVALID_ARGUMENT naming the bad field.
 */
export async function frameToRgb(frame: Frame, limits: FrameLimits = DEFAULT_FRAME_LIMITS, pool?: BufferPool): Promise<RgbImage> {
  if (frame === null || typeof frame !== 'object') throw invalidArgument('frame', 'must be an object');
  if ('encoded' in frame && frame.encoded !== undefined) {
    if ('data' in frame && (frame as { data?: unknown }).data !== undefined) {
      throw invalidArgument('frame', 'set either encoded or data, not both');
    }
    return decodeImage(frame.encoded, limits);
  }
  if ('data' in frame && frame.data !== undefined) return rawFrameToRgb(frame, limits, pool);
  throw invalidArgument('frame', 'needs either encoded bytes or raw data');
}
