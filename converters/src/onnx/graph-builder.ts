// The one ONNX graph builder of every converter: declared graph inputs and outputs, initializers
// stored as little-endian raw bytes, nodes whose outputs get unique names, and encoding the result
// into ModelProto bytes.

import onnxProto from 'onnx-proto';
import { type TensorData, rawBytes } from './raw-bytes.js';

const { onnx } = onnxProto;

/** ONNX tensor element types the converters emit. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;

/**
 * A node attribute value: an integer (INT), a string (STRING), a list of integers (INTS) or
 * `{ float }` (FLOAT). A number that is not an integer is a FLOAT too.
 */
export type AttrValue = number | string | readonly number[] | { readonly float: number };

/** A dimension: a fixed size, or a symbolic name such as `batch_size` (negative sizes are symbolic). */
export type Dim = number | string;

/** A graph input or output declaration. */
export interface IoDecl {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly Dim[];
}

/** What `encode` writes around the graph. */
export interface ModelMeta {
  readonly graphName: string;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

function makeAttr(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: A.STRING, s: Buffer.from(v, 'utf8') };
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  }
  if ('float' in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.INTS, ints: [...(v as readonly number[])] };
}

function valueInfo(d: IoDecl): onnxProto.onnx.IValueInfoProto {
  return {
    name: d.name,
    type: {
      tensorType: {
        elemType: d.elemType,
        shape: { dim: d.dims.map((x) => (typeof x === 'number' && x >= 0 ? { dimValue: x } : { dimParam: String(x) })) },
      },
    },
  };
}

/** Builder for one ONNX graph; every generated name is unique within it. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: IoDecl[] = [];
  private readonly outputs: IoDecl[] = [];
  private readonly used = new Set<string>();
  private readonly sharedConsts = new Map<string, string>();
  private counter = 0;

  /** Reserves a name that generated names must never take (e.g. a graph output declared later). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** A fresh unique tensor name derived from `hint`. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = base;
    while (this.used.has(name)) name = `${base}__${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input (its name is reserved) and returns the name. */
  input(name: string, elemType: number, dims: readonly Dim[]): string {
    this.reserve(name);
    this.inputs.push({ name, elemType, dims: [...dims] });
    return name;
  }

  /** Declares a graph output; a node must produce a value of that name (see `rename`). */
  output(name: string, elemType: number, dims: readonly Dim[]): void {
    this.reserve(name);
    this.outputs.push({ name, elemType, dims: [...dims] });
  }

  /** Appends a node; returns its output names (fresh names from `hint` unless `outputs` are given). */
  node(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, hint = op,
    outputs: readonly string[] | number = 1): string[] {
    const outs = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? hint : `${hint}:${i}`))
      : [...outputs];
    if (typeof outputs !== 'number') for (const name of outs) this.reserve(name);
    const attribute = Object.entries(attrs).map(([k, v]) => makeAttr(k, v));
    this.nodes.push({ opType: op, input: [...inputs], output: outs, name: this.fresh(`${hint}#node`), attribute });
    return outs;
  }

  /** Shorthand for a single-output node. */
  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, hint = op): string {
    return this.node(op, inputs, attrs, hint, 1)[0] as string;
  }

  /** An Identity node whose output carries the fixed name `to` (for graph outputs); returns `to`. */
  rename(from: string, to: string): string {
    this.node('Identity', [from], {}, to, [to]);
    return to;
  }

  /** Adds an initializer named after `hint` holding `data` with shape `dims`; returns its name. */
  tensor(hint: string, elemType: number, dims: readonly number[], data: TensorData): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], dataType: elemType, rawData: rawBytes(data) });
    return name;
  }

  /** A float32 initializer. */
  floats(hint: string, data: Float32Array, dims: readonly number[]): string {
    return this.tensor(hint, OnnxType.FLOAT, dims, data);
  }

  /** A float32 scalar initializer. */
  scalar(value: number, hint = 'f32'): string {
    return this.floats(hint, Float32Array.of(value), []);
  }

  /** An int64 initializer from plain integers. */
  int64s(hint: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    const big = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) big[i] = BigInt(Math.trunc(values[i] as number));
    return this.tensor(hint, OnnxType.INT64, dims, big);
  }

  /** An int64 constant shared by every user of the same values and shape. */
  sharedInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `${dims.join('x')}:${values.join(',')}`;
    let name = this.sharedConsts.get(key);
    if (name === undefined) {
      name = this.int64s('const_i64', values, dims);
      this.sharedConsts.set(key, name);
    }
    return name;
  }

  /** Number of nodes emitted so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Encodes the model. */
  encode(meta: ModelMeta): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: meta.producerName,
      producerVersion: meta.producerVersion,
      docString: meta.docString ?? '',
      opsetImport: [{ domain: '', version: meta.opset }],
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
