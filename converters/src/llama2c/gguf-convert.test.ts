// Unit tests of the GGUF writer and the llama2.c → GGUF converter, read back with @huggingface/gguf
// (an independent GGUF parser): metadata, tensor names, shapes, offsets, alignment and data bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf, GGMLQuantizationType, type GGUFParseOutput } from '@huggingface/gguf';
import { writeGguf } from '../gguf/writer.js';
import { convertLlama2cToGguf, LLAMA2C_GGUF_FILE } from './gguf-convert.js';
import { llama2cGgufFileConverter } from './file-converter.js';
import { parseHeader, HEADER_BYTES } from './header.js';
import { storiesFile } from './test-support.js';

type ReadBack = Omit<GGUFParseOutput, 'metadata'> & { metadata: Record<string, unknown> };

async function readBack(bytes: Uint8Array): Promise<ReadBack> {
  const dir = mkdtempSync(join(tmpdir(), 'gguf-test-'));
  try {
    const path = join(dir, 'model.gguf');
    writeFileSync(path, bytes);
    const r = await gguf(path, { allowLocalFile: true });
    return { ...r, metadata: r.metadata as unknown as Record<string, unknown> };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const floatsAt = (bytes: Uint8Array, offset: number, count: number): Float32Array => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i, true));
};

test('writer: typed scalars, arrays, alignment padding and tensor offsets', async () => {
  const a = Float32Array.from([1, 2, 3]); // 12 bytes: the next tensor must start at 64
  const b = Float32Array.from({ length: 6 }, (_, i) => -i - 0.5);
  const file = writeGguf(
    new Map([
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['x.name', { type: 'string', value: 'Grüße ▁' }],
      ['x.u32', { type: 'u32', value: 4_000_000_000 }],
      ['x.f32', { type: 'f32', value: 1e-5 }],
      ['x.flag', { type: 'bool', value: true }],
      ['x.ids', { type: 'array', of: 'i32', values: [-1, 2, 3] }],
      ['x.words', { type: 'array', of: 'string', values: ['<s>', '▁a'] }],
    ]),
    [{ name: 'a', shape: [3], data: a }, { name: 'b', shape: [3, 2], data: b }],
    { alignment: 64 },
  );
  const r = await readBack(file);
  assert.equal(r.metadata.version, 3);
  assert.equal(r.metadata['x.name'], 'Grüße ▁');
  assert.equal(r.metadata['x.u32'], 4_000_000_000);
  assert.ok(Math.abs((r.metadata['x.f32'] as number) - 1e-5) < 1e-12);
  assert.equal(r.metadata['x.flag'], true);
  assert.deepEqual(r.metadata['x.ids'], [-1, 2, 3]);
  assert.deepEqual(r.metadata['x.words'], ['<s>', '▁a']);
  assert.equal(r.metadata['general.alignment'], 64);
  assert.equal(Number(r.tensorDataOffset) % 64, 0);
  assert.deepEqual(r.tensorInfos.map((t) => [t.name, t.shape.map(Number), Number(t.offset), t.dtype]), [
    ['a', [3], 0, GGMLQuantizationType.F32],
    ['b', [3, 2], 64, GGMLQuantizationType.F32],
  ]);
  assert.equal(file.byteLength, Number(r.tensorDataOffset) + 64 + 64);
  assert.deepEqual(floatsAt(file, Number(r.tensorDataOffset) + 64, 6), b);
  assert.throws(() => writeGguf(new Map(), [{ name: 'c', shape: [2, 2], data: a }]), /shape holds 4 values, data 3/);
});

