// StridedSlice (all TF masks), Slice and GatherV2, evaluated at conversion time for constant / shape inputs.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrInt } from '../core/attrs.js';
import { allocData, gatherEval, stridesOf, toNumbers } from '../core/tensor.js';
import { type Dim, type Value, NCHW_PERM, dtypeOf, normAxis, shapeOf, symbolicElems } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

const BIG = 2147483647;

/** What one input dim of a strided slice does. */
interface DimSlice {
  readonly begin: number;
  readonly end: number;
  readonly stride: number;
  readonly beginMasked: boolean;
  readonly endMasked: boolean;
  readonly shrink: boolean;
}

/** The slice expanded over the input rank, plus where new axes go in the output. */
interface DenseSlice {
  readonly dims: DimSlice[];
  /** One entry per output-before-shrink position: an input dim index or 'new'. */
  readonly layout: Array<number | 'new'>;
}

function dense(node: TfNode, rank: number, begin: number[], end: number[], strides: number[]): DenseSlice {
  const bit = (mask: string, i: number): boolean => ((attrInt(node, mask) >> i) & 1) === 1;
  const n = begin.length;
  let real = 0;
  for (let i = 0; i < n; i++) if (!bit('new_axis_mask', i) && !bit('ellipsis_mask', i)) real++;
  const dims: DimSlice[] = [];
  const layout: Array<number | 'new'> = [];
  const full = (): DimSlice => ({ begin: 0, end: 0, stride: 1, beginMasked: true, endMasked: true, shrink: false });
  for (let i = 0; i < n; i++) {
    if (bit('ellipsis_mask', i)) {
      for (let k = 0; k < rank - real; k++) { layout.push(dims.length); dims.push(full()); }
    } else if (bit('new_axis_mask', i)) {
      layout.push('new');
    } else {
      layout.push(dims.length);
      dims.push({
        begin: begin[i] ?? 0, end: end[i] ?? 0, stride: strides[i] ?? 1,
        beginMasked: bit('begin_mask', i), endMasked: bit('end_mask', i), shrink: bit('shrink_axis_mask', i),
      });
    }
  }
  while (dims.length < rank) { layout.push(dims.length); dims.push(full()); }
  return { dims, layout };
}

/** Indices selected along a static dim of size `size`. */
function indicesFor(s: DimSlice, size: number): number[] {
  if (s.shrink) return [s.begin < 0 ? s.begin + size : s.begin];
  const norm = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + size : v, lo), hi);
  const out: number[] = [];
  if (s.stride > 0) {
    const start = s.beginMasked ? 0 : norm(s.begin, 0, size);
    const stop = s.endMasked ? size : norm(s.end, 0, size);
    for (let i = start; i < stop; i += s.stride) out.push(i);
  } else {
    const start = s.beginMasked ? size - 1 : norm(s.begin, -1, size - 1);
    const stop = s.endMasked ? -1 : norm(s.end, -1, size - 1);
    for (let i = start; i > stop; i += s.stride) out.push(i);
  }
  return out;
}

function outputShape(ctx: ConvertContext, d: DenseSlice, shape: readonly Dim[]): Dim[] {
  return d.layout.flatMap((p): Dim[] => {
    if (p === 'new') return [1];
    const s = d.dims[p] as DimSlice;
    if (s.shrink) return [];
    const size = shape[p] as Dim;
    if (typeof size === 'number') return [indicesFor(s, size).length];
    return s.beginMasked && s.endMasked && s.stride === 1 ? [size] : [ctx.freshSym()];
  });
}

function sliceElems<T>(items: readonly T[], shape: readonly number[], d: DenseSlice): T[] {
  const per = d.dims.map((s, i) => indicesFor(s, shape[i] as number));
  const strides = stridesOf(shape);
  const out: T[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === per.length) { out.push(items[offset] as T); return; }
    for (const i of per[axis] as number[]) walk(axis + 1, offset + i * (strides[axis] as number));
  };
  walk(0, 0);
  return out;
}

const stridedSlice: OpHandler = (ctx, node, inputs) => {
  const [x, b, e, s] = inputs;
  if (x === undefined || b === undefined || e === undefined || s === undefined) {
    throw unsupportedOp(node.op, node.name, 'expects four inputs');
  }
  const shape = shapeOf(x);
  const d = dense(node, shape.length, constInts(node, b, 'begin'), constInts(node, e, 'end'),
    constInts(node, s, 'strides'));
  return [applySlice(ctx, node, x, d)];
};

/** Slice(x, begin, size): a size of -1 takes the rest of the axis. */
const slice: OpHandler = (ctx, node, inputs) => {
  const [x, b, s] = inputs;
  if (x === undefined || b === undefined || s === undefined) throw unsupportedOp(node.op, node.name, 'expects three inputs');
  const begin = constInts(node, b, 'begin');
  const size = constInts(node, s, 'size');
  const dims: DimSlice[] = begin.map((at, i) => {
    const n = size[i] ?? -1;
    return { begin: at, end: n < 0 ? 0 : at + n, stride: 1, beginMasked: at === 0, endMasked: n < 0, shrink: false };
  });
  return [applySlice(ctx, node, x, { dims, layout: dims.map((_, i) => i) })];
};

