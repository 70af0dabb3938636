// Where (coordinates of true elements) and Select / SelectV2 (elementwise choice by a condition).

import { OnnxType } from '../../onnx/graph-builder.js';
import { type Value, dtypeOf, rankOf, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { emitBroadcast } from './elementwise.js';
import type { OpHandler, OpTable } from './types.js';

/** Where(x) with one input: an int [count, rank] table of the coordinates where x is non-zero, row-major. */
const whereIndices: OpHandler = (ctx, node, inputs) => {
  const [x] = inputs;
  if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
  if (inputs.length === 3) return selectV2(ctx, node, inputs);
  if (inputs.length !== 1) throw unsupportedOp(node.op, node.name, `${inputs.length} inputs`);
  // ONNX NonZero gives [rank, count] int64 in row-major order; TF wants [count, rank].
  const nz = ctx.g.op('NonZero', [ctx.nhwc(x)], {}, `${node.name}/nonzero`);
  const rows = ctx.g.op('Transpose', [nz], { perm: [1, 0] }, `${node.name}/rows`);
  const name = ctx.g.op('Cast', [rows], { to: OnnxType.INT32 }, node.name);
  return [ctx.dyn(name, 'int32', [ctx.freshSym(), rankOf(x)])];
};

/** SelectV2: numpy-broadcasting choice between x and y. */
const selectV2: OpHandler = (ctx, node, inputs) => {
  const [cond, x, y] = inputs;
  if (cond === undefined || x === undefined || y === undefined) throw unsupportedOp(node.op, node.name, 'expects three inputs');
  return [emitBroadcast(ctx, 'Where', [cond, x, y], dtypeOf(x), node.name)];
};

/** Select (TF1): a vector condition picks whole rows of higher-rank x and y. */
const select: OpHandler = (ctx, node, inputs) => {
  const [cond, x, y] = inputs;
  if (cond === undefined || x === undefined || y === undefined) throw unsupportedOp(node.op, node.name, 'expects three inputs');
  const rank = rankOf(x);
  if (rankOf(cond) !== 1 || rank <= 1) return selectV2(ctx, node, inputs);
  const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  const rows: Value = ctx.dyn(ctx.g.op('Unsqueeze', [ctx.nhwc(cond), ctx.int64(axes)], {}, `${node.name}/rows`), 'bool',
    [shapeOf(cond)[0] ?? 1, ...axes.map(() => 1)]);
  return [emitBroadcast(ctx, 'Where', [rows, x, y], dtypeOf(x), node.name)];
};

/** Selection converters. */
export const selectOps: OpTable = {
  Where: whereIndices,
  Select: select,
  SelectV2: selectV2,
};
