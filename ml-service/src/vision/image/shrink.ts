// Box-filter downscale by an integer factor, used before warping a large image into a small tensor so
// the bilinear sampler does not alias (an area pre-shrink, like libvips' shrink-on-load).

import type { NormalizedRect, RgbImage } from '../types.js';
import type { BufferPool } from './buffer-pool.js';

/** Integer shrink factor so that the ROI still covers at least `minScale` source pixels per tensor pixel. */
export function shrinkFactorFor(image: RgbImage, roi: NormalizedRect, tensorWidth: number, tensorHeight: number, minScale = 2): number {
  const perPixel = Math.min((roi.width * image.width) / tensorWidth, (roi.height * image.height) / tensorHeight);
  return Math.max(1, Math.floor(perPixel / minScale));
}

/** Averages k×k blocks (edge blocks are partial). Output goes into `pool` under `key`. */
export function boxShrink(image: RgbImage, k: number, pool: BufferPool, key = 'shrink'): RgbImage {
  if (k <= 1) return image;
  const { width: w, height: h, data: src } = image;
  const ow = Math.ceil(w / k);
  const oh = Math.ceil(h / k);
  const out = pool.uint8(key, ow * oh * 3);
  const acc = pool.float32(`${key}-acc`, ow * 3);
  for (let oy = 0; oy < oh; oy++) {
    acc.fill(0);
    const y0 = oy * k;
    const y1 = Math.min(h, y0 + k);
    for (let y = y0; y < y1; y++) {
      let s = y * w * 3;
      for (let ox = 0; ox < ow; ox++) {
        const x1 = Math.min(w, (ox + 1) * k);
        let r = 0;
        let g = 0;
        let b = 0;
        for (let x = ox * k; x < x1; x++, s += 3) {
          r += src[s]!;
          g += src[s + 1]!;
          b += src[s + 2]!;
        }
        const a = ox * 3;
        acc[a] = acc[a]! + r;
        acc[a + 1] = acc[a + 1]! + g;
        acc[a + 2] = acc[a + 2]! + b;
      }
    }
    const rows = y1 - y0;
    let d = oy * ow * 3;
    for (let ox = 0; ox < ow; ox++, d += 3) {
      const n = rows * (Math.min(w, (ox + 1) * k) - ox * k);
      const a = ox * 3;
      out[d] = Math.round(acc[a]! / n);
      out[d + 1] = Math.round(acc[a + 1]! / n);
      out[d + 2] = Math.round(acc[a + 2]! / n);
    }
  }
  return { data: out, width: ow, height: oh };
}

/**
 * The same region expressed on the image shrunk by `k`: shrunk pixel j averages source pixels
 * [jk, jk + k), so its centre is source coordinate jk + (k − 1) / 2.
 */
export function rectOnShrunk(roi: NormalizedRect, source: RgbImage, shrunk: RgbImage, k: number): NormalizedRect {
  const off = (k - 1) / 2;
  return {
    xCenter: (roi.xCenter * source.width - off) / k / shrunk.width,
    yCenter: (roi.yCenter * source.height - off) / k / shrunk.height,
    width: (roi.width * source.width) / k / shrunk.width,
    height: (roi.height * source.height) / k / shrunk.height,
    rotation: roi.rotation,
  };
}
