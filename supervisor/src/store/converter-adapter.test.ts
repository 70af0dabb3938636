// The converter adapter runs each conversion on a worker thread: outputs and progress come back,
// converter errors keep their class name, code and details across the thread boundary, a failed
// file read fails the conversion with the very error the store threw, and aborting the signal
// terminates the worker with STORE_CANCELLED.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConversionThread, threadedConverter } from './converter-adapter.js';
import { StoreError } from './core/errors.js';
import { sharedDir } from './test-support/env.js';
import type { CatalogEntry, ConverterInput, ConvertKind } from './core/types.js';

const stories = (name: string): Uint8Array => new Uint8Array(readFileSync(join(sharedDir(), 'models', 'stories260K', name)));

function inputFor(kind: ConvertKind, files: ReadonlyMap<string, Uint8Array>, overrides: Partial<ConverterInput> = {}): ConverterInput {
  const entry: CatalogEntry = {
    id: 'test/model', source: 'file:model', files: [...files.keys()].map((path) => ({ path })),
    task: kind === 'tfjs-graph-to-onnx' ? 'face-detection' : 'text-generation',
    runtime: kind === 'tfjs-graph-to-onnx' ? 'onnxruntime' : 'transformers', convert: kind,
  };
  return {
    entry,
    files: [...files.keys()],
    readFile: async (path) => {
      const bytes = files.get(path);
      if (bytes === undefined) throw new StoreError('STORE_NOT_FOUND', `no file '${path}'`, { path });
      return bytes.slice();
    },
    onProgress: () => undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const storiesFiles = (): Map<string, Uint8Array> => new Map([
  ['stories260K.bin', stories('stories260K.bin')],
  ['tok512.bin', stories('tok512.bin')],
  ['tok512.model', stories('tok512.model')],
]);

/** A TFJS graph with one op no converter knows. */
function unsupportedGraph(): Map<string, Uint8Array> {
  const json = {
    format: 'graph-model',
    modelTopology: { node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: '4' }] } } } },
      { name: 'y', op: 'FancyOp', input: ['x'], attr: {} },
    ] },
    weightsManifest: [{ paths: ['w.bin'], weights: [] }],
  };
  return new Map([['model.json', new TextEncoder().encode(JSON.stringify(json))], ['w.bin', new Uint8Array(0)]]);
}

test('a conversion runs on a worker thread; its outputs and progress reach the caller', async () => {
  const progress: number[] = [];
  const out = await threadedConverter('llama2c-to-transformers')(inputFor('llama2c-to-transformers', storiesFiles(), {
    onProgress: (f) => progress.push(f),
  }));
  assert.deepEqual([...out.keys()].sort(), ['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  const config = JSON.parse(new TextDecoder().decode(out.get('config.json'))) as Record<string, unknown>;
  assert.equal(config['model_type'], 'llama');
  assert.equal(config['vocab_size'], 512);
  assert.ok((out.get('onnx/model.onnx')?.byteLength ?? 0) > 1_000_000);
  assert.ok(progress.length >= 3, `progress events: ${progress.join(', ')}`);
  assert.equal(progress[0], 0);
  assert.equal(progress.at(-1), 1);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!);
});

test('converter errors keep their class name, code and details across the thread boundary', async () => {
  const truncated = storiesFiles();
  truncated.set('stories260K.bin', stories('stories260K.bin').subarray(0, 20));
  await assert.rejects(threadedConverter('llama2c-to-transformers')(inputFor('llama2c-to-transformers', truncated)),
    { name: 'Llama2cError', code: 'LLAMA2C_INVALID_FORMAT' });
  await assert.rejects(threadedConverter('llama2c-to-transformers')(inputFor('llama2c-to-transformers', new Map([['tok512.bin', stories('tok512.bin')]]))),
    { name: 'Llama2cError', code: 'LLAMA2C_MISSING_FILE', details: { field: 'checkpoint' } });
  await assert.rejects(threadedConverter('tfjs-graph-to-onnx')(inputFor('tfjs-graph-to-onnx', unsupportedGraph())),
    { name: 'TfjsConvertError', code: 'TFJS_UNSUPPORTED_OP', message: /"FancyOp" at node "y"/, details: { op: 'FancyOp', node: 'y', ops: ['FancyOp'] } });
  await assert.rejects(threadedConverter('tfjs-graph-to-onnx')(inputFor('tfjs-graph-to-onnx', new Map([['README.md', new Uint8Array(1)]]))),
    { name: 'TfjsConvertError', code: 'TFJS_INVALID_MODEL', message: /has no TFJS graph/ });
});

test('a failed file read fails the conversion with the error the store threw', async () => {
  const files = storiesFiles();
  const denied = new StoreError('STORE_PERMISSION_DENIED', 'tok512.model is a symlink', { path: 'tok512.model' });
  const input = inputFor('llama2c-to-transformers', files);
  const failing: ConverterInput = { ...input, readFile: async (p) => (p === 'tok512.model' ? Promise.reject(denied) : input.readFile(p)) };
  await assert.rejects(threadedConverter('llama2c-to-transformers')(failing), (err: unknown) => err === denied);
});

test('aborting the signal terminates the worker mid-conversion with STORE_CANCELLED', async () => {
  const abort = new AbortController();
  const input = inputFor('llama2c-to-transformers', storiesFiles(), {
    signal: abort.signal,
    onProgress: () => abort.abort(new Error('pull cancelled')),
  });
  const job = { kind: 'llama2c-to-transformers', id: 'test/model', files: input.files, params: {} } as const;
  const thread = new ConversionThread(job, input);
  await assert.rejects(thread.result, { code: 'STORE_CANCELLED', message: /conversion of test\/model was cancelled/ });
  assert.equal(thread.state, 'cancelled');
  assert.equal(typeof await thread.exited, 'number');

  const early = new ConversionThread(job, { ...input, signal: AbortSignal.abort() });
  await assert.rejects(early.result, { code: 'STORE_CANCELLED' });
  assert.equal(early.state, 'cancelled');
  await early.exited;
});
