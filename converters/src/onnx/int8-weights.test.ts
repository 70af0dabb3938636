// Unit tests of int8WeightsToUint8: the int8 weights and zero points of integer ops become uint8 with
// `value - zero_point` unchanged element by element (in the main graph and in an If branch, from
// raw_data and from int32_data, in initializers and Constant nodes); tensors with other uses, pairs
// with a computed zero point and non-ONNX bytes are refused; the file converter renames its outputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import onnxProto from 'onnx-proto';
import { OnnxRewriteError } from './errors.js';
import { uint8OutputPath, int8ToUint8FileConverter } from './file-converter.js';
import { int8WeightsToUint8, int8WeightsToUint8Bytes } from './int8-weights.js';

const { onnx } = onnxProto;
const { INT8, UINT8, FLOAT } = onnx.TensorProto.DataType;

const int8Raw = (name: string, values: number[], dims = [values.length]): onnxProto.onnx.ITensorProto =>
  ({ name, dataType: INT8, dims, rawData: new Uint8Array(Int8Array.from(values).buffer) });
const int8Ints = (name: string, values: number[]): onnxProto.onnx.ITensorProto => ({ name, dataType: INT8, dims: [values.length], int32Data: values });

/** `value - zero_point` of a tensor pair as plain numbers. */
function centred(value: onnxProto.onnx.ITensorProto, zero: onnxProto.onnx.ITensorProto): number[] {
  const read = (t: onnxProto.onnx.ITensorProto): number[] => {
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
    if (t.dataType === UINT8) return [...(raw ?? Uint8Array.from(t.int32Data ?? []))];
    return raw ? [...new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength)] : [...(t.int32Data ?? [])];
  };
  const z = read(zero)[0] ?? 0;
  return read(value).map((v) => v - z);
}

const WEIGHTS = [-128, -1, 0, 1, 127, -77];

/** A model: MatMulInteger(A uint8 computed, B int8) and, in an If branch, DequantizeLinear(int8 constant). */
function model(): onnxProto.onnx.ModelProto {
  const branch: onnxProto.onnx.IGraphProto = {
    name: 'then',
    node: [
      { opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: int8Raw('', [5, -5, 120]) }] },
      { opType: 'Constant', output: ['c_zp'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: int8Raw('', [-3], []) }] },
      { opType: 'DequantizeLinear', input: ['c', 'scale', 'c_zp'], output: ['deq'], name: 'dq' },
    ],
    output: [{ name: 'deq' }],
  };
  return onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      input: [{ name: 'x', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 2 }] } } } }, { name: 'cond' }],
      initializer: [int8Raw('B', WEIGHTS, [2, 3]), int8Ints('B_zp', [-2]), { name: 'scale', dataType: FLOAT, dims: [], floatData: [0.5] }],
      valueInfo: [{ name: 'B', type: { tensorType: { elemType: INT8 } } }],
      node: [
        { opType: 'DynamicQuantizeLinear', input: ['x'], output: ['xq', 'xs', 'xzp'], name: 'dql' },
        { opType: 'MatMulInteger', input: ['xq', 'B', 'xzp', 'B_zp'], output: ['mm'], name: 'mmi' },
        { opType: 'If', input: ['cond'], output: ['deq'], name: 'if', attribute: [{ name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch }] },
      ],
      output: [{ name: 'mm' }, { name: 'deq' }],
    },
  });
}

describe('int8WeightsToUint8', () => {
  it('re-types paired int8 tensors as uint8 with value - zero_point unchanged', () => {
    const m = model();
    const g = m.graph!;
    const branch = g.node![2]!.attribute![0]!.g!;
    const constant = (i: number): onnxProto.onnx.ITensorProto => branch.node![i]!.attribute![0]!.t!;
    const before = { b: centred(g.initializer![0]!, g.initializer![1]!), c: centred(constant(0), constant(1)) };
    const report = int8WeightsToUint8(m);
    assert.deepEqual(report, { tensors: 4, inputs: 2 });
    for (const t of [g.initializer![0]!, g.initializer![1]!, constant(0), constant(1)]) assert.equal(t.dataType, UINT8);
    assert.deepEqual(centred(g.initializer![0]!, g.initializer![1]!), before.b);
    assert.deepEqual(centred(constant(0), constant(1)), before.c);
    assert.deepEqual([...g.initializer![0]!.rawData!], WEIGHTS.map((w) => w + 128));
    assert.equal(g.initializer![2]!.dataType, FLOAT, 'a float initializer is left alone');
    assert.equal(g.valueInfo![0]!.type!.tensorType!.elemType, UINT8, 'declared types follow');
  });

  it('round-trips through bytes', () => {
    const { bytes, report } = int8WeightsToUint8Bytes(onnx.ModelProto.encode(model()).finish());
    assert.equal(report.tensors, 4);
    const back = onnx.ModelProto.decode(bytes);
    assert.equal(back.graph!.initializer![0]!.dataType, UINT8);
    assert.deepEqual([...back.graph!.initializer![1]!.rawData!], [126]);
  });

  it('refuses a paired tensor that has another consumer, and a computed zero point', () => {
    const shared = model();
    shared.graph!.node!.push(onnx.NodeProto.create({ opType: 'Gather', input: ['B', 'idx'], output: ['emb'], name: 'gather' }));
    assert.throws(() => int8WeightsToUint8(shared), (e: unknown) => e instanceof OnnxRewriteError && e.code === 'ONNX_UNSUPPORTED' && /B.*Gather "gather"/.test(e.message));
    const computed = model();
    computed.graph!.node![1]!.input![3] = 'computed_zp';
    assert.throws(() => int8WeightsToUint8(computed), (e: unknown) => e instanceof OnnxRewriteError && /computed input/.test(e.message));
  });

  it('refuses bytes that are not ONNX, naming the model as invalid', () => {
    assert.throws(() => int8WeightsToUint8Bytes(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)), (e: unknown) => e instanceof OnnxRewriteError && e.code === 'ONNX_INVALID_MODEL');
  });
});

describe('onnx-int8-to-uint8 converter', () => {
  it('writes each *_quantized.onnx as *_uint8.onnx and reports progress', async () => {
    assert.equal(uint8OutputPath('onnx/decoder_model_merged_quantized.onnx'), 'onnx/decoder_model_merged_uint8.onnx');
    const bytes = onnx.ModelProto.encode(model()).finish();
    const progress: number[] = [];
    const out = await int8ToUint8FileConverter.convert(
      { kind: 'onnx-int8-to-uint8', id: 'm', files: ['config.json', 'onnx/a_quantized.onnx', 'onnx/b_quantized.onnx'], params: {} },
      { readFile: async () => bytes, onProgress: (f) => progress.push(f) },
    );
    assert.deepEqual([...out.keys()], ['onnx/a_uint8.onnx', 'onnx/b_uint8.onnx']);
    assert.deepEqual(progress, [0.5, 1]);
    await assert.rejects(int8ToUint8FileConverter.convert({ kind: 'onnx-int8-to-uint8', id: 'm', files: ['config.json'], params: {} }, { readFile: async () => bytes, onProgress: () => undefined }), /no \*_quantized\.onnx/);
  });
});
