// SpaceToBatchND / BatchToSpaceND on rank-4 NHWC tensors of static shape (TF lowers dilated
// convolutions to them), as Pad + Reshape + Transpose + Reshape and Reshape + Transpose + Reshape + Slice.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { unsupportedOp } from '../core/errors.js';
import { type Value, dtypeOf, isStatic, shapeOf } from '../core/values.js';
import { constInts } from './shape.js';
import type { OpHandler, OpTable } from './types.js';

/** [n, h, w, c] of a static rank-4 input and the 2-D block size. */
function geometry(node: TfNode, x: Value | undefined, block: Value | undefined): { dims: [number, number, number, number]; bh: number; bw: number } {
  if (x === undefined || block === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
  const shape = shapeOf(x);
  if (shape.length !== 4 || !isStatic(shape)) throw unsupportedOp(node.op, node.name, `needs a rank-4 input of static shape, got [${shape.join(', ')}]`);
  const b = constInts(node, block, 'block_shape');
  if (b.length !== 2 || !b.every((v) => Number.isInteger(v) && v > 0)) throw unsupportedOp(node.op, node.name, `block_shape must be 2 positive sizes, got [${b.join(', ')}]`);
  return { dims: shape as unknown as [number, number, number, number], bh: b[0]!, bw: b[1]! };
}

const spaceToBatch: OpHandler = (ctx: ConvertContext, node, inputs) => {
  const [x, block, paddings] = inputs;
  const { dims: [n, h, w, c], bh, bw } = geometry(node, x, block);
  const p = constInts(node, paddings ?? block!, 'paddings');
  if (p.length !== 4) throw unsupportedOp(node.op, node.name, 'paddings must be 2×2');
  const [top, bottom, left, right] = p as [number, number, number, number];
  const hp = h + top + bottom;
  const wp = w + left + right;
  if (hp % bh !== 0 || wp % bw !== 0) throw unsupportedOp(node.op, node.name, `padded size ${hp}×${wp} is not a multiple of the block ${bh}×${bw}`);
  const g = ctx.g;
  const padded = g.op('Pad', [ctx.nhwc(x!), ctx.int64([0, top, left, 0, 0, bottom, right, 0])], { mode: 'constant' }, `${node.name}/pad`);
  const split = g.op('Reshape', [padded, ctx.int64([n, hp / bh, bh, wp / bw, bw, c])], {}, `${node.name}/split`);
  const moved = g.op('Transpose', [split], { perm: [2, 4, 0, 1, 3, 5] }, `${node.name}/move`);
  const out = g.op('Reshape', [moved, ctx.int64([n * bh * bw, hp / bh, wp / bw, c])], {}, node.name);
  return [ctx.dyn(out, dtypeOf(x!), [n * bh * bw, hp / bh, wp / bw, c])];
};

const batchToSpace: OpHandler = (ctx, node, inputs) => {
  const [x, block, crops] = inputs;
  const { dims: [b, h, w, c], bh, bw } = geometry(node, x, block);
  const k = constInts(node, crops ?? block!, 'crops');
  if (k.length !== 4) throw unsupportedOp(node.op, node.name, 'crops must be 2×2');
  if (b % (bh * bw) !== 0) throw unsupportedOp(node.op, node.name, `batch ${b} is not a multiple of the block ${bh}×${bw}`);
  const [top, bottom, left, right] = k as [number, number, number, number];
  const n = b / (bh * bw);
  const g = ctx.g;
  const split = g.op('Reshape', [ctx.nhwc(x!), ctx.int64([bh, bw, n, h, w, c])], {}, `${node.name}/split`);
  const moved = g.op('Transpose', [split], { perm: [2, 3, 0, 4, 1, 5] }, `${node.name}/move`);
  const full = g.op('Reshape', [moved, ctx.int64([n, h * bh, w * bw, c])], {}, `${node.name}/merge`);
  const oh = h * bh - top - bottom;
  const ow = w * bw - left - right;
  const out = g.op('Slice', [full, ctx.int64([top, left]), ctx.int64([top + oh, left + ow]), ctx.int64([1, 2])], {}, node.name);
  return [ctx.dyn(out, dtypeOf(x!), [n, oh, ow, c])];
};

/** Space/batch rearrangement converters. */
export const spaceBatchOps: OpTable = { SpaceToBatchND: spaceToBatch, BatchToSpaceND: batchToSpace };
