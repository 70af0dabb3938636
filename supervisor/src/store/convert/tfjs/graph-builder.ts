// Accumulates ONNX nodes and initializers with unique names and encodes the final ModelProto.

import onnxProto from 'onnx-proto';
import type { ConstTensor } from './tensor.js';

const { onnx } = onnxProto;

/** ONNX tensor element types used by the converter. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;

/** Attribute values accepted by `GraphBuilder.node`. */
export type AttrValue = number | string | readonly number[] | { readonly float: number };

/** A graph input or output declaration; string dims are symbolic. */
export interface IoDecl {
  readonly name: string;
  readonly elemType: number;
  readonly dims: ReadonlyArray<number | string>;
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

/** Builder for one ONNX graph. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** Reserves names that generated names must never take (graph inputs/outputs). */
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

  /** Appends a node; returns its output names (fresh names from `hint` unless `outputs` are given). */
  node(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, hint = op,
    outputs: readonly string[] | number = 1): string[] {
    const outs = typeof outputs === 'number'
      ? Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? hint : `${hint}:${i}`))
      : [...outputs];
    const attribute = Object.entries(attrs).map(([k, v]) => makeAttr(k, v));
    this.nodes.push({ opType: op, input: [...inputs], output: outs, name: this.fresh(`${hint}#node`), attribute });
    return outs;
  }

  /** Shorthand for a single-output node. */
  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, hint = op): string {
    return this.node(op, inputs, attrs, hint, 1)[0] as string;
  }

  /** Adds an initializer holding `t` (as int64 when `asInt64`); returns its name. */
  initializer(hint: string, t: ConstTensor, asInt64 = false): string {
    const name = this.fresh(hint);
    let dataType: number;
    let raw: Uint8Array;
    if (asInt64) {
      const big = new BigInt64Array(t.data.length);
      for (let i = 0; i < t.data.length; i++) big[i] = BigInt(Math.trunc(t.data[i] as number));
      dataType = OnnxType.INT64;
      raw = new Uint8Array(big.buffer);
    } else {
      dataType = t.dtype === 'float32' ? OnnxType.FLOAT : t.dtype === 'int32' ? OnnxType.INT32 : OnnxType.BOOL;
      raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    }
    this.initializers.push({ name, dims: [...t.shape], dataType, rawData: Buffer.from(raw) });
    return name;
  }

  /** Number of nodes emitted so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Encodes the model. */
  encode(opts: { graphName: string; opset: number; inputs: IoDecl[]; outputs: IoDecl[];
    docString?: string; metadata?: Record<string, string> }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'tabagent-tfjs-converter',
      producerVersion: '1',
      docString: opts.docString ?? '',
      opsetImport: [{ domain: '', version: opts.opset }],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: opts.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
