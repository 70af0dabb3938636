// Re-types the int8 weights of a dynamically quantized ONNX model as uint8, so every integer matmul
// runs as uint8 × uint8. On x86 CPUs with AVX2 but without VNNI, onnxruntime computes uint8 × int8
// with VPMADDUBSW, whose 16-bit sums saturate; that changes the numbers enough to turn Whisper's
// transcript into an unrelated sentence. Its uint8 × uint8 kernel widens to 32 bits and is exact,
// as VNNI is. The math is unchanged: each int8 tensor and its zero point are both shifted by +128,
// and the ops involved only ever use `value - zero_point`.

import onnxProto from 'onnx-proto';
import { OnnxRewriteError } from './errors.js';

const { onnx } = onnxProto;
type Graph = onnxProto.onnx.IGraphProto;
type Tensor = onnxProto.onnx.ITensorProto;

const INT8 = onnx.TensorProto.DataType.INT8;
const UINT8 = onnx.TensorProto.DataType.UINT8;

/**
 * The ops whose integer inputs mean `value - zero_point`, with the [value, zero point] input pairs
 * that may be int8: MatMulInteger (A, a_zp), (B, b_zp); ConvInteger (x, x_zp), (w, w_zp);
 * DequantizeLinear (x, x_zero_point).
 */
const PAIRS: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> = {
  MatMulInteger: [[0, 2], [1, 3]],
  ConvInteger: [[0, 2], [1, 3]],
  DequantizeLinear: [[0, 2]],
};

/** What the rewrite changed. */
export interface Int8RewriteReport {
  /** Int8 tensors now stored as uint8 (weights and zero points). */
  readonly tensors: number;
  /** Op inputs now fed uint8 instead of int8. */
  readonly inputs: number;
}

/** Every graph of the model: the main graph and the subgraphs of If/Loop/Scan nodes, depth first. */
function graphsOf(graph: Graph): Graph[] {
  const out = [graph];
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) out.push(...graphsOf(a.g));
      for (const g of a.graphs ?? []) out.push(...graphsOf(g));
    }
  }
  return out;
}

/** The int8 tensors by name: initializers and Constant nodes' `value` tensors, in every graph. */
function int8Tensors(graphs: readonly Graph[]): Map<string, Tensor> {
  const found = new Map<string, Tensor>();
  for (const g of graphs) {
    for (const t of g.initializer ?? []) if (t.dataType === INT8 && t.name) found.set(t.name, t);
    for (const node of g.node ?? []) {
      if (node.opType !== 'Constant' || !node.output?.[0]) continue;
      const value = node.attribute?.find((a) => a.name === 'value')?.t;
      if (value?.dataType === INT8) found.set(node.output[0], value);
    }
  }
  return found;
}

/** The tensor's elements as int8 values, from raw_data or int32_data. */
function int8Values(t: Tensor, name: string): Int8Array {
  if (t.rawData && t.rawData.length > 0) return new Int8Array(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
  if (t.int32Data && t.int32Data.length > 0) return Int8Array.from(t.int32Data);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxRewriteError('ONNX_UNSUPPORTED', `int8 tensor "${name}" is stored outside the model file`, { tensor: name });
  }
  return new Int8Array(0);
}

/** Stores the tensor as uint8, each value shifted by +128, in raw_data. */
function shiftToUint8(t: Tensor, name: string): void {
  const values = int8Values(t, name);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! + 128;
  t.dataType = UINT8;
  t.rawData = out;
  t.int32Data = [];
}

/**
 * Rewrites the int8 tensors that feed value/zero-point pairs of integer ops as uint8. Refuses models
 * where such a tensor has another consumer, or where a pair mixes an int8 tensor with a computed
 * int8 input (its shift could not be applied), so a model is either rewritten exactly or not at all.
 */
export function int8WeightsToUint8(model: onnxProto.onnx.IModelProto): Int8RewriteReport {
  if (!model.graph) throw new OnnxRewriteError('ONNX_INVALID_MODEL', 'the model has no graph');
  const graphs = graphsOf(model.graph);
  const tensors = int8Tensors(graphs);
  const paired = new Set<string>();
  let inputs = 0;
  for (const g of graphs) {
    for (const node of g.node ?? []) {
      const pairs = PAIRS[node.opType ?? ''] ?? [];
      const ins = node.input ?? [];
      for (const [v, zp] of pairs) {
        const value = ins[v] ?? '';
        const zero = ins[zp] ?? '';
        const known = [value, zero].filter((n) => tensors.has(n));
        if (known.length === 0) continue;
        if (!tensors.has(value) || (zero !== '' && !tensors.has(zero))) {
          throw new OnnxRewriteError('ONNX_UNSUPPORTED', `${node.opType} "${node.name ?? ''}" pairs int8 tensor "${known[0]}" with a computed input`, { node: node.name ?? '' });
        }
        paired.add(value);
        if (zero !== '') paired.add(zero);
        else throw new OnnxRewriteError('ONNX_UNSUPPORTED', `${node.opType} "${node.name ?? ''}" has an int8 input "${value}" without a zero point`, { node: node.name ?? '' });
        inputs += 1;
      }
    }
  }
  for (const g of graphs) {
    for (const node of g.node ?? []) {
      const pairs = PAIRS[node.opType ?? ''] ?? [];
      const allowed = new Set(pairs.flat());
      (node.input ?? []).forEach((name, i) => {
        if (paired.has(name) && !allowed.has(i)) {
          throw new OnnxRewriteError('ONNX_UNSUPPORTED', `int8 tensor "${name}" also feeds ${node.opType} "${node.name ?? ''}"`, { tensor: name, node: node.name ?? '' });
        }
      });
    }
    for (const o of g.output ?? []) {
      if (o.name && paired.has(o.name)) throw new OnnxRewriteError('ONNX_UNSUPPORTED', `int8 tensor "${o.name}" is a graph output`, { tensor: o.name });
    }
  }
  for (const name of paired) shiftToUint8(tensors.get(name)!, name);
  // Declared types of the rewritten tensors (value_info / graph inputs of initializers) follow.
  for (const g of graphs) {
    for (const info of [...(g.valueInfo ?? []), ...(g.input ?? [])]) {
      const tt = info.type?.tensorType;
      if (info.name && paired.has(info.name) && tt?.elemType === INT8) tt.elemType = UINT8;
    }
  }
  return { tensors: paired.size, inputs };
}

/** Decodes ModelProto bytes, rewrites them (int8WeightsToUint8) and encodes them again. */
export function int8WeightsToUint8Bytes(bytes: Uint8Array): { bytes: Uint8Array; report: Int8RewriteReport } {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new OnnxRewriteError('ONNX_INVALID_MODEL', `not an ONNX model: ${(err as Error).message}`);
  }
  const report = int8WeightsToUint8(model);
  return { bytes: onnx.ModelProto.encode(model).finish(), report };
}
