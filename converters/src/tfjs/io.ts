// Graph inputs and outputs of a TFJS graph model, in the order TFJS `execute` uses them.

import { attrShape, attrType } from './core/attrs.js';
import { invalidModel } from './core/errors.js';
import { type TfGraphModel, type TfNode, parseModelJson, splitTensorName } from './core/model-json.js';
import type { DType } from './core/tensor.js';

/** One graph input or output. */
export interface ModelIoEntry {
  /** Name of the tensor in the converted ONNX model (the TFJS node name, `node:k` for k > 0). */
  readonly name: string;
  /** The model signature's key for this tensor, when the model has a signature. */
  readonly signatureKey: string | undefined;
  /** The TF tensor name (`node:k`). */
  readonly tensorName: string;
  readonly dtype: DType;
  /** Sizes with -1 for dynamic dims; undefined when the model does not declare it. */
  readonly shape: readonly number[] | undefined;
}

/** Inputs and outputs of a model. */
export interface ModelIo {
  readonly inputs: readonly ModelIoEntry[];
  readonly outputs: readonly ModelIoEntry[];
}

function toDType(t: string | undefined): DType {
  if (t === undefined || t === 'DT_FLOAT') return 'float32';
  // TFJS has no 64-bit integers: it feeds and returns them as int32, and so does the converted model.
  if (t === 'DT_INT32' || t === 'DT_INT64') return 'int32';
  if (t === 'DT_BOOL') return 'bool';
  throw invalidModel(`graph input/output of dtype ${t} is not supported`);
}

function onnxName(ref: string): string {
  const { node, index } = splitTensorName(ref);
  return index === 0 ? node : `${node}:${index}`;
}

/** Resolves inputs and outputs as TFJS does: signature order when present, else placeholders / sink nodes. */
export function resolveIo(model: TfGraphModel, outputOverride?: readonly string[]): ModelIo {
  const byName = new Map<string, TfNode>(model.nodes.map((n) => [n.name, n]));
  const seen = new Set<string>();
  const inputs: ModelIoEntry[] = [];
  if (model.signatureInputs.length > 0) {
    for (const s of model.signatureInputs) {
      const node = byName.get(splitTensorName(s.tensorName).node);
      if (node === undefined || seen.has(node.name)) continue;
      seen.add(node.name);
      inputs.push({ name: node.name, signatureKey: s.key, tensorName: s.tensorName,
        dtype: toDType(s.dtype ?? attrType(node, 'dtype')), shape: s.shape ?? attrShape(node, 'shape') });
    }
  } else {
    for (const node of model.nodes.filter((n) => n.op.startsWith('Placeholder'))) {
      inputs.push({ name: node.name, signatureKey: undefined, tensorName: `${node.name}:0`,
        dtype: toDType(attrType(node, 'dtype')), shape: attrShape(node, 'shape') });
    }
  }
  const outputs: ModelIoEntry[] = [];
  if (outputOverride !== undefined) {
    for (const ref of outputOverride) {
      const node = byName.get(splitTensorName(ref).node);
      if (node === undefined) throw invalidModel(`requested output "${ref}" is not a node of the graph`);
      const tensorName = ref.includes(':') ? ref : `${ref}:0`;
      outputs.push({ name: onnxName(tensorName), signatureKey: undefined, tensorName,
        dtype: toDType(attrType(node, 'T') ?? attrType(node, 'dtype')), shape: undefined });
    }
  } else if (model.signatureOutputs.length > 0) {
    const seenOut = new Set<string>();
    for (const s of model.signatureOutputs) {
      if (seenOut.has(s.tensorName) || !byName.has(splitTensorName(s.tensorName).node)) continue;
      seenOut.add(s.tensorName);
      outputs.push({ name: onnxName(s.tensorName), signatureKey: s.key, tensorName: s.tensorName,
        dtype: toDType(s.dtype), shape: s.shape });
    }
  } else {
    const consumed = new Set(model.nodes.flatMap((n) => n.inputs.map((r) => splitTensorName(r).node)));
    for (const node of model.nodes.filter((n) => !consumed.has(n.name))) {
      outputs.push({ name: node.name, signatureKey: undefined, tensorName: `${node.name}:0`,
        dtype: toDType(attrType(node, 'T') ?? attrType(node, 'dtype')), shape: undefined });
    }
  }
  if (inputs.length === 0 || outputs.length === 0) throw invalidModel('model has no inputs or no outputs');
  return { inputs, outputs };
}

/** Input and output names, dtypes and shapes of a TFJS graph model (from model.json alone). */
export function describeModelIo(modelJson: unknown): ModelIo {
  return resolveIo(parseModelJson(modelJson));
}
