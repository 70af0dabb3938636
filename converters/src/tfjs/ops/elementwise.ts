// Broadcasting binary ops (Add, Mul, comparisons, Atan2, AddN, Prelu...) with constant folding.

import type { ConvertContext } from '../core/context.js';
import { binaryEval, type ConstTensor, type DType } from '../core/tensor.js';
import { type Value, dtypeOf, rankOf, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { align, broadcastDims } from './align.js';
import type { OpHandler, OpTable } from './types.js';
import { emitUnary } from './unary.js';

interface BinarySpec {
  readonly onnx: string;
  readonly fold: (x: number, y: number) => number;
  readonly bool?: boolean;
  /** The ONNX op only matches TF on integers (computed float operands are refused). */
  readonly intOnly?: boolean;
}

const BINARY: Readonly<Record<string, BinarySpec>> = {
  Add: { onnx: 'Add', fold: (x, y) => x + y },
  AddV2: { onnx: 'Add', fold: (x, y) => x + y },
  BiasAdd: { onnx: 'Add', fold: (x, y) => x + y },
  Sub: { onnx: 'Sub', fold: (x, y) => x - y },
  Mul: { onnx: 'Mul', fold: (x, y) => x * y },
  RealDiv: { onnx: 'Div', fold: (x, y) => x / y },
  Maximum: { onnx: 'Max', fold: (x, y) => Math.max(x, y) },
  Minimum: { onnx: 'Min', fold: (x, y) => Math.min(x, y) },
  Pow: { onnx: 'Pow', fold: (x, y) => x ** y },
  Greater: { onnx: 'Greater', fold: (x, y) => Number(x > y), bool: true },
  GreaterEqual: { onnx: 'GreaterOrEqual', fold: (x, y) => Number(x >= y), bool: true },
  Less: { onnx: 'Less', fold: (x, y) => Number(x < y), bool: true },
  LessEqual: { onnx: 'LessOrEqual', fold: (x, y) => Number(x <= y), bool: true },
  Equal: { onnx: 'Equal', fold: (x, y) => Number(x === y), bool: true },
  LogicalAnd: { onnx: 'And', fold: (x, y) => Number(x !== 0 && y !== 0), bool: true },
  LogicalOr: { onnx: 'Or', fold: (x, y) => Number(x !== 0 || y !== 0), bool: true },
  // ONNX Mod with fmod=0 takes the divisor's sign, as TF's FloorMod does (on integers).
  FloorMod: { onnx: 'Mod', fold: (x, y) => x - Math.floor(x / y) * y, intOnly: true },
};

/** Emits a broadcasting ONNX op over `inputs`; the result keeps the aligned layout. */
export function emitBroadcast(ctx: ConvertContext, onnxOp: string, inputs: readonly Value[], dtype: DType,
  hint: string): Value {
  const a = align(ctx, inputs);
  return ctx.dyn(ctx.g.op(onnxOp, a.names, {}, hint), dtype, a.shape, a.layout);
}

function foldAll(inputs: readonly Value[]): ConstTensor[] | undefined {
  const out: ConstTensor[] = [];
  for (const v of inputs) {
    if (v.kind !== 'const') return undefined;
    out.push(v.t);
  }
  return out;
}

function binary(spec: BinarySpec): OpHandler {
  return (ctx, node, inputs) => {
    const [a, b] = inputs;
    if (a === undefined || b === undefined) throw unsupportedOp(node.op, node.name, 'expects two inputs');
    const consts = foldAll(inputs);
    if (consts !== undefined) {
      const r = binaryEval(consts[0] as ConstTensor, consts[1] as ConstTensor, spec.fold, spec.bool ? 'bool' : undefined);
      if (r !== undefined) return [ctx.konst(r)];
    }
    if (spec.intOnly && dtypeOf(a) !== 'int32') throw unsupportedOp(node.op, node.name, 'on computed float tensors');
    return [emitBroadcast(ctx, spec.onnx, [a, b], spec.bool ? 'bool' : dtypeOf(a), node.name)];
  };
}

const addN: OpHandler = (ctx, node, inputs) => {
  if (inputs.length === 1) return [inputs[0] as Value];
  return [emitBroadcast(ctx, 'Sum', inputs, dtypeOf(inputs[0] as Value), node.name)];
};

const squaredDifference: OpHandler = (ctx, node, inputs) => {
  const diff = emitBroadcast(ctx, 'Sub', inputs, 'float32', `${node.name}/sub`);
  return [emitBroadcast(ctx, 'Mul', [diff, diff], 'float32', node.name)];
};

/**
 * PReLU without branches. onnxruntime's PRelu kernel branches per element: on real activations
 * (mixed signs) it ran ~4.8 ms where Mul + Max ran ~1.1 ms (10 layers of 64×48×48), and face mesh
 * spends most of its time in its 28 PReLUs. With a constant alpha in [0, 1], prelu(x) = max(x, αx)
 * exactly; otherwise relu(x) + α·min(x, 0), also exact. A computed alpha keeps the PRelu op.
 */
export function emitPrelu(ctx: ConvertContext, x: Value, alpha: Value, hint: string): Value {
  if (alpha.kind !== 'const') return emitBroadcast(ctx, 'PRelu', [x, alpha], 'float32', hint);
  const scaled = (input: Value): Value => emitBroadcast(ctx, 'Mul', [input, alpha], 'float32', `${hint}/alpha`);
  if (alpha.t.data.every((a) => a >= 0 && a <= 1)) return emitBroadcast(ctx, 'Max', [x, scaled(x)], 'float32', hint);
  const zero = ctx.konst({ dtype: 'float32', shape: [], data: new Float32Array([0]) });
  const negative = scaled(emitBroadcast(ctx, 'Min', [x, zero], 'float32', `${hint}/min`));
  return emitBroadcast(ctx, 'Add', [emitUnary(ctx, 'Relu', x, `${hint}/relu`), negative], 'float32', hint);
}

const prelu: OpHandler = (ctx, node, inputs) => {
  const [x, alpha] = inputs;
  if (x === undefined || alpha === undefined) throw unsupportedOp(node.op, node.name, 'expects two inputs');
  if (alpha.kind === 'dyn' && rankOf(alpha) > 0 && rankOf(alpha) !== rankOf(x)) {
    throw unsupportedOp(node.op, node.name, 'non-constant alpha of a different rank');
  }
  return [emitPrelu(ctx, x, alpha, node.name)];
};

/** atan2(y, x) from Atan, with quadrant fixes and atan2(0, 0) = 0 as in TF. */
const atan2: OpHandler = (ctx, node, inputs) => {
  const [y, x] = inputs;
  if (y === undefined || x === undefined) throw unsupportedOp(node.op, node.name, 'expects two inputs');
  const yn = ctx.nhwc(y);
  const xn = ctx.nhwc(x);
  const g = ctx.g;
  const zero = ctx.float(0);
  const ratio = g.op('Atan', [g.op('Div', [yn, xn])]);
  const shift = g.op('Where', [g.op('Less', [yn, zero]), ctx.float(-Math.PI), ctx.float(Math.PI)]);
  const fixed = g.op('Where', [g.op('Less', [xn, zero]), g.op('Add', [ratio, shift]), ratio]);
  const origin = g.op('And', [g.op('Equal', [xn, zero]), g.op('Equal', [yn, zero])]);
  const out = g.op('Where', [origin, zero, fixed], {}, node.name);
  return [ctx.dyn(out, 'float32', broadcastDims(ctx, [shapeOf(y), shapeOf(x)]))];
};

/** Binary elementwise converters. */
export const elementwiseOps: OpTable = {
  ...Object.fromEntries(Object.entries(BINARY).map(([k, spec]) => [k, binary(spec)])),
  AddN: addN,
  SquaredDifference: squaredDifference,
  Prelu: prelu,
  Atan2: atan2,
};
