// Pack, ConcatV2, Tile, Fill and Range: joins and generators, kept symbolic for shape vectors.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrInt } from '../core/attrs.js';
import { type ConstTensor, allocData, concatEval, makeTensor, reshapeEval, sizeOf, toNumbers } from '../core/tensor.js';
import {
  type Dim, type Value, dtypeOf, isStatic, normAxis, rankOf, shapeOf, symbolicElems,
} from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

function allConst(values: readonly Value[]): ConstTensor[] | undefined {
  return values.every((v) => v.kind === 'const') ? values.map((v) => (v as { t: ConstTensor }).t) : undefined;
}

/** Concatenates along a logical axis, in NCHW when every operand can be. */
function emitConcat(ctx: ConvertContext, node: TfNode, parts: readonly Value[], axis: number): Value {
  const shapes = parts.map(shapeOf);
  const first = shapes[0] as readonly Dim[];
  const out = [...first];
  out[axis] = shapes.reduce<Dim>((acc, s) => {
    const d = s[axis] as Dim;
    return typeof acc === 'number' && typeof d === 'number' ? acc + d : ctx.freshSym();
  }, 0);
  const nchw = first.length === 4 && parts.some((p) => p.kind === 'dyn' && p.layout === 'nchw') &&
    parts.every((p) => p.kind === 'const' || p.kind === 'dyn');
  if (nchw) {
    const names = parts.map((p) => ctx.nchw(p));
    const name = ctx.g.op('Concat', names, { axis: [0, 3, 1, 2].indexOf(axis) }, node.name);
    return ctx.dyn(name, dtypeOf(parts[0] as Value), out, 'nchw');
  }
  const name = ctx.g.op('Concat', parts.map((p) => ctx.nhwc(p)), { axis }, node.name);
  return ctx.dyn(name, dtypeOf(parts[0] as Value), out);
}

const concat: OpHandler = (ctx, node, inputs) => {
  const parts = inputs.slice(0, -1);
  const axisValue = inputs[inputs.length - 1];
  if (axisValue === undefined || parts.length === 0) throw unsupportedOp(node.op, node.name, 'no inputs');
  const axis = normAxis(constInts(node, axisValue, 'axis')[0] ?? 0, rankOf(parts[0] as Value));
  if (parts.length === 1) return [parts[0] as Value];
  const consts = allConst(parts);
  if (consts !== undefined) return [ctx.konst(concatEval(consts, axis))];
  const elems = parts.map(symbolicElems);
  if (parts.every((p) => rankOf(p) === 1) && elems.every((e) => e !== undefined)) {
    const all = elems.flatMap((e) => e as Dim[]);
    return [{ kind: 'sym', shape: [all.length], elems: all }];
  }
  return [emitConcat(ctx, node, parts, axis)];
};

const pack: OpHandler = (ctx, node, inputs) => {
  const rank = rankOf(inputs[0] ?? missing(node));
  const axis = normAxis(attrInt(node, 'axis', 0), rank + 1);
  const consts = allConst(inputs);
  const expandedShape = (s: readonly Dim[]): Dim[] => [...s.slice(0, axis), 1, ...s.slice(axis)];
  if (consts !== undefined) {
    return [ctx.konst(concatEval(consts.map((t) => reshapeEval(t, expandedShape(t.shape) as number[])), axis))];
  }
  const elems = inputs.map(symbolicElems);
  if (rank === 0 && elems.every((e) => e !== undefined)) {
    return [{ kind: 'sym', shape: [inputs.length], elems: elems.flatMap((e) => e as Dim[]) }];
  }
  const axes = ctx.int64([axis]);
  const parts = inputs.map((v) => ctx.dyn(
    ctx.g.op('Unsqueeze', [ctx.nhwc(v), axes], {}, `${node.name}/expand`), dtypeOf(v), expandedShape(shapeOf(v))));
  return [emitConcat(ctx, node, parts, axis)];
};

function missing(node: TfNode): never {
  throw unsupportedOp(node.op, node.name, 'missing input');
}

const tile: OpHandler = (ctx, node, inputs) => {
  const x = inputs[0] ?? missing(node);
  const reps = inputs[1] ?? missing(node);
  const known = symbolicElems(reps);
  const shape = shapeOf(x);
  const out = shape.map((d, i) => {
    const r = known?.[i];
    return typeof d === 'number' && typeof r === 'number' ? d * r : r === 1 ? d : ctx.freshSym();
  });
  const name = ctx.g.op('Tile', [ctx.nhwc(x), ctx.int64Of(reps)], {}, node.name);
  return [ctx.dyn(name, dtypeOf(x), out)];
};

const fill: OpHandler = (ctx, node, inputs) => {
  const dims = inputs[0] ?? missing(node);
  const value = inputs[1] ?? missing(node);
  const elems = symbolicElems(dims);
  if (elems !== undefined && isStatic(elems) && value.kind === 'const' && sizeOf(elems) <= 1 << 20) {
    const data = allocData(value.t.dtype, sizeOf(elems)).fill(value.t.data[0] as number);
    return [ctx.konst({ dtype: value.t.dtype, shape: elems, data })];
  }
  const out = elems ?? Array.from({ length: Number(shapeOf(dims)[0]) }, () => ctx.freshSym());
  const name = ctx.g.op('Expand', [ctx.nhwc(value), ctx.int64Of(dims)], {}, node.name);
  return [ctx.dyn(name, dtypeOf(value), out)];
};

const range: OpHandler = (ctx, node, inputs) => {
  const [start, limit, delta] = inputs;
  if (start === undefined || limit === undefined || delta === undefined) missing(node);
  const consts = allConst([start, limit, delta]);
  if (consts !== undefined) {
    const [s, l, d] = consts.map((t) => toNumbers(t)[0] as number) as [number, number, number];
    const n = Math.max(Math.ceil((l - s) / d), 0);
    return [ctx.konst(makeTensor(dtypeOf(start), [n], Array.from({ length: n }, (_, i) => s + i * d)))];
  }
  const name = ctx.g.op('Range', [start, limit, delta].map((v) => ctx.nhwc(v)), {}, node.name);
  return [ctx.dyn(name, dtypeOf(start), [ctx.freshSym()])];
};

/** Joining and generating converters. */
export const combineOps: OpTable = {
  ConcatV2: concat,
  Concat: (ctx, node, inputs) => concat(ctx, node, [...inputs.slice(1), inputs[0] ?? missing(node)]),
  Pack: pack,
  Tile: tile,
  Fill: fill,
  Range: range,
};
