// Conv2D, depthwise conv and transposed conv (plus TFJS fused bias/activation variants) as NCHW ONNX convs.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrFloat, attrSpatial, attrStrings } from '../core/attrs.js';
import { type ConstTensor, reshapeEval, transposeEval } from '../core/tensor.js';
import { type Dim, type Value, shapeOf, symbolicElems } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { emitPrelu } from './elementwise.js';
import { emitRelu6, emitUnary } from './unary.js';
import { windowPads } from './padding.js';
import type { OpHandler, OpTable } from './types.js';

type ConvKind = 'conv' | 'depthwise';

function constInput(node: TfNode, v: Value | undefined, what: string): ConstTensor {
  if (v?.kind !== 'const') throw unsupportedOp(node.op, node.name, `${what} must be a constant`);
  return v.t;
}

function checkFormat(node: TfNode): void {
  const fmt = node.attr['data_format']?.s;
  if (fmt !== undefined && Buffer.from(fmt, 'base64').toString() !== 'NHWC') {
    throw unsupportedOp(node.op, node.name, 'only NHWC data_format is supported');
  }
}

/** Applies the activation part of TFJS `fused_ops` to a conv/matmul result. */
export function applyFused(ctx: ConvertContext, node: TfNode, y: Value, ops: readonly string[],
  args: readonly Value[]): Value {
  let out = y;
  for (const op of ops) {
    if (op === 'BiasAdd') continue;
    if (op === 'Relu') out = emitUnary(ctx, 'Relu', out, node.name);
    else if (op === 'Relu6') out = emitRelu6(ctx, out, node.name);
    else if (op === 'Sigmoid') out = emitUnary(ctx, 'Sigmoid', out, node.name);
    else if (op === 'Elu') out = emitUnary(ctx, 'Elu', out, node.name);
    else if (op === 'LeakyRelu') {
      out = emitUnary(ctx, 'LeakyRelu', out, node.name, { alpha: { float: attrFloat(node, 'leakyrelu_alpha', 0.2) } });
    } else if (op === 'Prelu') {
      const alpha = args[1];
      if (alpha === undefined) throw unsupportedOp(node.op, node.name, 'Prelu without alpha');
      out = emitPrelu(ctx, out, alpha, node.name);
    } else {
      throw unsupportedOp(node.op, node.name, `fused op ${op}`);
    }
  }
  return out;
}

function convert(ctx: ConvertContext, node: TfNode, inputs: readonly Value[], kind: ConvKind,
  fused: readonly string[]): Value[] {
  checkFormat(node);
  const x = inputs[0];
  if (x === undefined || shapeOf(x).length !== 4) throw unsupportedOp(node.op, node.name, 'input must be rank 4');
  const filter = constInput(node, inputs[1], 'filter');
  const [kh, kw, ci, m] = filter.shape as [number, number, number, number];
  const shape = shapeOf(x);
  const channels = shape[3];
  if (typeof channels !== 'number') throw unsupportedOp(node.op, node.name, 'unknown channel count');
  let weight: ConstTensor;
  let group: number;
  let outChannels: number;
  if (kind === 'depthwise') {
    weight = reshapeEval(transposeEval(filter, [2, 3, 0, 1]), [ci * m, 1, kh, kw]);
    group = ci;
    outChannels = ci * m;
  } else {
    weight = transposeEval(filter, [3, 2, 0, 1]);
    group = channels / ci;
    outChannels = m;
  }
  const args = inputs.slice(2);
  const w = {
    kernel: [kh, kw] as const,
    strides: attrSpatial(node, 'strides', [1, 1]),
    dilations: attrSpatial(node, 'dilations', [1, 1]),
  };
  const pads = windowPads(node, [shape[1] as Dim, shape[2] as Dim], w, () => ctx.freshSym());
  const convInputs = [ctx.nchw(x), ctx.initializer('weight', weight)];
  if (fused.length > 0 && fused[0] !== 'BiasAdd') throw unsupportedOp(node.op, node.name, `fused op ${fused[0] ?? ''}`);
  if (fused.length > 0) convInputs.push(ctx.nhwc(args[0] ?? missing(node, 'bias')));
  const name = ctx.g.op('Conv', convInputs, {
    kernel_shape: [kh, kw], strides: [...w.strides], dilations: [...w.dilations], group, ...pads.attrs,
  }, node.name);
  const y = ctx.dyn(name, 'float32', [shape[0] as Dim, pads.out[0], pads.out[1], outChannels], 'nchw');
  return [applyFused(ctx, node, y, fused, args)];
}

