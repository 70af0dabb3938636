// The converter on what dilated convolutions, recurrent states and tf.cond become in a frozen TFJS
// graph: SpaceToBatchND / BatchToSpaceND around a depthwise convolution with FloorMod-computed
// paddings, BroadcastTo, and Switch / Merge resolved from a constant input (TFJS cpu vs onnxruntime).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import { TfjsConvertError, convertTfjsGraphModel, tfjsFileConverter } from '@tabagent/converters/tfjs';
import { compareTensors } from './compare.js';
import { GraphFixture, attr, patternInput } from './graph-fixture.js';
import { loadTfjsModel, runTfjsAsync, useCpuBackend } from './tfjs-reference.js';

before(useCpuBackend);

const INT = { T: attr.type('DT_INT32') };

test('a dilated depthwise convolution as SpaceToBatchND → conv → BatchToSpaceND, FloorMod paddings, BroadcastTo', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 9, 11, 2]);
  // FloorMod takes the divisor's sign: [-3, 5, 8, -1] mod [2, 3, 3, 2] = [1, 2, 2, 1].
  const pads = f.op('pads', 'FloorMod', [f.konst('pa', [2, 2], [-3, 5, 8, -1], 'int32'), f.konst('pb', [2, 2], [2, 3, 3, 2], 'int32')], INT);
  const block = f.ints('block', [2, 2]);
  const s2b = f.op('s2b', 'SpaceToBatchND', [x, block, pads], { Tblock_shape: attr.type('DT_INT32'), Tpaddings: attr.type('DT_INT32') });
  const dw = f.op('dw', 'DepthwiseConv2dNative', [s2b, f.pattern('dw/w', [3, 3, 2, 1])],
    { data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID') });
  const crops = f.konst('crops', [2, 2], [0, 1, 1, 0], 'int32');
  const b2s = f.op('b2s', 'BatchToSpaceND', [dw, block, crops], { Tblock_shape: attr.type('DT_INT32'), Tcrops: attr.type('DT_INT32') });
  const row = f.op('row', 'Mean', [x, f.ints('row/axis', [1])], { keep_dims: attr.b(true), Tidx: attr.type('DT_INT32') });
  const wide = f.op('wide', 'BroadcastTo', [row, f.ints('wide/shape', [1, 9, 11, 2])], { Tidx: attr.type('DT_INT32') });
  const outputs = [b2s, wide];
  const { json, weights } = f.build(['x'], outputs);
  const input = patternInput([1, 9, 11, 2]);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  const got = await session.run({ x: new ort.Tensor('float32', input, [1, 9, 11, 2]) });
  const model = await loadTfjsModel(json, weights);
  const ref = await runTfjsAsync(model, { x: { data: input, shape: [1, 9, 11, 2] } }, outputs);
  model.dispose();
  outputs.forEach((name, i) => {
    const a = got[name]!;
    assert.deepEqual(a.dims, ref[i]!.shape, `${name} shape`);
    const e = compareTensors(a.data as Float32Array, ref[i]!.data).relError;
    assert.ok(e <= 1e-5, `${name}: relative error ${e}`);
  });
  assert.deepEqual(got[b2s]!.dims, [1, 7, 9, 2]);
});

/** x → Switch on (flag == 1): the true branch negates, the false branch applies Relu; Merge joins them. */
function condGraph(): { json: unknown; weights: Uint8Array; out: string; trueBranch: string } {
  const f = new GraphFixture();
  const x = f.input('x', [1, 5]);
  const flag = f.input('flag', []);
  const pred = f.op('pred', 'Equal', [flag, f.konst('one', [], [1])]);
  const sw = f.op('cond/switch', 'Switch', [x, pred]);
  const onFalse = f.op('cond/else/relu', 'Relu', [`${sw}:0`]);
  const onTrue = f.op('cond/then/neg', 'Neg', [`${sw}:1`]);
  const out = f.op('cond/merge', 'Merge', [onFalse, onTrue], { N: attr.i(2) });
  return { ...f.build(['x', 'flag'], [out]), out, trueBranch: onTrue };
}

test('Switch / Merge keep only the branch a constant input selects, as TFJS runs it', async () => {
  const { json, weights, out } = condGraph();
  const input = Float32Array.from([1.5, -2, 0.25, -0.5, 3]);
  const model = await loadTfjsModel(json, weights);
  for (const flag of [1, 0]) {
    const onnx = convertTfjsGraphModel(json, weights, { constantInputs: { flag } });
    const session = await ort.InferenceSession.create(onnx);
    assert.deepEqual(session.inputNames, ['x'], 'the constant input is no longer an input');
    const got = (await session.run({ x: new ort.Tensor('float32', input, [1, 5]) }))[out]!.data as Float32Array;
    const [ref] = await runTfjsAsync(model, { x: { data: input, shape: [1, 5] }, flag: { data: Float32Array.of(flag), shape: [] } }, [out]);
    assert.deepEqual(Array.from(got), Array.from(ref!.data), `flag ${flag}`);
    assert.deepEqual(Array.from(got), flag === 1 ? [-1.5, 2, -0.25, 0.5, -3] : [1.5, 0, 0.25, 0, 3]);
  }
  model.dispose();
});

test('control flow refusals: a predicate known only at run time, a dead output, an unknown constant input', () => {
  const { json, weights, trueBranch } = condGraph();
  assert.throws(() => convertTfjsGraphModel(json, weights), (err: unknown) =>
    err instanceof TfjsConvertError && err.code === 'TFJS_UNSUPPORTED_OP' && /Switch/.test(err.message) && /run time/.test(err.message));
  assert.throws(() => convertTfjsGraphModel(json, weights, { constantInputs: { flag: 0 }, outputs: [trueBranch] }), (err: unknown) =>
    err instanceof TfjsConvertError && err.code === 'TFJS_INVALID_MODEL' && /never runs/.test(err.message));
  assert.throws(() => convertTfjsGraphModel(json, weights, { constantInputs: { flag: 1, nope: 0 } }), (err: unknown) =>
    err instanceof TfjsConvertError && err.code === 'TFJS_INVALID_MODEL' && /"nope" is not an input/.test(err.message));
});

test('catalog params.constantInputs and params.inputShapes reach the converter, and are validated', async () => {
  const { json, weights, out } = condGraph();
  const files = new Map<string, Uint8Array>([['model.json', Buffer.from(JSON.stringify(json))], ['weights.bin', weights]]);
  const io = { readFile: async (p: string) => files.get(p)!, onProgress: () => undefined };
  const job = { kind: 'tfjs-graph-to-onnx' as const, id: 't/cond', files: [...files.keys()] };
  const converted = await tfjsFileConverter.convert({ ...job, params: { constantInputs: { flag: 1 }, inputShapes: { x: [1, 5] }, onnx: 'm.onnx' } }, io);
  const session = await ort.InferenceSession.create(converted.get('m.onnx')!);
  const r = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5), [1, 5]) });
  assert.deepEqual(Array.from(r[out]!.data as Float32Array), [-1, -2, -3, -4, -5]);
  for (const params of [{ constantInputs: { flag: 'one' } }, { constantInputs: [1] }, { inputShapes: { x: [1, -5] } }, { inputShapes: { x: 5 } }]) {
    await assert.rejects(tfjsFileConverter.convert({ ...job, params }, io),
      (err: unknown) => err instanceof TfjsConvertError && err.code === 'TFJS_INVALID_MODEL' && /params\.(constantInputs|inputShapes)/.test(err.message), JSON.stringify(params));
  }
});
