// Mean / Max / Min / Sum / Prod reductions, reducing NCHW tensors directly when the result order allows.

import { attrBool } from '../core/attrs.js';
import { type Dim, NCHW_PERM, dtypeOf, normAxis, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

function reduce(onnxOp: string): OpHandler {
  return (ctx, node, inputs) => {
    const [x, axesValue] = inputs;
    if (x === undefined || axesValue === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
    const shape = shapeOf(x);
    const axes = [...new Set(constInts(node, axesValue, 'axes').map((a) => normAxis(a, shape.length)))];
    const keep = attrBool(node, 'keep_dims', false);
    const out: Dim[] = keep ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
    // Reducing an NCHW tensor is fine when kept dims stay in TF order (e.g. over H,W or over C).
    const remaining = NCHW_PERM.filter((a) => !axes.includes(a));
    const ordered = remaining.every((a, i) => i === 0 || a > (remaining[i - 1] as number));
    const nchw = x.kind === 'dyn' && x.layout === 'nchw' && (keep || ordered);
    const physAxes = nchw ? axes.map((a) => NCHW_PERM.indexOf(a)) : axes;
    const src = nchw ? ctx.nchw(x) : ctx.nhwc(x);
    if (axes.length === 0) return [x];
    const name = ctx.g.op(onnxOp, [src, ctx.int64(physAxes)], { keepdims: keep ? 1 : 0 }, node.name);
    return [ctx.dyn(name, dtypeOf(x), out, nchw && keep ? 'nchw' : 'nhwc')];
  };
}

/** Reduction converters. */
export const reduceOps: OpTable = {
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Sum: reduce('ReduceSum'),
  Prod: reduce('ReduceProd'),
};