/** A slice folded at conversion time when `x` is known, else emitted as ONNX Slice. */
function applySlice(ctx: ConvertContext, node: TfNode, x: Value, d: DenseSlice): Value {
  const shape = shapeOf(x);
  const out = outputShape(ctx, d, shape);
  const elems = symbolicElems(x);
  if ((x.kind === 'const' || x.kind === 'sym') && elems !== undefined) {
    const picked = sliceElems(elems, shape as number[], d);
    if (x.kind === 'const' || picked.every((v) => typeof v === 'number')) {
      return ctx.konst({ dtype: 'int32', shape: out as number[], data: Int32Array.from(picked as number[]) });
    }
    return { kind: 'sym', shape: out as number[], elems: picked };
  }
  if (x.kind === 'const') {
    const picked = sliceElems(Array.from(x.t.data), x.t.shape, d);
    const data = allocData(x.t.dtype, picked.length);
    data.set(picked);
    return ctx.konst({ dtype: x.t.dtype, shape: out as number[], data });
  }
  return emitSlice(ctx, node, x, d, out);
}

function emitSlice(ctx: ConvertContext, node: TfNode, x: Value, d: DenseSlice, out: Dim[]): Value {
  const reshapes = d.layout.some((p) => p === 'new') || d.dims.some((s) => s.shrink);
  const nchw = x.kind === 'dyn' && x.layout === 'nchw' && !reshapes;
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  d.dims.forEach((s, axis) => {
    if (s.beginMasked && s.endMasked && s.stride === 1 && !s.shrink) return;
    const neg = s.stride < 0;
    starts.push(s.beginMasked ? (neg ? BIG : 0) : s.begin);
    ends.push(s.shrink ? (s.begin === -1 ? BIG : s.begin + 1) : s.endMasked ? (neg ? -BIG : BIG) : s.end);
    steps.push(s.shrink ? 1 : s.stride);
    axes.push(nchw ? NCHW_PERM.indexOf(axis) : axis);
  });
  let name = nchw ? ctx.nchw(x) : ctx.nhwc(x);
  if (axes.length > 0) {
    name = ctx.g.op('Slice', [name, ctx.int64(starts), ctx.int64(ends), ctx.int64(axes), ctx.int64(steps)], {},
      node.name);
  }
  const shrinkAxes = d.dims.flatMap((s, i) => (s.shrink ? [i] : []));
  if (shrinkAxes.length > 0) name = ctx.g.op('Squeeze', [name, ctx.int64(shrinkAxes)], {}, `${node.name}/shrink`);
  const newAxes = d.layout.filter((p) => p === 'new' || !(d.dims[p]?.shrink ?? false))
    .flatMap((p, i) => (p === 'new' ? [i] : []));
  if (newAxes.length > 0) name = ctx.g.op('Unsqueeze', [name, ctx.int64(newAxes)], {}, `${node.name}/newaxis`);
  return ctx.dyn(name, dtypeOf(x), out, nchw ? 'nchw' : 'nhwc');
}

const gather: OpHandler = (ctx, node, inputs) => {
  const [params, indices, axisValue] = inputs;
  if (params === undefined || indices === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
  if (attrInt(node, 'batch_dims') !== 0) throw unsupportedOp(node.op, node.name, 'batch_dims other than 0');
  const pShape = shapeOf(params);
  const axis = normAxis(axisValue === undefined ? 0 : (constInts(node, axisValue, 'axis')[0] ?? 0), pShape.length);
  const iShape = shapeOf(indices);
  const out = [...pShape.slice(0, axis), ...iShape, ...pShape.slice(axis + 1)];
  if (indices.kind === 'const') {
    const idx = toNumbers(indices.t);
    if (params.kind === 'const') return [ctx.konst(gatherEval(params.t, idx, indices.t.shape, axis))];
    if (params.kind === 'sym' && pShape.length === 1) {
      const picked = idx.map((i) => params.elems[i < 0 ? i + params.elems.length : i] as Dim);
      return [{ kind: 'sym', shape: [...indices.t.shape], elems: picked }];
    }
  }
  const name = ctx.g.op('Gather', [ctx.nhwc(params), ctx.nhwc(indices)], { axis }, node.name);
  return [ctx.dyn(name, dtypeOf(params), out)];
};

/** Slicing and gathering converters. */
export const sliceOps: OpTable = {
  StridedSlice: stridedSlice,
  Slice: slice,
  GatherV2: gather,
  Gather: (ctx, node, inputs) => gather(ctx, node, inputs.slice(0, 2)),
};

