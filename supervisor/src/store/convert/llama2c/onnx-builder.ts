// A small ONNX graph builder over the onnx-proto messages: typed I/O, initializers, nodes, encoding.

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types used by the decoder graph. */
export const DType = { float: 1, int64: 7, bool: 9 } as const;
export type DTypeCode = (typeof DType)[keyof typeof DType];

/** A node attribute value, tagged with its ONNX attribute type. */
export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'tensor'; readonly value: onnxProto.onnx.ITensorProto };

export const int = (value: number): Attr => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attr => ({ kind: 'ints', value });
export const float = (value: number): Attr => ({ kind: 'float', value });

/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** Metadata written into the model proto. */
export interface ModelMeta {
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
}

function valueInfo(name: string, elemType: DTypeCode, shape: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int': return { name, type: T.INT, i: a.value };
    case 'ints': return { name, type: T.INTS, ints: [...a.value] };
    case 'float': return { name, type: T.FLOAT, f: a.value };
    case 'tensor': return { name, type: T.TENSOR, t: a.value };
  }
}

/** Accumulates one ONNX graph; names of intermediate values are generated from a per-builder counter. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly int64Consts = new Map<string, string>();
  private counter = 0;

  constructor(private readonly opset: number, private readonly graphName: string) {}

  input(name: string, elemType: DTypeCode, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  output(name: string, elemType: DTypeCode, shape: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, shape));
  }

  /** Adds a float32 initializer stored as little-endian raw bytes. */
  floatInit(name: string, data: Float32Array, dims: readonly number[]): string {
    const raw = new Uint8Array(data.byteLength);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
    this.initializers.push({ name, dataType: DType.float, dims: [...dims], rawData: raw });
    return name;
  }

  /** An int64 constant, shared between all users of the same values and shape. */
  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `${dims.join('x')}:${values.join(',')}`;
    const existing = this.int64Consts.get(key);
    if (existing) return existing;
    const name = `const_i64_${this.int64Consts.size}`;
    this.initializers.push({ name, dataType: DType.int64, dims: [...dims], int64Data: [...values] });
    this.int64Consts.set(key, name);
    return name;
  }

  /** A scalar float constant. */
  scalar(value: number, name = this.fresh('const_f32')): string {
    return this.floatInit(name, Float32Array.of(value), []);
  }

  /** Adds a node and returns the names of its outputs. */
  node(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputCount = 1, hint = opType): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(hint));
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** Adds a node with a single output and returns its name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, hint = opType): string {
    return this.node(opType, inputs, attrs, 1, hint)[0]!;
  }

  /** Adds an Identity node whose output carries a fixed graph-level name (for graph outputs). */
  rename(from: string, to: string): string {
    this.nodes.push({ opType: 'Identity', name: this.fresh('n_Identity'), input: [from], output: [to] });
    return to;
  }

  /** Serializes the graph into an ONNX ModelProto. */
  encode(meta: ModelMeta): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: meta.producerName,
      producerVersion: meta.producerVersion,
      docString: meta.docString ?? '',
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }
}
