// Pad / PadV2 / MirrorPad, padding NCHW tensors in place by permuting the pad table.

import { attrString } from '../core/attrs.js';
import { type Dim, NCHW_PERM, dtypeOf, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

function pad(kind: 'Pad' | 'PadV2' | 'MirrorPad'): OpHandler {
  return (ctx, node, inputs) => {
    const [x, padsValue, fillValue] = inputs;
    if (x === undefined || padsValue === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
    const table = constInts(node, padsValue, 'paddings');
    const shape = shapeOf(x);
    if (shape.length === 0) return [x];
    const nchw = x.kind === 'dyn' && x.layout === 'nchw';
    const order = nchw ? NCHW_PERM : shape.map((_, i) => i);
    const begins = order.map((axis) => table[axis * 2] as number);
    const ends = order.map((axis) => table[axis * 2 + 1] as number);
    const out: Dim[] = shape.map((d, i) =>
      typeof d === 'number' ? d + (table[i * 2] as number) + (table[i * 2 + 1] as number) : d);
    let mode = 'constant';
    if (kind === 'MirrorPad') {
      const m = attrString(node, 'mode', 'REFLECT');
      if (m !== 'REFLECT') throw unsupportedOp(node.op, node.name, `mode ${m}`);
      mode = 'reflect';
    }
    const onnxInputs = [nchw ? ctx.nchw(x) : ctx.nhwc(x), ctx.int64([...begins, ...ends])];
    if (kind === 'PadV2' && fillValue !== undefined) onnxInputs.push(ctx.nhwc(fillValue));
    const name = ctx.g.op('Pad', onnxInputs, { mode }, node.name);
    return [ctx.dyn(name, dtypeOf(x), out, nchw ? 'nchw' : 'nhwc')];
  };
}

/** Padding converters. */
export const padOps: OpTable = { Pad: pad('Pad'), PadV2: pad('PadV2'), MirrorPad: pad('MirrorPad') };
