// Background effects from an RGB frame and an 8-bit person mask at the frame size: blur, colour or
// image replacement, or the mask itself; output as raw pixels or JPEG/PNG encoded with sharp.

import sharp from 'sharp';
import { roundNonNegative } from '../calculators/math.js';
import { decodeImage } from '../image/decode.js';
import { invalidArgument } from '../errors.js';
import type { EncodedFrame, RgbImage } from '../types.js';
import { boxBlurRgb } from './box-blur.js';

export type BackgroundEffect =
  /** Background blurred with three box passes of `radius` pixels (≈ Gaussian sigma), 1..100. */
  | { kind: 'blur'; radius: number }
  /** Background replaced by a solid colour. */
  | { kind: 'color'; color: readonly [number, number, number] }
  /** Background replaced by an image, resized to cover the frame (centre crop) when sizes differ. */
  | { kind: 'image'; image: RgbImage | EncodedFrame }
  /** The mask itself as a one-channel image (255 = person). */
  | { kind: 'mask' };

export interface EffectOutputOptions {
  /** Default 'raw' (packed RGB, or one channel for the mask effect). */
  format?: 'raw' | 'jpeg' | 'png';
  /** JPEG quality 1..100 (default 85). */
  quality?: number;
}

export interface EffectResult {
  data: Uint8Array;
  width: number;
  height: number;
  /** 3 for RGB, 1 for the mask effect. */
  channels: 1 | 3;
  format: 'raw' | 'jpeg' | 'png';
}

export interface MaskImage {
  data: Uint8Array;
  width: number;
  height: number;
}

function checkInputs(frame: RgbImage, mask: MaskImage): void {
  if (!(frame.data instanceof Uint8Array) || frame.data.length < frame.width * frame.height * 3) {
    throw invalidArgument('frame.data', `needs ${frame.width * frame.height * 3} bytes of packed RGB`);
  }
  if (mask.width !== frame.width || mask.height !== frame.height) {
    throw invalidArgument('mask', `is ${mask.width}×${mask.height}, frame is ${frame.width}×${frame.height}`);
  }
  if (!(mask.data instanceof Uint8Array) || mask.data.length < mask.width * mask.height) {
    throw invalidArgument('mask.data', `needs ${mask.width * mask.height} bytes`);
  }
}

/** out = frame·m + background·(1 − m), m = mask / 255, per pixel. */
export function composite(frame: RgbImage, mask: MaskImage, background: Uint8Array, out?: Uint8Array): Uint8Array {
  const pixels = frame.width * frame.height;
  const dst = out ?? new Uint8Array(pixels * 3);
  const f = frame.data;
  const m = mask.data;
  for (let i = 0, p = 0; i < pixels; i++, p += 3) {
    const a = m[i]!;
    if (a === 255) {
      dst[p] = f[p]!;
      dst[p + 1] = f[p + 1]!;
      dst[p + 2] = f[p + 2]!;
    } else if (a === 0) {
      dst[p] = background[p]!;
      dst[p + 1] = background[p + 1]!;
      dst[p + 2] = background[p + 2]!;
    } else {
      const w = a / 255;
      dst[p] = roundNonNegative(f[p]! * w + background[p]! * (1 - w));
      dst[p + 1] = roundNonNegative(f[p + 1]! * w + background[p + 1]! * (1 - w));
      dst[p + 2] = roundNonNegative(f[p + 2]! * w + background[p + 2]! * (1 - w));
    }
  }
  return dst;
}

async function backgroundFor(frame: RgbImage, effect: Exclude<BackgroundEffect, { kind: 'mask' }>): Promise<Uint8Array> {
  const { width, height } = frame;
  switch (effect.kind) {
    case 'blur': {
      const r = effect.radius;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || r > 100) {
        throw invalidArgument('effect.radius', `must be an integer in [1, 100], got ${String(r)}`);
      }
      return boxBlurRgb(frame.data, width, height, r);
    }
    case 'color': {
      const c = effect.color;
      if (!Array.isArray(c) || c.length !== 3 || !c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
        throw invalidArgument('effect.color', 'must be three integers in [0, 255]');
      }
      const bg = new Uint8Array(width * height * 3);
      for (let p = 0; p < bg.length; p += 3) {
        bg[p] = c[0];
        bg[p + 1] = c[1];
        bg[p + 2] = c[2];
      }
      return bg;
    }
    case 'image': {
      const src = 'encoded' in effect.image ? await decodeImage(effect.image.encoded) : effect.image;
      if (src.width === width && src.height === height) return src.data;
      const resized = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
        .resize(width, height, { fit: 'cover' })
        .raw()
        .toBuffer();
      return new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
    }
    default:
      throw invalidArgument('effect.kind', `unknown effect ${JSON.stringify((effect as { kind: unknown }).kind)}`);
  }
}

async function encode(data: Uint8Array, width: number, height: number, channels: 1 | 3, o: EffectOutputOptions): Promise<EffectResult> {
  const format = o.format ?? 'raw';
  if (format === 'raw') return { data, width, height, channels, format };
  if (format !== 'jpeg' && format !== 'png') throw invalidArgument('output.format', `must be raw, jpeg or png, got ${String(format)}`);
  const quality = o.quality ?? 85;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw invalidArgument('output.quality', 'must be an integer in [1, 100]');
  const img = sharp(data, { raw: { width, height, channels } });
  const buf = await (format === 'jpeg' ? img.jpeg({ quality }) : img.png()).toBuffer();
  return { data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), width, height, channels, format };
}

/** Applies `effect` behind the person in `mask`. Throws VISION_INVALID_ARGUMENT naming bad fields. */
export async function applyBackgroundEffect(frame: RgbImage, mask: MaskImage, effect: BackgroundEffect, output: EffectOutputOptions = {}): Promise<EffectResult> {
  checkInputs(frame, mask);
  if (effect === null || typeof effect !== 'object') throw invalidArgument('effect', 'must be an object');
  if (effect.kind === 'mask') {
    return encode(mask.data.subarray(0, mask.width * mask.height), mask.width, mask.height, 1, output);
  }
  const background = await backgroundFor(frame, effect);
  return encode(composite(frame, mask, background), frame.width, frame.height, 3, output);
}
