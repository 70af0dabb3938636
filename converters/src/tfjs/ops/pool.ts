// MaxPool / AvgPool as NCHW ONNX pooling (TF SAME average pooling excludes padding, like count_include_pad=0).

import { attrSpatial } from '../core/attrs.js';
import { type Dim, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { windowPads } from './padding.js';
import type { OpHandler, OpTable } from './types.js';

function pool(onnxOp: 'MaxPool' | 'AveragePool'): OpHandler {
  return (ctx, node, [x]) => {
    if (x === undefined || shapeOf(x).length !== 4) throw unsupportedOp(node.op, node.name, 'input must be rank 4');
    const fmt = node.attr['data_format']?.s;
    if (fmt !== undefined && Buffer.from(fmt, 'base64').toString() !== 'NHWC') {
      throw unsupportedOp(node.op, node.name, 'only NHWC data_format is supported');
    }
    const shape = shapeOf(x);
    const kernel = attrSpatial(node, 'ksize', [1, 1]);
    const strides = attrSpatial(node, 'strides', [1, 1]);
    const pads = windowPads(node, [shape[1] as Dim, shape[2] as Dim], { kernel, strides, dilations: [1, 1] },
      () => ctx.freshSym());
    const name = ctx.g.op(onnxOp, [ctx.nchw(x)], {
      kernel_shape: [...kernel], strides: [...strides], ...pads.attrs,
    }, node.name);
    return [ctx.dyn(name, 'float32', [shape[0] as Dim, pads.out[0], pads.out[1], shape[3] as Dim], 'nchw')];
  };
}

/** Pooling converters. */
export const poolOps: OpTable = {
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
};
