// Softmax and LogSoftmax over the last (TF) axis.

import { unsupportedOp } from '../core/errors.js';
import { rankOf } from '../core/values.js';
import { emitUnary } from './unary.js';
import type { OpHandler, OpTable } from './types.js';

function softmax(onnxOp: 'Softmax' | 'LogSoftmax'): OpHandler {
  return (ctx, node, [x]) => {
    if (x === undefined) throw unsupportedOp(node.op, node.name, 'expects one input');
    // The last logical axis of an NCHW tensor is its physical axis 1 (channels).
    const nchw = x.kind === 'dyn' && x.layout === 'nchw' && rankOf(x) === 4;
    return [emitUnary(ctx, onnxOp, x, node.name, { axis: nchw ? 1 : -1 })];
  };
}

/** Softmax converters. */
export const softmaxOps: OpTable = {
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
};
