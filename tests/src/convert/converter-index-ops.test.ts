// Op-level equivalence for data-dependent index ops (Where, GatherNd, ScatterNd, SparseToDense) and for
// Split / SplitV, Slice, Select and Softmax, on small synthetic graphs with a dynamic batch dimension.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel } from '@tabagent/converters/tfjs';
import { compareTensors } from './compare.js';
import { GraphFixture, attr, patternInput } from './graph-fixture.js';
import { loadTfjsModel, runTfjsAsync, useCpuBackend } from './tfjs-reference.js';

before(useCpuBackend);

const INT = { T: attr.type('DT_INT32') };

/** Runs the converted graph and TFJS (executeAsync) on `input`; returns the worst relative error per output. */
async function check(f: GraphFixture, outputs: readonly string[], input: Float32Array, shape: readonly number[]):
  Promise<number[]> {
  const { json, weights } = f.build(['x'], outputs);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  const got = await session.run({ x: new ort.Tensor('float32', input, [...shape]) });
  const model = await loadTfjsModel(json, weights);
  const ref = await runTfjsAsync(model, { x: { data: input, shape } }, outputs);
  model.dispose();
  await session.release();
  return outputs.map((name, i) => {
    const r = ref[i];
    const a = got[name];
    assert.ok(r !== undefined && a !== undefined, name);
    assert.deepEqual(a.dims, r.shape, `${name} shape`);
    assert.ok(r.data.some((v) => v !== 0), `${name} is all zeros: the input does not exercise it`);
    return compareTensors(Array.from(a.data as Float32Array | Int32Array, Number), r.data).relError;
  });
}

function assertClose(errors: readonly number[], outputs: readonly string[], tol = 1e-5): void {
  errors.forEach((e, i) => assert.ok(e <= tol, `${outputs[i] ?? i}: relative error ${e}`));
}

test('Where coordinates feed GatherNd, ScatterNd and SparseToDense with data-dependent sizes', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [-1, 5]);
  const positive = f.op('positive', 'Greater', [x, f.konst('zero', [], [0])]);
  const where = f.op('where', 'Where', [positive], { T: attr.type('DT_BOOL') });
  const idx = f.op('idx', 'Cast', [where], { SrcT: attr.type('DT_INT64'), DstT: attr.type('DT_INT32') });
  const picked = f.op('picked', 'GatherNd', [x, idx], { Tindices: attr.type('DT_INT32') });
  const shape = f.op('shape', 'Shape', [x], { out_type: attr.type('DT_INT32') });
  const outs = [
    f.op('idx_float', 'Cast', [idx], { SrcT: attr.type('DT_INT32'), DstT: attr.type('DT_FLOAT') }),
    picked,
    f.op('scattered', 'ScatterNd', [idx, f.op('doubled', 'Mul', [picked, f.konst('two', [], [2])]), shape],
      { Tindices: attr.type('DT_INT32') }),
    f.op('dense', 'SparseToDense', [idx, shape, picked, f.konst('fill', [], [0.5])],
      { validate_indices: attr.b(true), Tindices: attr.type('DT_INT32') }),
    f.op('dense_scalar', 'SparseToDense', [idx, shape, f.konst('one', [], [1]), f.konst('fill0', [], [0])],
      { validate_indices: attr.b(true), Tindices: attr.type('DT_INT32') }),
    f.op('rows', 'GatherNd', [x, f.konst('row_idx', [2, 1], [2, 0], 'int32')], { Tindices: attr.type('DT_INT32') }),
    f.op('single', 'GatherNd', [x, f.konst('tuple', [2], [1, 3], 'int32')], { Tindices: attr.type('DT_INT32') }),
    f.op('dense_1d', 'SparseToDense', [f.konst('pos', [2], [0, 3], 'int32'), f.konst('len', [1], [5], 'int32'),
      f.op('diag', 'GatherNd', [x, f.konst('diag_idx', [2, 2], [0, 0, 1, 1], 'int32')], { Tindices: attr.type('DT_INT32') }),
      f.konst('fill1', [], [0])], { validate_indices: attr.b(true), Tindices: attr.type('DT_INT32') }),
  ];
  const input = patternInput([3, 5]);
  assertClose(await check(f, outs, input, [3, 5]), outs);
});

test('SplitV with a -1 size, Split, Slice with -1 sizes, SelectV2 and Softmax on a dynamic batch', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [-1, 6, 4]);
  const parts = f.op('parts', 'SplitV', [x, f.ints('sizes', [1, -1, 2]), f.konst('axis1', [], [1], 'int32')],
    { num_split: attr.i(3) });
  const halves = f.op('halves', 'Split', [f.konst('axis2', [], [2], 'int32'), x], { num_split: attr.i(2) });
  const flat = f.op('flat', 'Reshape', [x, f.ints('flat/shape', [-1, 4])]);
  const outs = [
    f.op('part0', 'Identity', [parts]),
    f.op('part1', 'Identity', [`${parts}:1`]),
    f.op('part2', 'Identity', [`${parts}:2`]),
    f.op('half1', 'Identity', [`${halves}:1`]),
    f.op('slice', 'Slice', [x, f.ints('slice/begin', [0, 1, 1]), f.ints('slice/size', [-1, 3, -1])], { Index: attr.type('DT_INT32') }),
    f.op('select', 'SelectV2', [f.op('pos', 'Greater', [x, f.konst('z', [], [0])]), x,
      f.op('neg', 'Mul', [x, f.konst('k', [], [-3])])]),
    f.op('softmax', 'Softmax', [flat]),
    f.op('softmax3', 'Softmax', [x]),
  ];
  assertClose(await check(f, outs, patternInput([2, 6, 4]), [2, 6, 4]), outs);
});

test('slicing a shape vector folds to constants and symbolic sizes', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [-1, 3, 4]);
  const shape = f.op('shape', 'Shape', [x], { out_type: attr.type('DT_INT32') });
  const tail = f.op('tail', 'Slice', [shape, f.ints('tail/begin', [1]), f.ints('tail/size', [-1])], INT);
  const target = f.op('target', 'ConcatV2', [f.ints('m1', [-1]), tail, f.konst('axis0', [], [0], 'int32')], INT);
  const outs = [f.op('reshaped', 'Reshape', [f.op('sq', 'Square', [x]), target])];
  assertClose(await check(f, outs, patternInput([2, 3, 4]), [2, 3, 4]), outs);
});
