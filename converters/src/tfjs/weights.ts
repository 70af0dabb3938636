// Decodes a TFJS weights manifest (float32/int32/bool, float16 and uint8/uint16 affine quantization).

import type { WeightSpec } from './core/model-json.js';
import { invalidModel } from './core/errors.js';
import { type ConstTensor, type DType, sizeOf } from './core/tensor.js';

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Converts one IEEE-754 half-precision value to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function toDType(dtype: string, name: string): DType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw invalidModel(`weight "${name}" has unsupported dtype ${dtype}`, { weight: name, dtype });
}

function decodeOne(spec: WeightSpec, bytes: Uint8Array, offset: number): { tensor: ConstTensor; size: number } {
  const n = sizeOf(spec.shape);
  const dtype = toDType(spec.dtype, spec.name);
  const q = spec.quantization;
  const storage = q?.dtype ?? spec.dtype;
  const width = BYTES[storage];
  if (width === undefined) throw invalidModel(`weight "${spec.name}" has unsupported storage ${storage}`);
  const size = n * width;
  if (offset + size > bytes.byteLength) {
    throw invalidModel(`weights buffer too short for "${spec.name}" (need ${offset + size}, have ${bytes.byteLength})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  const data = dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  if (q === undefined) {
    for (let i = 0; i < n; i++) {
      data[i] = dtype === 'float32' ? view.getFloat32(i * 4, true)
        : dtype === 'int32' ? view.getInt32(i * 4, true) : view.getUint8(i);
    }
  } else if (storage === 'float16') {
    for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < n; i++) {
      const raw = storage === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true);
      const v = raw * scale + min;
      data[i] = dtype === 'float32' ? v : Math.round(v);
    }
  }
  return { tensor: { dtype, shape: [...spec.shape], data }, size };
}

/** Byte size of a TFJS string tensor (each element: uint32 LE length, then the bytes). */
function stringTensorSize(spec: WeightSpec, bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = offset;
  for (let i = 0; i < sizeOf(spec.shape); i++) {
    if (pos + 4 > bytes.byteLength) throw invalidModel(`weights buffer too short for "${spec.name}"`);
    pos += 4 + view.getUint32(pos, true);
  }
  return pos - offset;
}

/** Decodes every manifest entry from the concatenated weight files, keyed by weight (Const node) name. */
export function decodeWeights(specs: readonly WeightSpec[], bytes: Uint8Array): Map<string, ConstTensor> {
  const out = new Map<string, ConstTensor>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype === 'string') {
      // Not representable; skipped so that only a node that really uses it is refused.
      offset += stringTensorSize(spec, bytes, offset);
      continue;
    }
    const { tensor, size } = decodeOne(spec, bytes, offset);
    out.set(spec.name, tensor);
    offset += size;
  }
  if (offset !== bytes.byteLength) {
    throw invalidModel(`weights buffer has ${bytes.byteLength} bytes but the manifest describes ${offset}`);
  }
  return out;
}
