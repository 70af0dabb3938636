// Converter behaviour without reference runtimes: refusals, IO description, weight decoding.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import ort from 'onnxruntime-node';
import {
  TfjsConvertError, convertTfjsGraphModel, describeModelIo, tfjsFileConverter,
} from '@tabagent/converters/tfjs';
import { GraphFixture, attr } from './graph-fixture.js';

test('an unknown op on the output path is refused with TFJS_UNSUPPORTED_OP naming op and node', () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 4]);
  const y = f.op('block_3/mystery', 'FancyNewOp', [x]);
  const z = f.op('block_4/odd', 'OddOp', [y]);
  const { json, weights } = f.build(['x'], [f.op('out', 'Relu', [z])]);
  assert.throws(() => convertTfjsGraphModel(json, weights), (err: unknown) => {
    assert.ok(err instanceof TfjsConvertError);
    assert.equal(err.code, 'TFJS_UNSUPPORTED_OP');
    assert.match(err.message, /"FancyNewOp"/);
    assert.match(err.message, /"block_3\/mystery"/);
    assert.match(err.message, /FancyNewOp, OddOp/);
    assert.deepEqual(err.details, { op: 'FancyNewOp', node: 'block_3/mystery', ops: ['FancyNewOp', 'OddOp'] });
    return true;
  });
});

test('unknown ops that no output depends on are ignored, as TFJS execute does', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 3]);
  f.op('unused', 'FancyNewOp', [x]);
  const { json, weights } = f.build(['x'], [f.op('out', 'Neg', [x])]);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, -2, 3]), [1, 3]) });
  assert.deepEqual(Array.from(out['out']?.data as Float32Array), [-1, 2, -3]);
});

test('a weights buffer that does not match the manifest is refused with TFJS_INVALID_MODEL', () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 2]);
  const { json, weights } = f.build(['x'], [f.op('out', 'AddV2', [x, f.konst('c', [2], [1, 2])])]);
  assert.throws(() => convertTfjsGraphModel(json, weights.subarray(0, 4)),
    (err: unknown) => err instanceof TfjsConvertError && err.code === 'TFJS_INVALID_MODEL');
});

test('float16 and uint8-affine quantized weights decode to their exact values', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 4]);
  // float16: 1.0 (0x3c00), -2.5 (0xc100), 65504 (0x7bff), smallest subnormal 2^-24 (0x0001).
  const half = new Uint8Array(new Uint16Array([0x3c00, 0xc100, 0x7bff, 0x0001]).buffer);
  const h = f.quantized('h', [4], half, { dtype: 'float16', original_dtype: 'float32' });
  const q = f.quantized('q', [4], Uint8Array.from([0, 1, 128, 255]), { dtype: 'uint8', scale: 0.5, min: -1 });
  const { json, weights } = f.build(['x'], [f.op('fh', 'AddV2', [x, h]), f.op('fq', 'AddV2', [x, q])]);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4]) });
  assert.deepEqual(Array.from(out['fh']?.data as Float32Array), [1, -2.5, 65504, 2 ** -24]);
  assert.deepEqual(Array.from(out['fq']?.data as Float32Array), [-1, -0.5, 63, 126.5]);
});

test('describeModelIo follows the signature order and keeps dynamic dims as -1', () => {
  const f = new GraphFixture();
  const x = f.input('image', [-1, 8, 8, 3]);
  const a = f.op('Identity_1', 'Relu', [x]);
  const b = f.op('Identity', 'Sigmoid', [x]);
  const { json } = f.build(['image'], [a, b]);
  const io = describeModelIo(json);
  assert.deepEqual(io.inputs.map((e) => [e.name, e.dtype, e.shape]), [['image', 'float32', [-1, 8, 8, 3]]]);
  assert.deepEqual(io.outputs.map((e) => [e.name, e.signatureKey, e.tensorName]),
    [['Identity_1', 'Identity_1:0', 'Identity_1:0'], ['Identity', 'Identity:0', 'Identity:0']]);
});

test('a converted model keeps NHWC inputs and outputs with a symbolic batch dimension', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [-1, 4, 4, 1]);
  const pooled = f.op('pool', 'MaxPool', [x], {
    ksize: attr.ints([1, 2, 2, 1]), strides: attr.ints([1, 2, 2, 1]), padding: attr.s('VALID'),
    data_format: attr.s('NHWC'),
  });
  const { json, weights } = f.build(['x'], [pooled]);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  const input = Float32Array.from({ length: 32 }, (_, i) => i);
  const out = await session.run({ x: new ort.Tensor('float32', input, [2, 4, 4, 1]) });
  assert.deepEqual(out['pool']?.dims, [2, 2, 2, 1]);
  assert.deepEqual(Array.from(out['pool']?.data as Float32Array), [5, 7, 13, 15, 21, 23, 29, 31]);
});

test('params.outputs cuts the graph at the named tensors (a detector head before its in-graph decode)', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 3]);
  const head = f.op('head/relu', 'Relu', [x]);
  f.op('decode/unsupported', 'TopKV2', [head]);
  const { json, weights } = f.build(['x'], ['decode/unsupported']);
  const files = new Map<string, Uint8Array>([['model.json', Buffer.from(JSON.stringify(json))], ['weights.bin', weights]]);
  const io = { readFile: async (p: string) => files.get(p)!, onProgress: () => undefined };
  const job = { kind: 'tfjs-graph-to-onnx' as const, id: 't/cut', files: [...files.keys()] };
  // Whole graph: the decode op has no converter.
  await assert.rejects(tfjsFileConverter.convert({ ...job, params: {} }, io), (err: unknown) => err instanceof TfjsConvertError && err.code === 'TFJS_UNSUPPORTED_OP');
  const out = await tfjsFileConverter.convert({ ...job, params: { outputs: ['head/relu'], onnx: 'cut.onnx' } }, io);
  const session = await ort.InferenceSession.create(out.get('cut.onnx')!);
  assert.deepEqual(session.outputNames, ['head/relu']);
  const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, -2, 3]), [1, 3]) });
  assert.deepEqual(Array.from(r['head/relu']?.data as Float32Array), [1, 0, 3]);
  for (const bad of [[], 'head/relu', [''], [3]]) {
    await assert.rejects(tfjsFileConverter.convert({ ...job, params: { outputs: bad } }, io),
      (err: unknown) => err instanceof TfjsConvertError && err.code === 'TFJS_INVALID_MODEL' && /params\.outputs/.test(err.message), JSON.stringify(bad));
  }
});
