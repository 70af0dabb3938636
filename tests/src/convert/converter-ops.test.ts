// Op-level equivalence of the converter on small synthetic graphs (TFJS cpu vs onnxruntime).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel } from '@tabagent/converters/tfjs';
import { compareTensors } from './compare.js';
import { GraphFixture, attr, patternInput } from './graph-fixture.js';
import { loadTfjsModel, runTfjs, useCpuBackend } from './tfjs-reference.js';

before(useCpuBackend);

/** Converts, runs both runtimes on the same input and returns the worst relative error per output. */
async function check(f: GraphFixture, outputs: readonly string[], shape: readonly number[]): Promise<number[]> {
  const { json, weights } = f.build(['x'], outputs);
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights));
  assert.deepEqual(session.outputNames, outputs);
  const input = patternInput(shape);
  const got = await session.run({ x: new ort.Tensor('float32', input, [...shape]) });
  const model = await loadTfjsModel(json, weights);
  const ref = runTfjs(model, input, shape);
  model.dispose();
  return outputs.map((name, i) => {
    const r = ref[i];
    const a = got[name];
    assert.ok(r !== undefined && a !== undefined);
    assert.deepEqual(a.dims, r.shape, `${name} shape`);
    return compareTensors(a.data as Float32Array, r.data).relError;
  });
}

function assertClose(errors: readonly number[], outputs: readonly string[], tol = 1e-5): void {
  errors.forEach((e, i) => assert.ok(e <= tol, `${outputs[i] ?? i}: relative error ${e}`));
}

const NHWC = { data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) };
const conv = (f: GraphFixture, name: string, x: string, k: number, cin: number, cout: number, stride: number,
  padding: string): string =>
  f.op(name, 'Conv2D', [x, f.pattern(`${name}/w`, [k, k, cin, cout])],
    { ...NHWC, strides: attr.ints([1, stride, stride, 1]), padding: attr.s(padding) });

test('strided slices with masks, shrink, new axis, ellipsis and negative strides', async () => {
  const f = new GraphFixture();
  const y = conv(f, 'y', f.input('x', [-1, 9, 11, 3]), 3, 3, 4, 2, 'SAME');
  const slice = (name: string, b: number[], e: number[], s: number[], masks: Record<string, number>): string =>
    f.op(name, 'StridedSlice', [y, f.ints(`${name}/b`, b), f.ints(`${name}/e`, e), f.ints(`${name}/s`, s)],
      Object.fromEntries(Object.entries(masks).map(([k, v]) => [k, attr.i(v)])));
  const outs = [
    slice('rows', [0, 1, 0, 1], [0, -1, 0, 3], [1, 1, 2, 1], { begin_mask: 5, end_mask: 5 }),
    slice('shrink', [0, 2], [0, 0], [1, 1], { begin_mask: 1, end_mask: 1, shrink_axis_mask: 2 }),
    slice('ellipsis', [0, 0, 1], [0, 0, 3], [1, 1, 1], { ellipsis_mask: 1, new_axis_mask: 2 }),
    slice('reverse', [0, -1], [0, 0], [1, -2], { begin_mask: 1, end_mask: 3 }),
    slice('reverse_masked', [0, 0, 0], [0, 0, 0], [1, 1, -1], { begin_mask: 7, end_mask: 7 }),
  ];
  assertClose(await check(f, outs, [2, 9, 11, 3]), outs);
});

test('bilinear and nearest resizing honour align_corners and half_pixel_centers', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 5, 7, 2]);
  const up = f.ints('up', [8, 11]);
  const down = f.ints('down', [3, 4]);
  const r = (name: string, op: string, size: string, ac: boolean, hp: boolean): string =>
    f.op(name, op, [x, size], { align_corners: attr.b(ac), half_pixel_centers: attr.b(hp) });
  const outs = [
    r('bl_half', 'ResizeBilinear', up, false, true), r('bl_corners', 'ResizeBilinear', up, true, false),
    r('bl_legacy', 'ResizeBilinear', up, false, false), r('bl_down', 'ResizeBilinear', down, false, true),
    r('nn_half', 'ResizeNearestNeighbor', up, false, true), r('nn_legacy', 'ResizeNearestNeighbor', up, false, false),
    r('nn_corners', 'ResizeNearestNeighbor', up, true, false),
  ];
  assertClose(await check(f, outs, [1, 5, 7, 2]), outs);
});

