// Unit tests of the converter's parsers and layout helpers (header, weights, rope permutation, tokenizer, merges).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeader } from './header.js';
import { expectedFloatCount, permuteRopeRows, readWeights, transpose } from './weights.js';
import { inverseFrequencies } from './graph-rope.js';
import { parseTokenizerBin } from './tokenizer-bin.js';
import { parseSentencePieceModel } from './sentencepiece-model.js';
import { deriveMerges } from './bpe-merges.js';
import { chooseLlama2cFiles, llama2cFileConverter } from './file-converter.js';
import { convertLlama2c } from './convert.js';
import { storiesFile } from './test-support.js';

test('header of stories260K', () => {
  const c = parseHeader(storiesFile('stories260K.bin'));
  assert.deepEqual(
    { ...c },
    { dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKvHeads: 4, vocabSize: 512, seqLen: 512, sharedClassifier: true, headDim: 8 },
  );
  assert.equal(28 + 4 * expectedFloatCount(c), 1056540);
});

test('malformed checkpoints are rejected with LLAMA2C_INVALID_FORMAT naming the field', () => {
  const ck = storiesFile('stories260K.bin');
  assert.throws(() => parseHeader(ck.subarray(0, 20)), { code: 'LLAMA2C_INVALID_FORMAT' });
  const bad = ck.slice(0, 28);
  new DataView(bad.buffer).setInt32(12, 7, true); // n_heads = 7 does not divide dim 64
  assert.throws(() => parseHeader(bad), (e: unknown) => (e as { code: string; details: { field: string } }).details.field === 'n_heads');
  assert.throws(() => readWeights(ck.subarray(0, ck.length - 4), parseHeader(ck)), { code: 'LLAMA2C_INVALID_FORMAT' });
  assert.throws(
    () => convertLlama2c({ checkpoint: ck, tokenizerBin: storiesFile('tok512.bin').subarray(0, 100) }),
    { code: 'LLAMA2C_INVALID_FORMAT' },
  );
});

test('rope rows move from adjacent pairs to halves, per head', () => {
  // 2 heads of size 4, one input column: row value = its original index.
  const w = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...permuteRopeRows(w, 2, 4, 1)], [0, 2, 1, 3, 4, 6, 5, 7]);
  const w2 = Float32Array.from([0, 10, 1, 11, 2, 12, 3, 13]); // 4 rows x 2 columns
  assert.deepEqual([...permuteRopeRows(w2, 1, 4, 2)], [0, 10, 2, 12, 1, 11, 3, 13]);
  assert.deepEqual([...transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)], [1, 4, 2, 5, 3, 6]);
});

test('inverse rope frequencies follow 1 / 10000^(2i/d)', () => {
  const f = inverseFrequencies(8, 10000);
  assert.equal(f.length, 4);
  assert.equal(f[0], 1);
  assert.ok(Math.abs(f[1]! - 0.1) < 1e-7);
  assert.ok(Math.abs(f[3]! - 0.001) < 1e-9);
});

test('tokenizer.bin and tokenizer.model describe the same vocabulary', () => {
  const bin = parseTokenizerBin(storiesFile('tok512.bin'), 512);
  const sp = parseSentencePieceModel(storiesFile('tok512.model'));
  assert.equal(sp.modelType, 2);
  assert.equal(sp.addDummyPrefix, true);
  assert.deepEqual(bin.slice(0, 4).map((e) => [e.piece, e.type]), [['<unk>', 'unknown'], ['<s>', 'control'], ['</s>', 'control'], ['<0x00>', 'byte']]);
  assert.deepEqual(bin[259], { piece: '\u2581t', score: -0, type: 'normal' }); // stored as -0.0
  assert.equal(bin.filter((e) => e.type === 'byte').length, 256);
  assert.deepEqual(sp.pieces, bin);
});

test('merges are ranked by the score of the merged piece', () => {
  const vocab = [
    { piece: 'a', score: -10, type: 'normal' as const },
    { piece: 'b', score: -11, type: 'normal' as const },
    { piece: 'c', score: -12, type: 'normal' as const },
    { piece: 'bc', score: -1, type: 'normal' as const },
    { piece: 'ab', score: -2, type: 'normal' as const },
    { piece: 'abc', score: -3, type: 'normal' as const },
    { piece: '<0x61>', score: 0, type: 'byte' as const },
  ];
  assert.deepEqual(deriveMerges(vocab), [['b', 'c'], ['a', 'b'], ['a', 'bc'], ['ab', 'c']]);
});

test('the file converter picks checkpoint, tokenizer and model files', () => {
  assert.deepEqual(chooseLlama2cFiles(['stories260K.bin', 'tok512.bin', 'tok512.model', 'README.md']), {
    checkpoint: 'stories260K.bin', tokenizerBin: 'tok512.bin', tokenizerModel: 'tok512.model',
  });
  assert.deepEqual(chooseLlama2cFiles(['m/a.bin', 'm/b.bin'], { checkpoint: 'b.bin', tokenizer: 'a.bin' }), {
    checkpoint: 'm/b.bin', tokenizerBin: 'm/a.bin',
  });
  assert.throws(() => chooseLlama2cFiles(['tok512.bin']), { code: 'LLAMA2C_MISSING_FILE' });
});

test('conversion reports progress from 0 to 1, monotonically', () => {
  const seen: number[] = [];
  const files = convertLlama2c({ checkpoint: storiesFile('stories260K.bin'), tokenizerBin: storiesFile('tok512.bin'), onProgress: (f) => seen.push(f) });
  assert.equal(seen[0], 0);
  assert.equal(seen.at(-1), 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!);
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, unknown>;
  assert.equal(config.model_type, 'llama');
  assert.equal(config.num_key_value_heads, 4);
  assert.equal(config.max_position_embeddings, 512);
  assert.equal(config.tie_word_embeddings, true);
  assert.equal(config.rope_theta, 10000);
  assert.equal(config.rms_norm_eps, 1e-5);
});

test('the file converter reads the model files it needs and reports progress up to 1', async () => {
  const pulled = new Map([
    ['stories260K.bin', storiesFile('stories260K.bin')],
    ['tok512.bin', storiesFile('tok512.bin')],
    ['tok512.model', storiesFile('tok512.model')],
    ['README.md', new TextEncoder().encode('not read')],
  ]);
  const job = { kind: 'llama2c-to-transformers' as const, id: 'karpathy/stories260K', files: [...pulled.keys()], params: {} };
  const progress: number[] = [];
  const read: string[] = [];
  const io = {
    readFile: async (p: string) => {
      read.push(p);
      return pulled.get(p)!;
    },
    onProgress: (f: number) => progress.push(f),
  };
  const out = await llama2cFileConverter.convert(job, io);
  assert.deepEqual([...out.keys()].sort(), ['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  assert.deepEqual(read.sort(), ['stories260K.bin', 'tok512.bin', 'tok512.model']);
  assert.equal(progress.at(-1), 1);
  await assert.rejects(llama2cFileConverter.convert({ ...job, files: ['tok512.bin'] }, io), { code: 'LLAMA2C_MISSING_FILE' });
});
