// End to end: convert stories260K, load it through a readFile callback, and reproduce llama2.c's greedy golden.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateText, loadTextModel } from '../../../ml-service/dist/text/transformers/index.js';
import { convertStories, mapReader, storiesFile } from './stories.js';
import { LLAMA2C_OUTPUT_FILES } from '@tabagent/converters/llama2c';

const golden = new TextDecoder().decode(storiesFile('golden.empty_prompt.greedy256.txt'));

test('converted stories260K reproduces the published greedy golden byte for byte', async (t) => {
  const files = convertStories();
  assert.deepEqual([...files.keys()].sort(), [...LLAMA2C_OUTPUT_FILES].sort());
  const requested: string[] = [];
  const model = await loadTextModel({ id: 'karpathy/stories260K', readFile: mapReader(files, requested), threads: 2 });
  try {
    // Every file came through the callback, the ONNX graph exactly once.
    assert.equal(requested.filter((p) => p === 'onnx/model.onnx').length, 1);
    for (const p of requested) assert.ok(files.has(p), `unexpected file request ${p}`);
    assert.equal(model.info.contextLength, 512);
    assert.equal(model.info.bosTokenId, 1);
    assert.deepEqual(model.info.eosTokenIds, [2]);

    const r = await generateText(model, { maxNewTokens: 256, temperature: 0 });
    assert.equal(r.completionTokens, 256);
    assert.equal(r.tokenIds.length, 256);
    assert.equal(r.finishReason, 'length');
    assert.equal(r.promptTokens, 1);
    // llama2.c prints the 256 sampled pieces (dropping the space after BOS) and then one "\n".
    assert.equal(Buffer.from(`${r.text}\n`).equals(Buffer.from(golden)), true, `generated:\n${r.text}`);
    assert.equal(r.text.startsWith('Once upon a time, there was a little girl named Lily.'), true);

    const warm = await generateText(model, { maxNewTokens: 256 });
    assert.equal(warm.text, r.text);
    t.diagnostic(`256 greedy tokens: first run ${r.tokensPerSecond.toFixed(0)} tok/s, warm ${warm.tokensPerSecond.toFixed(0)} tok/s, ` +
      `time to first token ${warm.timeToFirstTokenMs.toFixed(2)} ms`);
    assert.ok(warm.tokensPerSecond > 50, `too slow: ${warm.tokensPerSecond} tok/s`);
  } finally {
    await model.dispose();
  }
});

test('a long prompt prefilled in one pass continues exactly like the golden (causal mask + KV cache)', async () => {
  const files = convertStories();
  const model = await loadTextModel({ id: 'karpathy/stories260K', readFile: mapReader(files), threads: 2 });
  try {
    const full = await generateText(model, { maxNewTokens: 120 });
    const prefix = full.tokenIds.slice(0, 60);
    const rest = await generateText(model, { inputIds: [1, ...prefix], maxNewTokens: 60 });
    assert.equal(rest.promptTokens, 61);
    assert.deepEqual(rest.tokenIds, full.tokenIds.slice(60, 120));
  } finally {
    await model.dispose();
  }
});

test('conversion without tokenizer.model yields the same files', () => {
  const a = convertStories(true);
  const b = convertStories(false);
  for (const [path, bytes] of a) assert.equal(Buffer.from(bytes).equals(Buffer.from(b.get(path)!)), true, path);
});

test('the model folder loads without the optional generation_config.json; without the graph it fails', async () => {
  const files = convertStories();
  files.delete('generation_config.json');
  const model = await loadTextModel({ id: 'no-generation-config', readFile: mapReader(files) });
  const r = await generateText(model, { maxNewTokens: 8 });
  assert.equal(r.text, 'Once upon a time, there was a');
  await model.dispose();

  files.delete('onnx/model.onnx');
  await assert.rejects(loadTextModel({ id: 'no-graph', readFile: mapReader(files) }), { code: 'TEXT_MODEL_LOAD_FAILED' });
});