test('transposed convolution, depth-to-space and SAME pooling', async () => {
  const f = new GraphFixture();
  const x = f.input('x', [1, 6, 6, 4]);
  const deconv = (name: string, k: number, padding: string): string =>
    f.op(name, 'Conv2DBackpropInput', [f.ints(`${name}/size`, [1, 12, 12, 3]), f.pattern(`${name}/w`, [k, k, 3, 4]), x],
      { ...NHWC, strides: attr.ints([1, 2, 2, 1]), padding: attr.s(padding) });
  const pool = (name: string, op: string): string =>
    f.op(name, op, [x], { ...NHWC, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 2, 2, 1]), padding: attr.s('SAME') });
  const outs = [
    deconv('deconv_same', 3, 'SAME'), deconv('deconv_valid', 2, 'VALID'),
    f.op('d2s', 'DepthToSpace', [x], { ...NHWC, block_size: attr.i(2) }),
    pool('avg', 'AvgPool'), pool('max', 'MaxPool'),
  ];
  assertClose(await check(f, outs, [1, 6, 6, 4]), outs);
});

test('math, reductions, transposes and fused activations on NCHW values', async () => {
  const f = new GraphFixture();
  const y = conv(f, 'y', f.input('x', [1, 4, 5, 3]), 1, 3, 3, 1, 'VALID');
  const c = f.konst('c', [1, 1, 5, 3], Array.from({ length: 15 }, (_, i) => [0, -0.5, 0.7][i % 3] as number));
  const axes = (name: string, v: number[]): string => f.ints(name, v);
  const outs = [
    f.op('atan2', 'Atan2', [y, c]),
    f.op('mean_hw', 'Mean', [y, axes('a12', [1, 2])], { keep_dims: attr.b(false) }),
    f.op('max_c', 'Max', [y, axes('a3', [-1])], { keep_dims: attr.b(true) }),
    f.op('sum_h', 'Sum', [y, axes('a1', [1])], { keep_dims: attr.b(false) }),
    f.op('perm', 'Transpose', [y, f.ints('p', [0, 3, 1, 2])]),
    f.op('prelu', 'Prelu', [y, f.konst('alpha', [3], [0.1, 0.2, 0.3])]),
    f.op('relu6', 'Relu6', [f.op('scaled', 'Mul', [y, f.konst('k', [], [9])])]),
    f.op('rsqrt', 'Rsqrt', [f.op('abs1', 'AddV2', [f.op('sq', 'Square', [y]), f.konst('one', [], [1])])]),
    f.op('fused', '_FusedConv2D', [y, f.pattern('fw', [3, 3, 3, 2]), f.pattern('fb', [2]), f.konst('fa', [2], [0.25, 0.5])],
      { ...NHWC, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME'), fused_ops: attr.strs(['BiasAdd', 'Prelu']),
        num_args: attr.i(2) }),
  ];
  assertClose(await check(f, outs, [1, 4, 5, 3]), outs);
});

test('dynamic batch: shape arithmetic on the batch size and matrix products', async () => {
  const f = new GraphFixture();
  const y = conv(f, 'y', f.input('x', [-1, 4, 4, 2]), 3, 2, 2, 1, 'SAME');
  const n = f.op('n', 'StridedSlice', [f.op('shape', 'Shape', [y], { out_type: attr.type('DT_INT32') }),
    f.ints('n/b', [0]), f.ints('n/e', [1]), f.ints('n/s', [1])], { shrink_axis_mask: attr.i(1), T: attr.type('DT_INT32') });
  const flat = f.op('flat', 'Reshape', [y, f.op('target', 'Pack', [n, f.konst('m1', [], [-1], 'int32')],
    { axis: attr.i(0), T: attr.type('DT_INT32') })]);
  const dense = f.op('dense', '_FusedMatMul', [flat, f.pattern('w', [32, 6]), f.pattern('b', [6])],
    { fused_ops: attr.strs(['BiasAdd', 'Relu']), num_args: attr.i(1), transpose_a: attr.b(false), transpose_b: attr.b(false) });
  const seq = f.op('seq', 'Reshape', [dense, f.ints('seq/shape', [-1, 2, 3])]);
  const bmm = f.op('bmm', 'BatchMatMulV2', [seq, f.pattern('rhs', [4, 3])], { adj_x: attr.b(false), adj_y: attr.b(true) });
  const outs = [flat, dense, bmm];
  assertClose(await check(f, outs, [3, 4, 4, 2]), outs);
});
