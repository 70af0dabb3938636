// The output image of Segment: the requested background effect behind the person mask, as raw
// pixels in the input's own layout or encoded as JPEG/PNG.
import { ImageEncoding, PixelFormat, type Image } from '@tabagent/protos/v1/vision';
import { applyBackgroundEffect, type BackgroundEffect } from '../../vision/segmentation/effects.js';
import { resizeMask } from '../../vision/shared/mask-resize.js';
import type { RgbImage } from '../../vision/types.js';
import { decodeFrame } from './frame-input.js';
import type { SegmentSettings } from './options.js';
import { asBuffer } from './to-proto.js';

interface Mask { data: Uint8Array; width: number; height: number }

/** Packed RGB → another raw layout (alpha 255, grey = Rec. 601 luma). */
export function fromRgb(rgb: Uint8Array, pixels: number, format: PixelFormat): Uint8Array {
  if (format === PixelFormat.PIXEL_FORMAT_RGB) return rgb;
  const channels = format === PixelFormat.PIXEL_FORMAT_GRAY ? 1 : format === PixelFormat.PIXEL_FORMAT_BGR ? 3 : 4;
  const out = new Uint8Array(pixels * channels);
  const swap = format === PixelFormat.PIXEL_FORMAT_BGR || format === PixelFormat.PIXEL_FORMAT_BGRA;
  for (let i = 0, s = 0, d = 0; i < pixels; i++, s += 3, d += channels) {
    const r = rgb[s]!;
    const g = rgb[s + 1]!;
    const b = rgb[s + 2]!;
    if (channels === 1) {
      out[d] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      continue;
    }
    out[d] = swap ? b : r;
    out[d + 1] = g;
    out[d + 2] = swap ? r : b;
    if (channels === 4) out[d + 3] = 255;
  }
  return out;
}

async function effectOf(s: SegmentSettings): Promise<BackgroundEffect | undefined> {
  switch (s.effect.kind) {
    case 'none': return undefined;
    case 'blur': return { kind: 'blur', radius: s.effect.radius };
    case 'color': return { kind: 'color', color: s.effect.color };
    case 'image': return { kind: 'image', image: (await decodeFrame(s.effect.frame, undefined, s.effect.field)).image };
  }
}

/**
 * Applies the effect of `s` to `frame` (undefined when no effect was asked for). `rawFormat` is the
 * input's pixel layout for raw frames, which an unspecified or RAW output keeps; encoded inputs
 * give PNG by default and RGB for RAW.
 */
export async function renderSegment(frame: RgbImage, rawFormat: PixelFormat | undefined, mask: Mask, s: SegmentSettings): Promise<Image | undefined> {
  const effect = await effectOf(s);
  if (!effect) return undefined;
  const full = mask.width === frame.width && mask.height === frame.height
    ? mask
    : { data: resizeMask(mask, frame.width, frame.height), width: frame.width, height: frame.height };
  let encoding = s.encoding;
  if (encoding === ImageEncoding.IMAGE_ENCODING_UNSPECIFIED) encoding = rawFormat === undefined ? ImageEncoding.IMAGE_ENCODING_PNG : ImageEncoding.IMAGE_ENCODING_RAW;
  const format = encoding === ImageEncoding.IMAGE_ENCODING_JPEG ? 'jpeg' : encoding === ImageEncoding.IMAGE_ENCODING_PNG ? 'png' : 'raw';
  const out = await applyBackgroundEffect(frame, full, effect, { format });
  if (format !== 'raw') {
    return { data: asBuffer(out.data), width: out.width, height: out.height, format: PixelFormat.PIXEL_FORMAT_RGB, encoding };
  }
  const layout = rawFormat ?? PixelFormat.PIXEL_FORMAT_RGB;
  return { data: asBuffer(fromRgb(out.data, out.width * out.height, layout)), width: out.width, height: out.height, format: layout, encoding };
}
