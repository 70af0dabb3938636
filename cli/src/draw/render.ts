// Draws a result onto an image with sharp: the task's SVG overlay composited over the pixels, and
// for segmentation a tinted mask (or the server's effect image when one was requested).
import sharp, { type OverlayOptions } from 'sharp';
import type { VisionResult } from './vision-result.js';
import { overlaySvg } from './overlay.js';

/** Packed RGB pixels. */
export interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

/** A 50% tint of the person area: an RGBA layer from an 8-bit mask, scaled to the image. */
async function maskLayer(mask: { data: Uint8Array; width: number; height: number }, width: number, height: number): Promise<Buffer> {
  const rgba = Buffer.alloc(mask.width * mask.height * 4);
  for (let i = 0; i < mask.width * mask.height; i++) {
    const m = mask.data[i] ?? 0;
    rgba[i * 4] = 140;
    rgba[i * 4 + 1] = 60;
    rgba[i * 4 + 2] = 255;
    rgba[i * 4 + 3] = m >= 128 ? 128 : 0;
  }
  let img = sharp(rgba, { raw: { width: mask.width, height: mask.height, channels: 4 } });
  if (mask.width !== width || mask.height !== height) img = img.resize(width, height, { fit: 'fill', kernel: 'nearest' });
  return img.png().toBuffer();
}

/** The image with the result drawn on it, as packed RGB of the same size. */
export async function annotate(image: Rgb, r: VisionResult): Promise<Rgb> {
  const { width, height } = image;
  const layers: OverlayOptions[] = [];
  if (r.task === 'segment' && r.res.mask) layers.push({ input: await maskLayer(r.res.mask, width, height) });
  else if (r.task === 'pose' && r.res.poses[0]?.segmentation?.data.length) layers.push({ input: await maskLayer(r.res.poses[0].segmentation, width, height) });
  layers.push({ input: Buffer.from(overlaySvg(r, width, height)) });
  const data = await sharp(image.data, { raw: { width, height, channels: 3 } }).composite(layers).removeAlpha().raw().toBuffer();
  return { data, width, height };
}

/** Decodes an image file (EXIF orientation applied) to packed RGB. */
export async function readRgb(file: string | Buffer): Promise<Rgb> {
  const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function writePng(image: Rgb, file: string): Promise<void> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(file);
}
