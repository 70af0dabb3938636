// Constant tensors held in memory during conversion, and the small CPU kernels used to fold them.

/** TF dtypes the converter carries (bool is stored as 0/1 bytes). */
export type DType = 'float32' | 'int32' | 'bool';

/** A fully known tensor. */
export interface ConstTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** Number of elements of a static shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  return strides;
}

/** A new typed array of `dtype` with `n` elements. */
export function allocData(dtype: DType, n: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'int32') return new Int32Array(n);
  return new Uint8Array(n);
}

/** Builds a tensor from plain numbers. */
export function makeTensor(dtype: DType, shape: readonly number[], values: ArrayLike<number>): ConstTensor {
  const data = allocData(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i] as number;
  return { dtype, shape: [...shape], data };
}

/** The values of a tensor as a plain array of numbers. */
export function toNumbers(t: ConstTensor): number[] {
  return Array.from(t.data);
}

/** Broadcast shape of two static shapes (numpy rules), or undefined if incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Maps each flat index of `outShape` to the flat index of a broadcast input of shape `inShape`. */
function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  const pad = rank - inShape.length;
  const coord = new Array<number>(rank).fill(0);
  for (let f = 0; f < n; f++) {
    let off = 0;
    for (let d = pad; d < rank; d++) {
      if ((inShape[d - pad] as number) !== 1) off += (coord[d] as number) * (inStrides[d - pad] as number);
    }
    idx[f] = off;
    for (let d = rank - 1; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      if ((coord[d] as number) < (outShape[d] as number)) break;
      coord[d] = 0;
    }
  }
  return idx;
}

/** Elementwise binary op with broadcasting; `outDtype` defaults to the input dtype. */
export function binaryEval(
  a: ConstTensor, b: ConstTensor, fn: (x: number, y: number) => number, outDtype?: DType,
): ConstTensor | undefined {
  const shape = broadcastShapes(a.shape, b.shape);
  if (shape === undefined) return undefined;
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  const out = allocData(outDtype ?? a.dtype, ia.length);
  for (let i = 0; i < ia.length; i++) out[i] = fn(a.data[ia[i] as number] as number, b.data[ib[i] as number] as number);
  return { dtype: outDtype ?? a.dtype, shape, data: out };
}

/** Elementwise unary op. */
export function unaryEval(a: ConstTensor, fn: (x: number) => number, outDtype?: DType): ConstTensor {
  const out = allocData(outDtype ?? a.dtype, a.data.length);
  for (let i = 0; i < a.data.length; i++) out[i] = fn(a.data[i] as number);
  return { dtype: outDtype ?? a.dtype, shape: a.shape, data: out };
}

/** Transposes a constant tensor by `perm`. */
export function transposeEval(t: ConstTensor, perm: readonly number[]): ConstTensor {
  const outShape = perm.map((p) => t.shape[p] as number);
  const inStrides = stridesOf(t.shape);
  const n = sizeOf(outShape);
  const out = allocData(t.dtype, n);
  const rank = outShape.length;
  const coord = new Array<number>(rank).fill(0);
  for (let f = 0; f < n; f++) {
    let off = 0;
    for (let d = 0; d < rank; d++) off += (coord[d] as number) * (inStrides[perm[d] as number] as number);
    out[f] = t.data[off] as number;
    for (let d = rank - 1; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      if ((coord[d] as number) < (outShape[d] as number)) break;
      coord[d] = 0;
    }
  }
  return { dtype: t.dtype, shape: outShape, data: out };
}

/** Same data, new static shape. */
export function reshapeEval(t: ConstTensor, shape: readonly number[]): ConstTensor {
  return { dtype: t.dtype, shape: [...shape], data: t.data };
}

/** Gathers along `axis` with flat `indices` of shape `indicesShape`. */
export function gatherEval(t: ConstTensor, indices: readonly number[], indicesShape: readonly number[],
  axis: number): ConstTensor {
  const outer = sizeOf(t.shape.slice(0, axis));
  const dim = t.shape[axis] as number;
  const inner = sizeOf(t.shape.slice(axis + 1));
  const out = allocData(t.dtype, outer * indices.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const raw of indices) {
      const i = raw < 0 ? raw + dim : raw;
      const base = (a * dim + i) * inner;
      for (let k = 0; k < inner; k++) out[o++] = t.data[base + k] as number;
    }
  }
  return { dtype: t.dtype, shape: [...t.shape.slice(0, axis), ...indicesShape, ...t.shape.slice(axis + 1)], data: out };
}

/** Concatenates constant tensors along `axis`. */
export function concatEval(parts: readonly ConstTensor[], axis: number): ConstTensor {
  const first = parts[0] as ConstTensor;
  const outer = sizeOf(first.shape.slice(0, axis));
  const inners = parts.map((p) => sizeOf(p.shape.slice(axis)));
  const total = inners.reduce((a, b) => a + b, 0);
  const out = allocData(first.dtype, outer * total);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    parts.forEach((p, pi) => {
      const inner = inners[pi] as number;
      for (let k = 0; k < inner; k++) out[o++] = p.data[a * inner + k] as number;
    });
  }
  const shape = [...first.shape];
  shape[axis] = parts.reduce((s, p) => s + (p.shape[axis] as number), 0);
  return { dtype: first.dtype, shape, data: out };
}
