// ResizeBilinear / ResizeNearestNeighbor and DepthToSpace on NCHW tensors, matching TF sampling rules.

import { attrBool, attrInt, attrString } from '../core/attrs.js';
import { type Dim, shapeOf, symbolicElems } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import type { OpHandler, OpTable } from './types.js';

function resize(mode: 'linear' | 'nearest'): OpHandler {
  return (ctx, node, inputs) => {
    const [x, sizeValue] = inputs;
    if (x === undefined || sizeValue === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
    const size = symbolicElems(sizeValue);
    if (size?.length !== 2 || typeof size[0] !== 'number' || typeof size[1] !== 'number') {
      throw unsupportedOp(node.op, node.name, 'output size must be constant');
    }
    const alignCorners = attrBool(node, 'align_corners');
    const halfPixel = attrBool(node, 'half_pixel_centers');
    const transform = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
    // Full NCHW sizes, no `axes`: onnxruntime's transpose optimizer mishandles Resize with `axes`.
    const attrs: Record<string, string> = { mode, coordinate_transformation_mode: transform };
    if (mode === 'nearest') attrs['nearest_mode'] = alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor';
    const shape = shapeOf(x);
    const sizes = ctx.sizesInt64([shape[0] as Dim, shape[3] as Dim, size[0], size[1]]);
    const name = ctx.g.op('Resize', [ctx.nchw(x), '', '', sizes], attrs, node.name);
    return [ctx.dyn(name, 'float32', [shape[0] as Dim, size[0], size[1], shape[3] as Dim], 'nchw')];
  };
}

const depthToSpace: OpHandler = (ctx, node, [x]) => {
  if (x === undefined) throw unsupportedOp(node.op, node.name, 'missing input');
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw unsupportedOp(node.op, node.name, 'data_format');
  const bs = attrInt(node, 'block_size', 2);
  const [n, h, w, c] = shapeOf(x) as [Dim, Dim, Dim, Dim];
  const mul = (d: Dim): Dim => (typeof d === 'number' ? d * bs : ctx.freshSym());
  const out: Dim[] = [n, mul(h), mul(w), typeof c === 'number' ? c / (bs * bs) : ctx.freshSym()];
  const name = ctx.g.op('DepthToSpace', [ctx.nchw(x)], { blocksize: bs, mode: 'DCR' }, node.name);
  return [ctx.dyn(name, 'float32', out, 'nchw')];
};

/** Resampling converters. */
export const resizeOps: OpTable = {
  ResizeBilinear: resize('linear'),
  ResizeNearestNeighbor: resize('nearest'),
  DepthToSpace: depthToSpace,
};
