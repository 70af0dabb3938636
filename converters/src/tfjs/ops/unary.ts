// Elementwise unary ops (activations, math, Cast, Identity, ZerosLike) with constant folding.

import { type ConvertContext, onnxType } from '../core/context.js';
import type { AttrValue } from '../../onnx/graph-builder.js';
import { attrFloat, attrType } from '../core/attrs.js';
import { unaryEval, type DType, makeTensor, sizeOf } from '../core/tensor.js';
import { type Value, dtypeOf, isStatic, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import type { OpHandler, OpTable } from './types.js';

interface UnarySpec {
  readonly onnx: string;
  readonly fold?: (x: number) => number;
  readonly attrs?: (node: Parameters<OpHandler>[1]) => Record<string, AttrValue>;
}

const UNARY: Readonly<Record<string, UnarySpec>> = {
  Relu: { onnx: 'Relu', fold: (x) => Math.max(0, x) },
  Sigmoid: { onnx: 'Sigmoid', fold: (x) => 1 / (1 + Math.exp(-x)) },
  Tanh: { onnx: 'Tanh', fold: Math.tanh },
  Neg: { onnx: 'Neg', fold: (x) => -x },
  Cos: { onnx: 'Cos', fold: Math.cos },
  Sin: { onnx: 'Sin', fold: Math.sin },
  Floor: { onnx: 'Floor', fold: Math.floor },
  Ceil: { onnx: 'Ceil', fold: Math.ceil },
  Round: { onnx: 'Round', fold: (x) => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; } },
  Exp: { onnx: 'Exp', fold: Math.exp },
  Log: { onnx: 'Log', fold: Math.log },
  Sqrt: { onnx: 'Sqrt', fold: Math.sqrt },
  Abs: { onnx: 'Abs', fold: Math.abs },
  Sign: { onnx: 'Sign', fold: Math.sign },
  Reciprocal: { onnx: 'Reciprocal', fold: (x) => 1 / x },
  Softplus: { onnx: 'Softplus', fold: (x) => Math.log1p(Math.exp(x)) },
  LogicalNot: { onnx: 'Not', fold: (x) => Number(x === 0) },
  Elu: { onnx: 'Elu', fold: (x) => (x >= 0 ? x : Math.expm1(x)) },
  Selu: { onnx: 'Selu' },
  LeakyRelu: {
    onnx: 'LeakyRelu',
    attrs: (node) => ({ alpha: { float: attrFloat(node, 'alpha', 0.2) } }),
  },
};

/** Applies a unary ONNX op keeping the operand's layout. */
export function emitUnary(ctx: ConvertContext, onnxOp: string, x: Value, hint: string,
  attrs: Record<string, AttrValue> = {}, extraInputs: readonly string[] = [], dtype?: DType): Value {
  const layout = x.kind === 'dyn' ? x.layout : 'nhwc';
  const name = ctx.g.op(onnxOp, [layout === 'nchw' ? ctx.nchw(x) : ctx.nhwc(x), ...extraInputs], attrs, hint);
  return ctx.dyn(name, dtype ?? dtypeOf(x), shapeOf(x), layout);
}

/** Relu6 as Clip(0, 6). */
export function emitRelu6(ctx: ConvertContext, x: Value, hint: string): Value {
  return emitUnary(ctx, 'Clip', x, hint, {}, [ctx.float(0), ctx.float(6)]);
}

function unary(spec: UnarySpec): OpHandler {
  return (ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    if (x.kind === 'const' && spec.fold !== undefined) return [ctx.konst(unaryEval(x.t, spec.fold))];
    return [emitUnary(ctx, spec.onnx, x, node.name, spec.attrs?.(node) ?? {})];
  };
}

function tfDType(t: string | undefined, node: Parameters<OpHandler>[1]): DType {
  if (t === 'DT_FLOAT') return 'float32';
  if (t === 'DT_INT32' || t === 'DT_INT64') return 'int32';
  if (t === 'DT_BOOL') return 'bool';
  throw unsupportedOp(node.op, node.name, `dtype ${String(t)}`);
}

const cast: OpHandler = (ctx, node, [x]) => {
  if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
  const to = tfDType(attrType(node, 'DstT'), node);
  if (to === dtypeOf(x)) return [x];
  if (x.kind === 'const') {
    const fold = to === 'bool' ? (v: number) => Number(v !== 0) : to === 'int32' ? Math.trunc : (v: number) => v;
    return [ctx.konst(unaryEval(x.t, fold, to))];
  }
  return [emitUnary(ctx, 'Cast', x, node.name, { to: onnxType(to) }, [], to)];
};

const zerosLike: OpHandler = (ctx, node, [x]) => {
  if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
  const shape = shapeOf(x);
  const dtype = dtypeOf(x);
  if (isStatic(shape)) return [ctx.konst(makeTensor(dtype, shape, new Array<number>(sizeOf(shape)).fill(0)))];
  const zeros = ctx.g.op('ConstantOfShape', [ctx.sizesInt64(shape)], {}, node.name);
  const typed = dtype === 'float32' ? zeros : ctx.g.op('Cast', [zeros], { to: onnxType(dtype) });
  return [ctx.dyn(typed, dtype, shape)];
};

/** Unary elementwise converters. */
export const unaryOps: OpTable = {
  ...Object.fromEntries(Object.entries(UNARY).map(([k, spec]) => [k, unary(spec)])),
  Relu6: (ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    if (x.kind === 'const') return [ctx.konst(unaryEval(x.t, (v) => Math.min(6, Math.max(0, v))))];
    return [emitRelu6(ctx, x, node.name)];
  },
  Rsqrt: (ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    if (x.kind === 'const') return [ctx.konst(unaryEval(x.t, (v) => 1 / Math.sqrt(v)))];
    return [emitUnary(ctx, 'Reciprocal', emitUnary(ctx, 'Sqrt', x, `${node.name}/sqrt`), node.name)];
  },
  Square: (ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    if (x.kind === 'const') return [ctx.konst(unaryEval(x.t, (v) => v * v))];
    const layout = x.kind === 'dyn' ? x.layout : 'nhwc';
    const n = layout === 'nchw' ? ctx.nchw(x) : ctx.nhwc(x);
    return [ctx.dyn(ctx.g.op('Mul', [n, n], {}, node.name), dtypeOf(x), shapeOf(x), layout)];
  },
  Cast: cast,
  ZerosLike: zerosLike,
  Identity: (_ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    return [x];
  },
  StopGradient: (_ctx, _node, inputs) => [inputs[0] as Value],
};
