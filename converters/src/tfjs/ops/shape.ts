// Shape, Reshape, ExpandDims, Squeeze and Transpose, folding shape arithmetic at conversion time.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrInts } from '../core/attrs.js';
import { makeTensor, reshapeEval, toNumbers, transposeEval } from '../core/tensor.js';
import {
  type Dim, type Value, NCHW_PERM, dtypeOf, isStatic, normAxis, shapeOf, symbolicElems,
} from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import type { OpHandler, OpTable } from './types.js';

function input(node: TfNode, inputs: readonly Value[], i: number): Value {
  const v = inputs[i];
  if (v === undefined) throw unsupportedOp(node.op, node.name, `missing input ${i}`);
  return v;
}

/** Known integer values of a constant input (axes, perms...), or a refusal naming the node. */
export function constInts(node: TfNode, v: Value, what: string): number[] {
  if (v.kind !== 'const') throw unsupportedOp(node.op, node.name, `${what} must be a constant`);
  return toNumbers(v.t);
}

const shapeOp: OpHandler = (ctx, node, inputs) => {
  const shape = shapeOf(input(node, inputs, 0));
  if (isStatic(shape)) return [ctx.konst(makeTensor('int32', [shape.length], shape))];
  return [{ kind: 'sym', shape: [shape.length], elems: [...shape] }];
};

/** Output dims of a reshape, resolving one -1 when the element counts allow it. */
function resolveReshape(ctx: ConvertContext, from: readonly Dim[], target: readonly Dim[]): Dim[] {
  const hole = target.indexOf(-1);
  if (hole < 0) return [...target];
  const syms = from.filter((d): d is string => typeof d === 'string');
  const num = from.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  let den = 1;
  let solvable = true;
  target.forEach((d, i) => {
    if (i === hole) return;
    if (typeof d === 'number') den *= d;
    else {
      const k = syms.indexOf(d);
      if (k >= 0) syms.splice(k, 1);
      else solvable = false;
    }
  });
  const out = [...target];
  if (solvable && syms.length === 0 && num % den === 0) out[hole] = num / den;
  else if (solvable && syms.length === 1 && num === den) out[hole] = syms[0] as string;
  else out[hole] = ctx.freshSym();
  return out;
}

const reshape: OpHandler = (ctx, node, inputs) => {
  const x = input(node, inputs, 0);
  const targetValue = input(node, inputs, 1);
  const target = symbolicElems(targetValue);
  const from = shapeOf(x);
  if (target === undefined) {
    const rank = shapeOf(targetValue)[0];
    if (typeof rank !== 'number') throw unsupportedOp(node.op, node.name, 'target shape of unknown length');
    const name = ctx.g.op('Reshape', [ctx.nhwc(x), ctx.int64Of(targetValue)], {}, node.name);
    return [ctx.dyn(name, dtypeOf(x), Array.from({ length: rank }, () => ctx.freshSym()))];
  }
  const out = resolveReshape(ctx, from, target);
  if (x.kind === 'const' && isStatic(out)) return [ctx.konst(reshapeEval(x.t, out))];
  if (x.kind === 'sym' && out.length <= 1) {
    return [{ kind: 'sym', shape: out.length === 0 ? [] : [x.elems.length], elems: x.elems }];
  }
  // ONNX Reshape target: copy (0) a symbolic dim in place, let -1 absorb one unknown, else compute at run time.
  let unknowns = target.filter((d) => d === -1).length;
  const spec: Dim[] = target.map((d, i) => {
    if (typeof d === 'number') return d;
    if (from[i] === d) return 0;
    if (unknowns === 0) {
      unknowns++;
      return -1;
    }
    return d;
  });
  const shapeName = isStatic(spec) ? ctx.int64(spec) : ctx.sizesInt64(spec);
  const name = ctx.g.op('Reshape', [ctx.nhwc(x), shapeName], {}, node.name);
  return [ctx.dyn(name, dtypeOf(x), out)];
};

function unsqueezeTo(ctx: ConvertContext, node: TfNode, x: Value, axes: readonly number[], out: Dim[]): Value {
  if (x.kind === 'const' && isStatic(out)) return ctx.konst(reshapeEval(x.t, out));
  if (x.kind === 'sym' && out.length <= 1) {
    return { kind: 'sym', shape: out.length === 0 ? [] : [x.elems.length], elems: x.elems };
  }
  const name = ctx.g.op('Unsqueeze', [ctx.nhwc(x), ctx.int64(axes)], {}, node.name);
  return ctx.dyn(name, dtypeOf(x), out);
}

const expandDims: OpHandler = (ctx, node, inputs) => {
  const x = input(node, inputs, 0);
  const shape = shapeOf(x);
  const axis = normAxis(constInts(node, input(node, inputs, 1), 'axis')[0] ?? 0, shape.length + 1);
  const out = [...shape];
  out.splice(axis, 0, 1);
  return [unsqueezeTo(ctx, node, x, [axis], out)];
};

const squeeze: OpHandler = (ctx, node, inputs) => {
  const x = input(node, inputs, 0);
  const shape = shapeOf(x);
  let axes = attrInts(node, 'squeeze_dims');
  if (axes.length === 0) axes = attrInts(node, 'axis');
  axes = axes.length === 0 ? shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => normAxis(a, shape.length));
  const out = shape.filter((_, i) => !axes.includes(i));
  if (x.kind === 'const') return [ctx.konst(reshapeEval(x.t, out as number[]))];
  if (x.kind === 'sym') return [{ kind: 'sym', shape: out as number[], elems: x.elems }];
  const name = ctx.g.op('Squeeze', [ctx.nhwc(x), ctx.int64(axes)], {}, node.name);
  return [ctx.dyn(name, dtypeOf(x), out)];
};

const transpose: OpHandler = (ctx, node, inputs) => {
  const x = input(node, inputs, 0);
  const perm = constInts(node, input(node, inputs, 1), 'perm');
  if (x.kind === 'const') return [ctx.konst(transposeEval(x.t, perm))];
  const shape = shapeOf(x);
  const out = perm.map((p) => shape[p] as Dim);
  if (x.kind === 'dyn' && x.layout === 'nchw') {
    const physical = perm.map((p) => NCHW_PERM.indexOf(p));
    return [ctx.dyn(ctx.g.op('Transpose', [x.name], { perm: physical }, node.name), x.dtype, out)];
  }
  return [ctx.dyn(ctx.g.op('Transpose', [ctx.nhwc(x)], { perm }, node.name), dtypeOf(x), out)];
};

/** Shape-manipulation converters. */
export const shapeOps: OpTable = {
  Shape: shapeOp,
  Reshape: reshape,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  Transpose: transpose,
};