test('stories260K as GGUF: llama metadata, tokenizer, tensor shapes and data', async () => {
  const checkpoint = storiesFile('stories260K.bin');
  const files = convertLlama2cToGguf({ checkpoint, tokenizerBin: storiesFile('tok512.bin'), tokenizerModel: storiesFile('tok512.model'), name: 'stories' });
  assert.deepEqual([...files.keys()], [LLAMA2C_GGUF_FILE]);
  const bytes = files.get(LLAMA2C_GGUF_FILE)!;
  const r = await readBack(bytes);
  const m = r.metadata;
  assert.equal(m['general.architecture'], 'llama');
  assert.equal(m['general.name'], 'stories');
  assert.deepEqual(
    ['context_length', 'embedding_length', 'block_count', 'feed_forward_length', 'rope.dimension_count', 'attention.head_count', 'attention.head_count_kv']
      .map((k) => m[`llama.${k}`]),
    [512, 64, 5, 172, 8, 8, 4],
  );
  assert.ok(Math.abs((m['llama.attention.layer_norm_rms_epsilon'] as number) - 1e-5) < 1e-12);
  assert.equal(m['llama.rope.freq_base'], 10000);
  assert.equal(m['tokenizer.ggml.model'], 'llama');
  const tokens = m['tokenizer.ggml.tokens'] as string[];
  const types = m['tokenizer.ggml.token_type'] as number[];
  const scores = m['tokenizer.ggml.scores'] as number[];
  assert.equal(tokens.length, 512);
  assert.deepEqual(tokens.slice(0, 4), ['<unk>', '<s>', '</s>', '<0x00>']);
  assert.deepEqual(types.slice(0, 4), [2, 3, 3, 6]);
  assert.equal(types[258], 6);
  assert.equal(types[259], 1);
  assert.equal(tokens.filter((t) => t.includes(' ')).length, 0, 'spaces are written as U+2581');
  assert.equal(scores.length, 512);
  assert.equal(m['tokenizer.ggml.bos_token_id'], 1);
  assert.equal(m['tokenizer.ggml.eos_token_id'], 2);
  assert.equal(m['tokenizer.ggml.add_bos_token'], true);

  // 2 + 5 × 9 tensors, output.weight left out (the classifier is the token embedding).
  assert.equal(r.tensorInfos.length, 47);
  const shape = (name: string): number[] | undefined => r.tensorInfos.find((t) => t.name === name)?.shape.map(Number);
  assert.deepEqual(shape('token_embd.weight'), [64, 512]);
  assert.equal(shape('output.weight'), undefined);
  assert.deepEqual(shape('blk.4.attn_q.weight'), [64, 64]);
  assert.deepEqual(shape('blk.4.attn_k.weight'), [64, 32]);
  assert.deepEqual(shape('blk.0.attn_v.weight'), [64, 32]);
  assert.deepEqual(shape('blk.0.ffn_gate.weight'), [64, 172]);
  assert.deepEqual(shape('blk.0.ffn_down.weight'), [172, 64]);
  assert.equal(Number(r.tensorDataOffset) % 32, 0);
  for (const t of r.tensorInfos) assert.equal(Number(t.offset) % 32, 0, t.name);

  // Data bytes: the token embedding and layer 0's wq are the checkpoint's floats, unpermuted.
  const c = parseHeader(checkpoint);
  const base = Number(r.tensorDataOffset);
  const at = (name: string): number => base + Number(r.tensorInfos.find((t) => t.name === name)!.offset);
  assert.deepEqual(floatsAt(bytes, at('token_embd.weight'), 64), floatsAt(checkpoint, HEADER_BYTES, 64));
  const wqStart = HEADER_BYTES + 4 * (c.vocabSize * c.dim + c.nLayers * c.dim);
  assert.deepEqual(floatsAt(bytes, at('blk.0.attn_q.weight'), 64 * 64), floatsAt(checkpoint, wqStart, 64 * 64));
  const last = r.tensorInfos[r.tensorInfos.length - 1]!;
  assert.equal(bytes.byteLength, at(last.name) + 4 * last.shape.map(Number).reduce((x, y) => x * y, 1));
});

test('the llama2c-to-gguf file converter reads its inputs through the callback and reports progress', async () => {
  const progress: number[] = [];
  const names: Record<string, string> = { 'stories260K.bin': 'stories260K.bin', 'tok512.bin': 'tok512.bin', 'tok512.model': 'tok512.model' };
  const out = await llama2cGgufFileConverter.convert(
    { kind: 'llama2c-to-gguf', id: 'karpathy/stories260K-gguf', files: Object.keys(names), params: {} },
    { readFile: async (p) => storiesFile(names[p]!), onProgress: (f) => progress.push(f) },
  );
  assert.deepEqual([...out.keys()], ['model.gguf']);
  assert.equal(progress[0], 0);
  assert.equal(progress[progress.length - 1], 1);
  const r = await readBack(out.get('model.gguf')!);
  assert.equal(r.metadata['general.name'], 'karpathy/stories260K-gguf');
});
