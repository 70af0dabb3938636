// The llama.cpp runtime in-process: stories260K converted to GGUF, loaded through the child's
// llama.cpp loader from a readFile callback, reproduces llama2.c's greedy golden; the private model
// file is gone once loaded; a GPU device falls back to CPU with a warning; the per-request context
// size, JSON-schema grammar, cancellation and option errors behave as on the Text service.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { Device } from '@tabagent/protos/v1/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import { convertLlama2cToGguf } from '@tabagent/converters/llama2c';
import { createLlamaCppLoader } from '../../../ml-service/dist/text/llama/loader.js';
import { privateFileBase } from '../../../ml-service/dist/text/llama/model-file.js';
import { asTextHandle } from '../../../ml-service/dist/text/text-handle.js';
import type { GenerationEvent } from '../../../ml-service/dist/text/transformers/index.js';
import { storiesFile } from './stories.js';

const golden = new TextDecoder().decode(storiesFile('golden.empty_prompt.greedy256.txt'));

function ggufFiles(): Map<string, Uint8Array> {
  return convertLlama2cToGguf({ checkpoint: storiesFile('stories260K.bin'), tokenizerBin: storiesFile('tok512.bin'), tokenizerModel: storiesFile('tok512.model') });
}

function manifest(devices: Device[] = [], extra: Partial<ModelManifest['options']> = {}): ModelManifest {
  return {
    model: 'karpathy/stories260K-gguf', task: 'text-generation', runtime: 'llama.cpp',
    files: [{ path: 'model.gguf', size: 0, sha256: '' }],
    options: { devices, threads: 1, keepAliveSeconds: undefined, ...extra },
    paramsJson: JSON.stringify({ kvCacheType: 'F32' }),
  };
}

async function collect(events: AsyncGenerator<GenerationEvent>): Promise<{ text: string; ids: number[]; final: Extract<GenerationEvent, { type: 'final' }> }> {
  let text = '';
  const ids: number[] = [];
  for await (const e of events) {
    if (e.type === 'final') return { text, ids, final: e };
    text += e.delta;
    ids.push(...e.tokenIds);
  }
  throw new Error('no final event');
}

const ourFiles = (): string[] => readdirSync(privateFileBase()).filter((n) => n.startsWith(`tabagent-gguf-${process.pid}-`));

test('stories260K on llama.cpp: golden from BOS, private file removed, CUDA falls back to CPU with a warning', async () => {
  const files = ggufFiles();
  const reads: string[] = [];
  const loader = createLlamaCppLoader();
  const loaded = await loader.load(manifest([Device.DEVICE_CUDA]), { kvCacheType: 'F32' }, async (p) => {
    reads.push(p);
    return files.get(p)!;
  }, ['cuda', 'cpu'], 1);
  const engine = asTextHandle(loaded.handle)!.engine;
  try {
    assert.deepEqual(reads, ['model.gguf']);
    assert.equal(loaded.provider, 'cpu');
    assert.equal(loaded.warnings.length, 1, loaded.warnings.join('\n'));
    assert.match(loaded.warnings[0]!, /llama\.cpp backend "cuda" is not available .*falling back to CPU/);
    assert.deepEqual(ourFiles(), [], 'the materialised GGUF is unlinked once llama.cpp has it');

    const r = await collect(engine.generate({ maxNewTokens: 256, temperature: 0 }));
    assert.equal(Buffer.from(`${r.text}\n`).equals(Buffer.from(golden)), true, `generated:\n${r.text}`);
    assert.equal(r.final.completionTokens, 256);
    assert.equal(r.final.promptTokens, 1);
    assert.equal(r.final.finishReason, 'length');
    assert.equal(r.ids.length, 256);

    // Stop strings, per-request context size, cancellation before the first token.
    const s = await collect(engine.generate({ maxNewTokens: 256, temperature: 0, stop: ['Lily'] }));
    assert.equal(s.text, 'Once upon a time, there was a little girl named ');
    assert.equal(s.final.finishReason, 'stop');
    await assert.rejects(collect(engine.generate({ maxNewTokens: 100, contextSize: 64 })), /maxNewTokens: prompt \(1 tokens\) \+ maxNewTokens \(100\) exceeds the context of 64 tokens/);
    const small = await collect(engine.generate({ maxNewTokens: 60, temperature: 0, contextSize: 64 }));
    assert.equal(golden.startsWith(small.text), true);
    await assert.rejects(collect(engine.generate({ contextSize: 100_000 })), /contextSize: must be an integer from 16 to 512/);
    const aborted = new AbortController();
    aborted.abort();
    const c = await collect(engine.generate({ maxNewTokens: 50, signal: aborted.signal }));
    assert.equal(c.final.finishReason, 'cancelled');
    assert.equal(c.final.completionTokens, 0);
  } finally {
    await loaded.handle.dispose();
    await loaded.handle.dispose();
  }
  await assert.rejects(collect(engine.generate({ maxNewTokens: 5 })), /has been disposed/);
});

test('a JSON schema constrains stories260K to valid JSON of that schema', async () => {
  const files = ggufFiles();
  const loaded = await createLlamaCppLoader().load(manifest(), {}, async (p) => files.get(p)!, ['cpu'], 1);
  const engine = asTextHandle(loaded.handle)!.engine;
  try {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 20 }, age: { type: 'integer' }, happy: { type: 'boolean' } },
      required: ['name', 'age', 'happy'],
    };
    const r = await collect(engine.generate({ prompt: 'Once upon a time', maxNewTokens: 400, temperature: 0, jsonSchema: schema }));
    const value = JSON.parse(r.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(value).sort(), ['age', 'happy', 'name']);
    assert.equal(typeof value.name, 'string');
    assert.ok(Number.isInteger(value.age));
    assert.equal(typeof value.happy, 'boolean');
    // The grammar's value is complete: what follows is whitespace, cut by the grammar's stop string.
    assert.equal(r.final.finishReason, 'stop');
    assert.equal(r.text, r.text.trimEnd());
  } finally {
    await loaded.handle.dispose();
  }
});
