// Element-wise uint8 → float32 normalization into a caller-owned (reused) buffer.

/** Writes src[i] mapped from 0..255 to `range` into out (which must be at least as long as src). */
export function uint8ToFloat32(src: Uint8Array, out: Float32Array, range: readonly [number, number]): Float32Array {
  if (out.length < src.length) throw new RangeError(`output holds ${out.length} values, needs ${src.length}`);
  const [lo, hi] = range;
  const scale = (hi - lo) / 255;
  for (let i = 0; i < src.length; i++) out[i] = src[i]! * scale + lo;
  return out;
}
