// MatMul, _FusedMatMul (bias + activation) and BatchMatMulV2 as Gemm / MatMul.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import { attrBool, attrStrings } from '../core/attrs.js';
import { type Dim, type Value, dtypeOf, rankOf, shapeOf } from '../core/values.js';
import { unsupportedOp } from '../core/errors.js';
import { applyFused } from './conv.js';
import { broadcastDims } from './align.js';
import type { OpTable } from './types.js';

function swapLast(ctx: ConvertContext, v: Value, hint: string): { name: string; shape: Dim[] } {
  const shape = [...shapeOf(v)];
  const r = shape.length;
  const perm = shape.map((_, i) => i);
  [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
  [shape[r - 2], shape[r - 1]] = [shape[r - 1] as Dim, shape[r - 2] as Dim];
  return { name: ctx.g.op('Transpose', [ctx.nhwc(v)], { perm }, hint), shape };
}

function matmul(ctx: ConvertContext, node: TfNode, inputs: readonly Value[], ta: boolean, tb: boolean,
  fused: readonly string[]): Value[] {
  const [a, b] = inputs;
  if (a === undefined || b === undefined) throw unsupportedOp(node.op, node.name, 'missing inputs');
  const args = inputs.slice(2);
  if (fused.length > 0 && fused[0] !== 'BiasAdd') throw unsupportedOp(node.op, node.name, `fused op ${fused[0] ?? ''}`);
  const bias = fused.length > 0 ? args[0] : undefined;
  const dtype = dtypeOf(a);
  let y: Value;
  if (rankOf(a) === 2 && rankOf(b) === 2 && dtype === 'float32') {
    const m = ta ? shapeOf(a)[1] : shapeOf(a)[0];
    const n = tb ? shapeOf(b)[0] : shapeOf(b)[1];
    const gemmInputs = [ctx.nhwc(a), ctx.nhwc(b)];
    if (bias !== undefined) gemmInputs.push(ctx.nhwc(bias));
    const name = ctx.g.op('Gemm', gemmInputs, { transA: ta ? 1 : 0, transB: tb ? 1 : 0 }, node.name);
    y = ctx.dyn(name, dtype, [m as Dim, n as Dim]);
  } else {
    const left = ta ? swapLast(ctx, a, `${node.name}/ta`) : { name: ctx.nhwc(a), shape: [...shapeOf(a)] };
    const right = tb ? swapLast(ctx, b, `${node.name}/tb`) : { name: ctx.nhwc(b), shape: [...shapeOf(b)] };
    const batch = broadcastDims(ctx, [left.shape.slice(0, -2), right.shape.slice(0, -2)]);
    const shape = [...batch, left.shape[left.shape.length - 2] as Dim, right.shape[right.shape.length - 1] as Dim];
    y = ctx.dyn(ctx.g.op('MatMul', [left.name, right.name], {}, node.name), dtype, shape);
    if (bias !== undefined) y = ctx.dyn(ctx.g.op('Add', [y.name, ctx.nhwc(bias)], {}, `${node.name}/bias`), dtype, shape);
  }
  return [applyFused(ctx, node, y, fused, args)];
}

/** Matrix-product converters. */
export const matmulOps: OpTable = {
  MatMul: (ctx, node, inputs) =>
    matmul(ctx, node, inputs, attrBool(node, 'transpose_a'), attrBool(node, 'transpose_b'), []),
  _FusedMatMul: (ctx, node, inputs) => matmul(ctx, node, inputs, attrBool(node, 'transpose_a'),
    attrBool(node, 'transpose_b'), attrStrings(node, 'fused_ops')),
  BatchMatMul: (ctx, node, inputs) => matmul(ctx, node, inputs, attrBool(node, 'adj_x'), attrBool(node, 'adj_y'), []),
  BatchMatMulV2: (ctx, node, inputs) =>
    matmul(ctx, node, inputs, attrBool(node, 'adj_x'), attrBool(node, 'adj_y'), []),
};

