// Builds small TFJS graph models (model.json + weights) in memory for converter tests.

type Attr = Record<string, unknown>;

/** Attribute encoders in the model.json (protobuf JSON) form. */
export const attr = {
  s: (v: string): Attr => ({ s: Buffer.from(v).toString('base64') }),
  i: (v: number): Attr => ({ i: String(v) }),
  f: (v: number): Attr => ({ f: v }),
  b: (v: boolean): Attr => ({ b: v }),
  ints: (v: readonly number[]): Attr => ({ list: { i: v.map(String) } }),
  strs: (v: readonly string[]): Attr => ({ list: { s: v.map((x) => Buffer.from(x).toString('base64')) } }),
  type: (v: string): Attr => ({ type: v }),
};

interface WeightEntry { name: string; shape: number[]; dtype: string; quantization?: Record<string, unknown> }

/** Accumulates nodes and constant weights; `build()` returns what the converter and TFJS take. */
export class GraphFixture {
  private readonly nodes: Array<{ name: string; op: string; input: string[]; attr: Record<string, Attr> }> = [];
  private readonly weights: WeightEntry[] = [];
  private readonly chunks: Buffer[] = [];

  /** A float32 (or int32) graph input. */
  input(name: string, shape: readonly number[], dtype = 'DT_FLOAT'): string {
    this.nodes.push({ name, op: 'Placeholder', input: [], attr: {
      dtype: attr.type(dtype), shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } },
    } });
    return name;
  }

  /** A constant stored in the weights buffer. */
  konst(name: string, shape: readonly number[], values: ArrayLike<number>, dtype: 'float32' | 'int32' = 'float32'): string {
    const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
    this.chunks.push(Buffer.from(data.buffer));
    this.weights.push({ name, shape: [...shape], dtype });
    this.nodes.push({ name, op: 'Const', input: [], attr: { dtype: attr.type(dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32') } });
    return name;
  }

  /** A float32 constant stored quantized (`float16`, or `uint8` / `uint16` with scale and min). */
  quantized(name: string, shape: readonly number[], stored: Uint8Array, quantization: Record<string, unknown>): string {
    this.chunks.push(Buffer.from(stored));
    this.weights.push({ name, shape: [...shape], dtype: 'float32', quantization });
    this.nodes.push({ name, op: 'Const', input: [], attr: { dtype: attr.type('DT_FLOAT') } });
    return name;
  }

  /** An int32 vector constant. */
  ints(name: string, values: readonly number[]): string {
    return this.konst(name, [values.length], values, 'int32');
  }

  /** A float constant filled with a smooth deterministic pattern. */
  pattern(name: string, shape: readonly number[], scale = 0.5): string {
    const n = shape.reduce((a, b) => a * b, 1);
    return this.konst(name, shape, Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale));
  }

  /** Any op node. */
  op(name: string, op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    this.nodes.push({ name, op, input: [...inputs], attr: { T: attr.type('DT_FLOAT'), ...attrs } });
    return name;
  }

  /** model.json (with a signature when outputs are given) and the weights buffer. */
  build(inputs: readonly string[], outputs: readonly string[]): { json: unknown; weights: Uint8Array } {
    const sig = (names: readonly string[]) => Object.fromEntries(names.map((n) => [`${n}:0`, { name: `${n}:0` }]));
    return {
      json: {
        format: 'graph-model',
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        signature: { inputs: sig(inputs), outputs: sig(outputs) },
        weightsManifest: [{ paths: ['weights.bin'], weights: this.weights }],
      },
      weights: new Uint8Array(Buffer.concat(this.chunks)),
    };
  }
}

/** A deterministic NHWC input pattern with values in about [-1, 1]. */
export function patternInput(shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61) * 0.9 + Math.cos(i * 0.13) * 0.1);
}
