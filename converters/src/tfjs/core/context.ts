// Conversion state: the TF value table, layout changes, constant materialisation and symbolic sizes.

import { GraphBuilder, OnnxType } from '../../onnx/graph-builder.js';
import { invalidModel } from './errors.js';
import { type ConstTensor, type DType, makeTensor, transposeEval, reshapeEval } from './tensor.js';
import {
  type Dim, type DynValue, type Layout, type Value, NCHW_PERM, NHWC_PERM, constValue, isStatic,
} from './values.js';

/** ONNX element type of a TF dtype. */
export function onnxType(dtype: DType): number {
  return dtype === 'float32' ? OnnxType.FLOAT : dtype === 'int32' ? OnnxType.INT32 : OnnxType.BOOL;
}

/** Shared state for converting one graph. */
export class ConvertContext {
  readonly g = new GraphBuilder();
  private readonly values = new Map<string, Value>();
  private readonly cache = new WeakMap<object, Map<string, string>>();
  private readonly symOrigin = new Map<string, { name: string; axis: number }>();
  private symCounter = 0;
  /** Dead tensors of resolved control flow: `node:k`, or `node:*` for every output. */
  private readonly dead = new Set<string>();

  /** Records the outputs of TF node `node`. */
  set(node: string, outputs: readonly Value[]): void {
    outputs.forEach((v, i) => this.values.set(`${node}:${i}`, v));
  }

  /** The value of a TF tensor reference (`node` or `node:k`). */
  get(node: string, index: number): Value {
    const v = this.values.get(`${node}:${index}`);
    if (v === undefined) throw invalidModel(`tensor "${node}:${index}" is used before it is defined`);
    return v;
  }

  /** Marks output `index` of `node` (every output when omitted) dead: its branch does not run. */
  markDead(node: string, index?: number): void {
    this.dead.add(`${node}:${index ?? '*'}`);
  }

  /** Whether a tensor is dead. */
  isDead(node: string, index: number): boolean {
    return this.dead.has(`${node}:*`) || this.dead.has(`${node}:${index}`);
  }

  /** A new symbol for a size unknown until run time. */
  freshSym(): string {
    return `d${++this.symCounter}`;
  }

  /** Declares an ONNX tensor; symbolic dims it carries become materialisable from it. */
  dyn(name: string, dtype: DType, shape: readonly Dim[], layout: Layout = 'nhwc'): DynValue {
    const effective: Layout = shape.length === 4 ? layout : 'nhwc';
    shape.forEach((d, axis) => {
      if (typeof d === 'string' && !this.symOrigin.has(d)) {
        this.symOrigin.set(d, { name, axis: effective === 'nchw' ? NCHW_PERM.indexOf(axis) : axis });
      }
    });
    return { kind: 'dyn', dtype, shape: [...shape], name, layout: effective };
  }

  private cached(key: object, variant: string, make: () => string): string {
    let m = this.cache.get(key);
    if (m === undefined) {
      m = new Map();
      this.cache.set(key, m);
    }
    let name = m.get(variant);
    if (name === undefined) {
      name = make();
      m.set(variant, name);
    }
    return name;
  }

  /** Adds an initializer holding `t` (as int64 when `asInt64`); returns its name. */
  initializer(hint: string, t: ConstTensor, asInt64 = false): string {
    return asInt64 ? this.g.int64s(hint, t.data, t.shape) : this.g.tensor(hint, onnxType(t.dtype), t.shape, t.data);
  }

  /** An initializer for a constant (cached per tensor and variant). */
  constName(t: ConstTensor, variant = 'as-is', asInt64 = false): string {
    return this.cached(t, `${variant}/${asInt64}`, () => this.initializer('const', t, asInt64));
  }

  /** An int64 initializer from plain numbers. */
  int64(values: readonly number[], shape: readonly number[] = [values.length]): string {
    return this.initializer('i64', makeTensor('int32', shape, values), true);
  }

  /** A float32 scalar initializer. */
  float(v: number): string {
    return this.g.scalar(v, 'f32');
  }

  /** Builds a 1-D int64 tensor holding the given sizes (symbols read from the tensors that carry them). */
  sizesInt64(elems: readonly Dim[]): string {
    if (isStatic(elems)) return this.int64(elems);
    const parts = elems.map((d) => {
      if (typeof d === 'number') return this.int64([d]);
      const origin = this.symOrigin.get(d);
      if (origin === undefined) throw invalidModel(`size "${d}" has no tensor it can be read from`);
      return this.g.op('Shape', [origin.name], { start: origin.axis, end: origin.axis + 1 }, 'dim');
    });
    return parts.length === 1 ? (parts[0] as string) : this.g.op('Concat', parts, { axis: 0 }, 'sizes');
  }

  /** The ONNX name of `v` in its logical (TF) layout. */
  nhwc(v: Value): string {
    if (v.kind === 'const') return this.constName(v.t);
    if (v.kind === 'sym') {
      return this.cached(v, 'sym', () => {
        const i64 = this.sizesInt64(v.elems);
        const shaped = v.shape.length === 0 ? this.g.op('Reshape', [i64, this.int64([], [0])]) : i64;
        return this.g.op('Cast', [shaped], { to: OnnxType.INT32 });
      });
    }
    if (v.layout === 'nhwc') return v.name;
    return this.cached(v, 'nhwc', () => this.g.op('Transpose', [v.name], { perm: NHWC_PERM }, 'to_nhwc'));
  }

  /** The ONNX name of rank-4 `v` in NCHW physical layout. */
  nchw(v: Value): string {
    if (v.kind === 'const') {
      if (v.t.shape.length !== 4) throw invalidModel('NCHW view of a constant that is not rank 4');
      return this.cached(v.t, 'nchw', () => this.initializer('const', transposeEval(v.t, NCHW_PERM)));
    }
    if (v.kind === 'dyn' && v.layout === 'nchw') return v.name;
    const src = this.nhwc(v);
    return this.cached(v, 'nchw', () => this.g.op('Transpose', [src], { perm: NCHW_PERM }, 'to_nchw'));
  }

  /** An int64 ONNX tensor of `v`'s values (for shape-like ONNX inputs). */
  int64Of(v: Value): string {
    if (v.kind === 'const') return this.constName(v.t, 'as-is', true);
    if (v.kind === 'sym') {
      return this.cached(v, 'i64', () => {
        const i64 = this.sizesInt64(v.elems);
        return v.shape.length === 0 ? this.g.op('Reshape', [i64, this.int64([], [0])]) : i64;
      });
    }
    return this.cached(v, 'i64', () => this.g.op('Cast', [this.nhwc(v)], { to: OnnxType.INT64 }));
  }

  /**
   * A constant broadcast-compatible with a rank-4 NCHW operand: padded to rank 4 with leading ones and
   * transposed to NCHW. Returns undefined for a constant of rank above 4.
   */
  constForNchw(t: ConstTensor): string | undefined {
    if (t.shape.length > 4) return undefined;
    if (t.shape.every((d) => d === 1)) return this.constName(t);
    const shape4 = [...new Array<number>(4 - t.shape.length).fill(1), ...t.shape];
    return this.cached(t, 'nchw-bcast', () =>
      this.initializer('const', transposeEval(reshapeEval(t, shape4), NCHW_PERM)));
  }

  /** Wraps a computed constant. */
  konst(t: ConstTensor): Value {
    return constValue(t);
  }
}
