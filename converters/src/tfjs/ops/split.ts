// Split (equal parts) and SplitV (given sizes) as ONNX Split.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrInt } from '../core/attrs.js';
import { type Dim, type Value, NCHW_PERM, dtypeOf, normAxis, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

/** Emits one ONNX Split of `x` along logical `axis` into parts of the given sizes. */
function emitSplit(ctx: ConvertContext, node: TfNode, x: Value, axis: number, sizes: readonly number[]): Value[] {
  const shape = shapeOf(x);
  const nchw = x.kind === 'dyn' && x.layout === 'nchw';
  const physAxis = nchw ? NCHW_PERM.indexOf(axis) : axis;
  const outs = ctx.g.node('Split', [nchw ? ctx.nchw(x) : ctx.nhwc(x), ctx.int64(sizes)], { axis: physAxis }, node.name,
    sizes.length);
  return outs.map((name, i) => {
    const dims: Dim[] = shape.map((d, k) => (k === axis ? (sizes[i] as number) : d));
    return ctx.dyn(name, dtypeOf(x), dims, nchw ? 'nchw' : 'nhwc');
  });
}

/** SplitV(x, size_splits, axis): one size may be -1 (the rest of the axis). */
const splitV: OpHandler = (ctx, node, inputs) => {
  const [x, sizesValue, axisValue] = inputs;
  if (x === undefined || sizesValue === undefined || axisValue === undefined) {
    throw unsupportedOp(node.op, node.name, 'expects three inputs');
  }
  const shape = shapeOf(x);
  const axis = normAxis(constInts(node, axisValue, 'axis')[0] ?? 0, shape.length);
  const sizes = constInts(node, sizesValue, 'size_splits');
  const hole = sizes.indexOf(-1);
  if (hole >= 0) {
    const dim = shape[axis];
    if (typeof dim !== 'number') throw unsupportedOp(node.op, node.name, 'size -1 along an axis of unknown size');
    sizes[hole] = dim - sizes.reduce((a, b, i) => (i === hole ? a : a + b), 0);
  }
  return emitSplit(ctx, node, x, axis, sizes);
};

/** Split(axis, x) into `num_split` equal parts. */
const split: OpHandler = (ctx, node, inputs) => {
  const [axisValue, x] = inputs;
  if (x === undefined || axisValue === undefined) throw unsupportedOp(node.op, node.name, 'expects two inputs');
  const shape = shapeOf(x);
  const axis = normAxis(constInts(node, axisValue, 'axis')[0] ?? 0, shape.length);
  const n = attrInt(node, 'num_split', 1);
  const dim = shape[axis];
  if (typeof dim !== 'number' || dim % n !== 0) {
    throw unsupportedOp(node.op, node.name, `cannot split an axis of size ${String(dim)} into ${n} equal parts`);
  }
  return emitSplit(ctx, node, x, axis, new Array<number>(n).fill(dim / n));
};

/** Splitting converters. */
export const splitOps: OpTable = {
  Split: split,
  SplitV: splitV,
};
