// Entry point: converts a TFJS graph model (model.json + weights) into ONNX ModelProto bytes.

import type { ConverterLog } from '../core/log.js';
import { CONTROL_FLOW_OPS, convertControlFlow } from './control-flow.js';
import { ConvertContext, onnxType } from './core/context.js';
import { invalidModel, unsupportedOp, unsupportedOps } from './core/errors.js';
import { resolveIo } from './io.js';
import { type TfGraphModel, type TfNode, parseModelJson, splitTensorName } from './core/model-json.js';
import { opHandler } from './ops/registry.js';
import { makeTensor } from './core/tensor.js';
import { constValue, type Dim, type Value, dtypeOf, shapeOf } from './core/values.js';
import { decodeWeights } from './weights.js';

/** ONNX opset the converter targets. */
export const ONNX_OPSET = 18;

/** Options of `convertTfjsGraphModel`. */
export interface ConvertOptions {
  /** Graph name written into the model (defaults to "tfjs-model"). */
  readonly name?: string;
  readonly log?: ConverterLog;
  /** Called after each converted node. */
  readonly onProgress?: (doneNodes: number, totalNodes: number) => void;
  /** Tensors to expose as outputs instead of the model's own (like TFJS `execute(x, outputs)`). */
  readonly outputs?: readonly string[];
  /**
   * Graph inputs fed with a fixed scalar instead (e.g. a recurrent state's initial zero or a resize
   * ratio): they fold into the graph, and a tf.cond depending on them keeps only its taken branch.
   */
  readonly constantInputs?: Readonly<Record<string, number>>;
  /** Static shapes for graph inputs whose declared shape has unknown dims. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
}

/** Nodes needed to compute `targets`, in dependency order (iterative DFS, no recursion limits). */
function executionOrder(model: TfGraphModel, targets: readonly string[]): TfNode[] {
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'open' | 'done'>();
  const order: TfNode[] = [];
  for (const target of targets) {
    const stack: Array<{ node: TfNode; next: number }> = [];
    const push = (name: string): void => {
      const node = byName.get(name);
      if (node === undefined) throw invalidModel(`node "${name}" is referenced but not defined`);
      const s = state.get(name);
      if (s === 'done') return;
      if (s === 'open') throw invalidModel(`graph has a cycle through "${name}"`);
      state.set(name, 'open');
      stack.push({ node, next: 0 });
    };
    push(target);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: TfNode; next: number };
      const ref = top.node.inputs[top.next];
      if (ref === undefined) {
        stack.pop();
        state.set(top.node.name, 'done');
        order.push(top.node);
      } else {
        top.next++;
        push(splitTensorName(ref).node);
      }
    }
  }
  return order;
}

/** Refuses up front, naming every op the needed part of the graph uses that has no converter. */
function checkSupported(order: readonly TfNode[], inputNames: ReadonlySet<string>): void {
  const missing = order.filter((n) => n.op !== 'Const' && !inputNames.has(n.name) && !CONTROL_FLOW_OPS.has(n.op) && opHandler(n.op) === undefined);
  const first = missing[0];
  if (first !== undefined) {
    throw unsupportedOps({ op: first.op, node: first.name }, [...new Set(missing.map((n) => n.op))].sort());
  }
}

function inputDims(shape: readonly number[] | undefined, name: string, single: boolean): Dim[] {
  if (shape === undefined) throw invalidModel(`input "${name}" has no declared shape`);
  return shape.map((d, i) => (d >= 0 ? d : i === 0 && single ? 'batch' : `${name}_dim${i}`));
}

/** Converts a TFJS graph model to ONNX. `weights` is the concatenation of the manifest's weight files. */
export function convertTfjsGraphModel(modelJson: unknown, weights: Uint8Array, opts: ConvertOptions = {}): Uint8Array {
  const started = performance.now();
  const model = parseModelJson(modelJson);
  const consts = decodeWeights(model.weightSpecs, weights);
  const declared = resolveIo(model, opts.outputs);
  const constants = opts.constantInputs ?? {};
  for (const name of [...Object.keys(constants), ...Object.keys(opts.inputShapes ?? {})]) {
    if (!declared.inputs.some((e) => e.name === name)) throw invalidModel(`"${name}" is not an input of the model`, { input: name });
  }
  const io = {
    inputs: declared.inputs.filter((e) => constants[e.name] === undefined)
      .map((e) => ({ ...e, shape: opts.inputShapes?.[e.name] ?? e.shape })),
    outputs: declared.outputs,
  };
  const order = executionOrder(model, io.outputs.map((o) => splitTensorName(o.tensorName).node));
  const ctx = new ConvertContext();
  for (const e of [...io.inputs, ...io.outputs]) ctx.g.reserve(e.name);
  for (const e of io.inputs) {
    const dims = inputDims(e.shape, e.name, io.inputs.length === 1);
    ctx.set(e.name, [ctx.dyn(ctx.g.input(e.name, onnxType(e.dtype), dims), e.dtype, dims)]);
  }
  for (const e of declared.inputs) {
    const v = constants[e.name];
    if (v !== undefined) ctx.set(e.name, [ctx.konst(makeTensor(e.dtype, [], [v]))]);
  }
  const inputNames = new Set(declared.inputs.map((e) => e.name));
  checkSupported(order, inputNames);
  order.forEach((node, i) => {
    if (node.op === 'Const') {
      const t = consts.get(node.name);
      if (t === undefined) throw invalidModel(`constant "${node.name}" has no weights`, { node: node.name });
      ctx.set(node.name, [constValue(t)]);
    } else if (!inputNames.has(node.name)) {
      const refs = node.inputs.map(splitTensorName);
      if (!convertControlFlow(ctx, node, refs)) {
        const handler = opHandler(node.op);
        if (handler === undefined) throw unsupportedOp(node.op, node.name);
        const inputs: Value[] = refs.map((r) => ctx.get(r.node, r.index));
        ctx.set(node.name, handler(ctx, node, inputs));
      }
    }
    opts.onProgress?.(i + 1, order.length);
  });
  for (const e of io.outputs) {
    const { node, index } = splitTensorName(e.tensorName);
    if (ctx.isDead(node, index)) throw invalidModel(`output "${e.name}" lies on a branch that never runs with these constant inputs`);
    const v = ctx.get(node, index);
    ctx.g.rename(ctx.nhwc(v), e.name);
    // The converted value's own dtype: a signature may omit it, and TFJS returns int64 as int32 anyway.
    ctx.g.output(e.name, onnxType(dtypeOf(v)), shapeOf(v));
  }
  const bytes = ctx.g.encode({
    graphName: opts.name ?? 'tfjs-model',
    opset: ONNX_OPSET,
    producerName: 'tabagent-tfjs-converter',
    producerVersion: '1',
    metadata: { 'tfjs.signature': JSON.stringify(io) },
  });
  opts.log?.debug({ model: opts.name, tfNodes: order.length, onnxNodes: ctx.g.nodeCount, bytes: bytes.byteLength,
    ms: Math.round(performance.now() - started) }, 'converted TFJS graph model to ONNX');
  return bytes;
}
