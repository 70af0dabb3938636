// N-dimensional index ops: GatherNd, ScatterNd and SparseToDense as ONNX GatherND / ScatterND.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { type DType, makeTensor } from '../core/tensor.js';
import { type Dim, type Value, dtypeOf, rankOf, shapeOf, symbolicElems } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import type { OpHandler, OpTable } from './types.js';

function need(node: TfNode, inputs: readonly Value[], n: number): Value[] {
  const out = inputs.slice(0, n);
  if (out.length < n || out.some((v) => v === undefined)) throw unsupportedOp(node.op, node.name, `expects ${n} inputs`);
  return out;
}

/** Index tuples as int64; SparseToDense's rank-1 indices (scalar positions) become a column. */
function indices64(ctx: ConvertContext, v: Value, hint: string, column = false): string {
  const i64 = ctx.int64Of(v);
  return column && rankOf(v) === 1 ? ctx.g.op('Unsqueeze', [i64, ctx.int64([1])], {}, `${hint}/column`) : i64;
}

/** The static depth (last dim) of an index table. */
function indexDepth(node: TfNode, v: Value): number {
  const shape = shapeOf(v);
  const depth = shape[shape.length - 1];
  if (typeof depth !== 'number') throw unsupportedOp(node.op, node.name, 'index depth unknown at conversion time');
  return depth;
}

/** A tensor of `shapeValue`'s sizes filled with `fill` (a scalar name). */
function filled(ctx: ConvertContext, fill: string, shapeValue: Value, hint: string): { name: string; dims: Dim[] } {
  const known = symbolicElems(shapeValue);
  const len = shapeOf(shapeValue)[0];
  const dims = known ?? Array.from({ length: typeof len === 'number' ? len : 0 }, () => ctx.freshSym());
  return { name: ctx.g.op('Expand', [fill, ctx.int64Of(shapeValue)], {}, hint), dims };
}

function zeroScalar(ctx: ConvertContext, dtype: DType): string {
  return ctx.constName(makeTensor(dtype, [], [0]));
}

const gatherNd: OpHandler = (ctx, node, inputs) => {
  const [params, idx] = need(node, inputs, 2) as [Value, Value];
  if (rankOf(idx) === 0) throw unsupportedOp(node.op, node.name, 'scalar indices');
  const depth = indexDepth(node, idx);
  const iShape = shapeOf(idx);
  const out = [...iShape.slice(0, Math.max(iShape.length - 1, 0)), ...shapeOf(params).slice(depth)];
  const name = ctx.g.op('GatherND', [ctx.nhwc(params), indices64(ctx, idx, node.name)], {}, node.name);
  return [ctx.dyn(name, dtypeOf(params), out)];
};

/** ScatterNd: updates added (duplicates summed, as TF does) into zeros of the given shape. */
const scatterNd: OpHandler = (ctx, node, inputs) => {
  const [idx, updates, shape] = need(node, inputs, 3) as [Value, Value, Value];
  if (rankOf(idx) === 0) throw unsupportedOp(node.op, node.name, 'scalar indices');
  const dtype = dtypeOf(updates);
  const zeros = filled(ctx, zeroScalar(ctx, dtype), shape, `${node.name}/zeros`);
  const name = ctx.g.op('ScatterND', [zeros.name, indices64(ctx, idx, node.name), ctx.nhwc(updates)],
    { reduction: 'add' }, node.name);
  return [ctx.dyn(name, dtype, zeros.dims)];
};

/** SparseToDense: `values` (or one scalar for all) at `indices`, `default` elsewhere. */
const sparseToDense: OpHandler = (ctx, node, inputs) => {
  const [idx, shape, values, fallback] = need(node, inputs, 4) as [Value, Value, Value, Value];
  const dtype = dtypeOf(values);
  const dense = filled(ctx, ctx.nhwc(fallback), shape, `${node.name}/default`);
  if (rankOf(idx) === 0) throw unsupportedOp(node.op, node.name, 'scalar index');
  let updates = ctx.nhwc(values);
  if (rankOf(values) === 0) {
    const count = ctx.g.op('Shape', [ctx.nhwc(idx)], { start: 0, end: 1 }, `${node.name}/count`);
    updates = ctx.g.op('Expand', [updates, count], {}, `${node.name}/values`);
  }
  const name = ctx.g.op('ScatterND', [dense.name, indices64(ctx, idx, node.name, true), updates], {}, node.name);
  return [ctx.dyn(name, dtype, dense.dims)];
};

/** N-d gather / scatter converters. */
export const scatterGatherOps: OpTable = {
  GatherNd: gatherNd,
  ScatterNd: scatterNd,
  SparseToDense: sparseToDense,
};

