// Real test photographs turned into normalised NHWC float32 model inputs (with optional crops).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../support/human-models.js';

/** Pixel region of an image. */
export interface Region {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Folder of shared test data (`TABAGENT_SHARED_DIR`, default `<repo>/../shared`). */
export function sharedDir(): string {
  const env = process.env['TABAGENT_SHARED_DIR'];
  return env !== undefined && env !== '' ? env : path.resolve(repoRoot(), '..', 'shared');
}

/** Path of a test image; the caller's read fails loudly when the shared data is missing. */
export function imagePath(file: string): string {
  return path.join(sharedDir(), 'testdata', 'images', file);
}

/** Reads `file`, crops `region` (if any), resizes to width×height RGB and maps bytes to [lo, hi]. */
export async function imageTensor(file: string, width: number, height: number, range: readonly [number, number],
  region?: Region): Promise<Float32Array> {
  let img = sharp(await readFile(imagePath(file))).removeAlpha();
  if (region !== undefined) img = img.extract(region);
  const raw = await img.resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const [lo, hi] = range;
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = lo + ((raw[i] as number) / 255) * (hi - lo);
  return out;
}

interface Landmark { readonly x: number; readonly y: number }

/** Face landmarks (normalised) of the portrait's reference file. */
export async function portraitLandmarks(): Promise<{ width: number; height: number; points: Landmark[] }> {
  const doc = JSON.parse(await readFile(imagePath('portrait.expected.json'), 'utf8')) as {
    width: number; height: number;
    references: Array<{ task: string; instances?: Array<{ landmarks?: Landmark[] }> }>;
  };
  const ref = doc.references.find((r) => r.task === 'face_landmarks');
  const points = ref?.instances?.[0]?.landmarks;
  if (points === undefined || points.length < 468) throw new Error('portrait face landmarks missing');
  return { width: doc.width, height: doc.height, points };
}

/** A square region around normalised points, scaled by `margin`, clamped to the image. */
export function squareAround(points: readonly Landmark[], imgW: number, imgH: number, margin: number): Region {
  const xs = points.map((p) => p.x * imgW);
  const ys = points.map((p) => p.y * imgH);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const side = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * margin;
  const left = Math.max(0, Math.round(cx - side / 2));
  const top = Math.max(0, Math.round(cy - side / 2));
  return {
    left, top,
    width: Math.min(imgW - left, Math.round(side)),
    height: Math.min(imgH - top, Math.round(side)),
  };
}
