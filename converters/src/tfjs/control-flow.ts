// TF v1 control flow (Switch / Merge, what tf.cond becomes in a frozen graph) resolved at conversion
// time: a Switch whose predicate is a known constant forwards its data on the taken branch and marks
// the other output dead; an op with a dead input is dead (TF's dead-tensor propagation); a Merge takes
// its first live input. The converted graph holds only the branch that runs.

import type { ConvertContext } from './core/context.js';
import { unsupportedOp } from './core/errors.js';
import type { TfNode } from './core/model-json.js';
import { makeTensor } from './core/tensor.js';

/** Ops handled here rather than by the op table. */
export const CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['Switch', 'Merge']);

/** Converts `node` when it is control flow or has a dead input; returns false to leave it to the op table. */
export function convertControlFlow(ctx: ConvertContext, node: TfNode, refs: ReadonlyArray<{ node: string; index: number }>): boolean {
  if (node.op === 'Merge') {
    const live = refs.findIndex((r) => !ctx.isDead(r.node, r.index));
    const first = refs[live];
    if (first === undefined) ctx.markDead(node.name);
    else ctx.set(node.name, [ctx.get(first.node, first.index), ctx.konst(makeTensor('int32', [], [live]))]);
    return true;
  }
  if (refs.some((r) => ctx.isDead(r.node, r.index))) {
    ctx.markDead(node.name);
    return true;
  }
  if (node.op !== 'Switch') return false;
  const [dataRef, predRef] = refs;
  if (dataRef === undefined || predRef === undefined) throw unsupportedOp(node.op, node.name, 'expects data and predicate');
  const data = ctx.get(dataRef.node, dataRef.index);
  const pred = ctx.get(predRef.node, predRef.index);
  if (pred.kind !== 'const' || pred.t.data.length !== 1) {
    throw unsupportedOp(node.op, node.name, 'its predicate is known only at run time (set the model inputs it depends on as constants)');
  }
  const taken = pred.t.data[0] !== 0 ? 1 : 0;
  ctx.set(node.name, [data, data]);
  ctx.markDead(node.name, 1 - taken);
  return true;
}
