// BroadcastTo: folded for constants, else ONNX Expand (same numpy broadcasting rules).

import { unsupportedOp } from '../core/errors.js';
import { binaryEval, makeTensor } from '../core/tensor.js';
import { dtypeOf, isStatic, shapeOf, symbolicElems } from '../core/values.js';
import { broadcastDims } from './align.js';
import type { OpHandler, OpTable } from './types.js';

const broadcastTo: OpHandler = (ctx, node, inputs) => {
  const [x, shape] = inputs;
  if (x === undefined || shape === undefined) throw unsupportedOp(node.op, node.name, 'expects two inputs');
  const target = symbolicElems(shape);
  if (target === undefined) throw unsupportedOp(node.op, node.name, 'the target shape must be known at conversion time');
  if (x.kind === 'const' && isStatic(target)) {
    const dims = target as readonly number[];
    const zeros = makeTensor(x.t.dtype, dims, new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(0));
    const folded = binaryEval(x.t, zeros, (a) => a);
    if (folded !== undefined) return [ctx.konst(folded)];
  }
  const out = ctx.g.op('Expand', [ctx.nhwc(x), ctx.int64Of(shape)], {}, node.name);
  return [ctx.dyn(out, dtypeOf(x), broadcastDims(ctx, [shapeOf(x), target]))];
};

/** Broadcasting converters. */
export const broadcastOps: OpTable = { BroadcastTo: broadcastTo };