function missing(node: TfNode, what: string): never {
  throw unsupportedOp(node.op, node.name, `missing ${what}`);
}

/** Conv2DBackpropInput(input_sizes, filter, out_backprop) as ConvTranspose. */
const convTranspose: OpHandler = (ctx, node, inputs) => {
  checkFormat(node);
  const sizes = symbolicElems(inputs[0] ?? missing(node, 'input_sizes'));
  const filter = constInput(node, inputs[1], 'filter');
  const x = inputs[2] ?? missing(node, 'out_backprop');
  if (sizes?.length !== 4) throw unsupportedOp(node.op, node.name, 'input_sizes must be a known 4-vector');
  const [kh, kw, co] = filter.shape as [number, number, number, number];
  const strides = attrSpatial(node, 'strides', [1, 1]);
  const dilations = attrSpatial(node, 'dilations', [1, 1]);
  const inShape = shapeOf(x);
  const outHW = [sizes[1], sizes[2]];
  const pads = [0, 0, 0, 0];
  const outputPadding = [0, 0];
  const same = Buffer.from(node.attr['padding']?.s ?? '', 'base64').toString() === 'SAME';
  for (const i of [0, 1] as const) {
    const inSize = inShape[i + 1];
    const outSize = outHW[i];
    if (typeof inSize !== 'number' || typeof outSize !== 'number') {
      throw unsupportedOp(node.op, node.name, 'dynamic spatial size');
    }
    const eff = ((i === 0 ? kh : kw) - 1) * dilations[i] + 1;
    const total = same ? Math.max((inSize - 1) * strides[i] + eff - outSize, 0) : 0;
    pads[i] = Math.floor(total / 2);
    pads[i + 2] = total - Math.floor(total / 2);
    outputPadding[i] = outSize - ((inSize - 1) * strides[i] + eff - total);
    if ((outputPadding[i] as number) < 0) throw unsupportedOp(node.op, node.name, 'inconsistent output size');
  }
  const weight = transposeEval(filter, [3, 2, 0, 1]);
  const attrs = {
    kernel_shape: [kh, kw], strides: [...strides], dilations: [...dilations], pads,
    ...(outputPadding.some((p) => p !== 0) ? { output_padding: outputPadding } : {}),
  };
  const name = ctx.g.op('ConvTranspose', [ctx.nchw(x), ctx.initializer('weight', weight)], attrs, node.name);
  return [ctx.dyn(name, 'float32', [inShape[0] as Dim, sizes[1] as Dim, sizes[2] as Dim, co], 'nchw')];
};

/** Convolution converters. */
export const convOps: OpTable = {
  Conv2D: (ctx, node, inputs) => convert(ctx, node, inputs, 'conv', []),
  _FusedConv2D: (ctx, node, inputs) => convert(ctx, node, inputs, 'conv', attrStrings(node, 'fused_ops')),
  DepthwiseConv2dNative: (ctx, node, inputs) => convert(ctx, node, inputs, 'depthwise', []),
  FusedDepthwiseConv2dNative: (ctx, node, inputs) =>
    convert(ctx, node, inputs, 'depthwise', attrStrings(node, 'fused_ops')),
  Conv2DBackpropInput: convTranspose,
};
