// The shared ONNX graph builder: unique names around reserved ones, attribute kinds, little-endian
// initializers, shared int64 constants, and a ModelProto that decodes back to what was built.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import { GraphBuilder, OnnxType } from './graph-builder.js';

const { onnx } = onnxProto;

test('generated names are unique, sanitized and never take a reserved name', () => {
  const g = new GraphBuilder();
  g.reserve('y');
  assert.equal(g.fresh('y'), 'y__1');
  assert.equal(g.fresh('a b'), 'a_b');
  assert.equal(g.fresh('a b'), 'a_b__2');
  const [p, q] = g.node('Split', ['x'], { axis: -1 }, 'half', 2);
  assert.deepEqual([p, q], ['half:0', 'half:1']);
  assert.equal(g.rename('half:0', 'out'), 'out');
  assert.notEqual(g.fresh('out'), 'out');
  assert.equal(g.nodeCount, 2);
});

test('a built graph decodes back with its attributes, initializers and declarations', () => {
  const g = new GraphBuilder();
  const x = g.input('x', OnnxType.FLOAT, ['batch', 4]);
  const w = g.floats('w', Float32Array.of(1.5, -2), [2]);
  const shared = g.sharedInt64([0, -1]);
  assert.equal(g.sharedInt64([0, -1]), shared);
  assert.notEqual(g.sharedInt64([0, -1], [2, 1]), shared);
  const y = g.op('Gemm', [x, w, g.scalar(0.25)], { alpha: 0.5, beta: { float: 1 }, transB: 1, perm: [1, 0], mode: 'fast' });
  g.output('y', OnnxType.FLOAT, ['batch', 2]);
  g.rename(g.op('Reshape', [y, shared]), 'y');
  const model = onnx.ModelProto.decode(g.encode({
    graphName: 'test', opset: 17, producerName: 'tabagent-test', producerVersion: '3', metadata: { k: 'v' },
  }));
  assert.equal(model.producerVersion, '3');
  assert.equal(Number(model.opsetImport[0]?.version), 17);
  assert.deepEqual(model.metadataProps.map((p) => [p.key, p.value]), [['k', 'v']]);
  const graph = model.graph as onnxProto.onnx.GraphProto;
  assert.deepEqual(graph.input.map((v) => v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))), [['batch', 4]]);
  assert.deepEqual(graph.output.map((v) => v.name), ['y']);
  assert.deepEqual(graph.node.map((n) => n.opType), ['Gemm', 'Reshape', 'Identity']);
  const A = onnx.AttributeProto.AttributeType;
  const attrs = Object.fromEntries((graph.node[0]?.attribute ?? []).map((a) => [a.name, a]));
  assert.equal(attrs['alpha']?.type, A.FLOAT);
  assert.equal(attrs['alpha']?.f, 0.5);
  assert.equal(attrs['beta']?.type, A.FLOAT);
  assert.equal(attrs['transB']?.type, A.INT);
  assert.deepEqual(attrs['perm']?.ints.map(Number), [1, 0]);
  assert.equal(Buffer.from(attrs['mode']!.s).toString(), 'fast');
  const inits = Object.fromEntries(graph.initializer.map((t) => [t.name, t]));
  const wRaw = Buffer.from(inits['w']!.rawData);
  assert.deepEqual([wRaw.readFloatLE(0), wRaw.readFloatLE(4)], [1.5, -2]);
  const sRaw = Buffer.from(inits[shared]!.rawData);
  assert.equal(inits[shared]!.dataType, OnnxType.INT64);
  assert.deepEqual([sRaw.readBigInt64LE(0), sRaw.readBigInt64LE(8)], [0n, -1n]);
  assert.equal(graph.initializer.length, 4);
});
