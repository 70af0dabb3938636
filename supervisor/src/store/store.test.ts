// ModelStore with file: sources on the real filesystem: conversion hooks, opening files for
// serving, path safety, removal, and the stories260K default from the shared test data.

import assert from 'node:assert/strict';
import { readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { Catalog } from './catalog.js';
import { defaultCatalog } from './catalog-defaults.js';
import { hashBytes } from './core/hash.js';
import { ModelStore } from './store.js';
import { sharedDir, tempDir } from './test-support/env.js';
import { fixtureEntry, writeFixtureModel } from './test-support/fixtures.js';
import type { ConverterInput, PullProgress } from './core/types.js';

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function withStore<T>(fn: (store: ModelStore, root: string, sourceDir: string) => Promise<T>, extra: Record<string, unknown> = {}): Promise<T> {
  const { dir, cleanup } = await tempDir('store');
  try {
    const files = await writeFixtureModel(join(dir, 'src'), 4096);
    const catalog = new Catalog([
      fixtureEntry('acme/plain', `file:${join(dir, 'src')}`, files),
      fixtureEntry('acme/conv', 'file:src', files, { convert: 'tfjs-graph-to-onnx', ...extra }),
    ]);
    const store = new ModelStore({ catalog, cacheRoot: join(dir, 'cache'), localModelsDir: dir, progressIntervalMs: 0 });
    return await fn(store, join(dir, 'cache'), join(dir, 'src'));
  } finally {
    await cleanup();
  }
}

test('the conversion hook runs once, its outputs are stored, recorded and servable', async () => {
  await withStore(async (store) => {
    await assert.rejects(store.pull('acme/conv'), { code: 'STORE_FAILED_PRECONDITION' });
    let calls = 0;
    const converter = async (input: ConverterInput): Promise<Map<string, Uint8Array>> => {
      calls++;
      input.onProgress(0.5);
      const config = JSON.parse(Buffer.from(await input.readFile('config.json')).toString('utf8')) as { hidden: number };
      const weights = await input.readFile('onnx/model.bin');
      return new Map([['converted/model.onnx', Uint8Array.from([config.hidden, ...weights.subarray(0, 3)])]]);
    };
    store.registerConverter('tfjs-graph-to-onnx', converter);
    const events: PullProgress[] = [];
    const manifest = await store.pull('acme/conv', { onProgress: (e) => events.push(e) });
    assert.equal(calls, 1);
    const weights = Buffer.from(await readFile(join(manifest.dir, 'onnx/model.bin')));
    const expected = Uint8Array.from([8, ...weights.subarray(0, 3)]);
    assert.deepEqual(manifest.converted, [{ path: 'converted/model.onnx', size: 4, sha256: hashBytes(expected), converter: 'tfjs-graph-to-onnx' }]);
    assert.deepEqual(events.filter((e) => e.stage === 'converting').map((e) => Math.round((e.bytesDone / e.bytesTotal) * 1000) / 1000), [0, 0.5, 1]);
    const opened = await store.open('acme/conv', 'converted/model.onnx');
    assert.equal(opened.size, 4);
    assert.deepEqual(new Uint8Array(await drain(opened.stream)), expected);
    await store.pull('acme/conv');
    assert.equal(calls, 1, 'valid converted outputs are reused');
    store.registerConverter('tfjs-graph-to-onnx', converter, { version: '2' });
    assert.equal((await store.pull('acme/conv')).converterVersion, '2');
    assert.equal(calls, 2, 'a new converter version converts again');
  });
});

test('a converter writing outside the model folder is refused', async () => {
  await withStore(async (store) => {
    store.registerConverter('tfjs-graph-to-onnx', async () => new Map([['../../escape.onnx', new Uint8Array(1)]]));
    await assert.rejects(store.pull('acme/conv'), { code: 'STORE_PERMISSION_DENIED' });
    store.registerConverter('tfjs-graph-to-onnx', async () => new Map([['config.json', new Uint8Array(1)]]));
    await assert.rejects(store.pull('acme/conv'), { code: 'STORE_PERMISSION_DENIED' });
  });
});

test('open serves whole files and byte ranges and refuses unsafe paths', async () => {
  await withStore(async (store, root, sourceDir) => {
    await assert.rejects(store.open('acme/plain', 'config.json'), { code: 'STORE_NOT_FOUND' });
    const manifest = await store.pull('acme/plain');
    const original = await readFile(join(sourceDir, 'onnx/model.bin'));
    const whole = await store.open('acme/plain', 'onnx/model.bin');
    assert.equal(whole.size, 4096);
    assert.equal(whole.sha256, hashBytes(original));
    assert.deepEqual(await drain(whole.stream), original);
    const part = await store.open('acme/plain', 'onnx/model.bin', { start: 100, end: 199 });
    assert.deepEqual(await drain(part.stream), original.subarray(100, 200));
    const tail = await store.open('acme/plain', 'onnx/model.bin', { start: 4000, end: 99_999 });
    assert.deepEqual(await drain(tail.stream), original.subarray(4000));
    const empty = await store.open('acme/plain', 'onnx/model.bin', { start: 5000 });
    assert.equal((await drain(empty.stream)).length, 0);
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'onnx/../../x', '.manifest.json']) {
      await assert.rejects(store.open('acme/plain', bad), { code: 'STORE_PERMISSION_DENIED' }, bad);
    }
    await assert.rejects(store.open('acme/plain', 'other.bin'), { code: 'STORE_NOT_FOUND' });
    await assert.rejects(store.open('acme/nope', 'config.json'), (err: Error & { code?: string }) =>
      err.code === 'STORE_NOT_FOUND' && err.message.includes('acme/nope'));
    await rm(join(manifest.dir, 'config.json'));
    await symlink(join(sourceDir, 'config.json'), join(manifest.dir, 'config.json'));
    await assert.rejects(store.open('acme/plain', 'config.json'), { code: 'STORE_PERMISSION_DENIED' });
    await writeFile(join(manifest.dir, 'onnx/model.bin'), original.subarray(0, 10));
    await assert.rejects(store.open('acme/plain', 'onnx/model.bin'), { code: 'STORE_DATA_LOSS' });
    await assert.rejects(readFile(join(manifest.dir, 'onnx/model.bin')), { code: 'ENOENT' }, 'the truncated file was removed');
    const repaired = await store.pull('acme/plain');
    assert.deepEqual(await readFile(join(repaired.dir, 'onnx/model.bin')), original);
    assert.equal(await store.remove('acme/plain'), true);
    assert.equal(await store.manifest('acme/plain'), undefined);
    assert.deepEqual(await readdir(root), []);
    const aborted = AbortSignal.abort();
    await assert.rejects(store.pull('acme/plain', { signal: aborted }), { code: 'STORE_CANCELLED' });
    store.close();
    await assert.rejects(store.pull('acme/plain'), { code: 'STORE_CANCELLED' });
  });
});

test('stories260K pulls from the shared models folder with verified checksums', async () => {
  const { dir, cleanup } = await tempDir('stories');
  try {
    const store = new ModelStore({ catalog: defaultCatalog(), cacheRoot: dir, localModelsDir: join(sharedDir(), 'models') });
    await assert.rejects(store.pull('karpathy/stories260K'), { code: 'STORE_FAILED_PRECONDITION' });
    const manifest = await store.pull('karpathy/stories260K', { convert: false });
    assert.deepEqual(manifest.files.map((f) => [f.path, f.size]), [['stories260K.bin', 1056540], ['tok512.bin', 6227], ['tok512.model', 7522]]);
    assert.equal(manifest.files[0]?.sha256, 'b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696');
    assert.equal(manifest.runtime, 'transformers');
    const noFolder = new ModelStore({ catalog: defaultCatalog(), cacheRoot: join(dir, 'other') });
    await assert.rejects(noFolder.pull('karpathy/stories260K', { convert: false }), (err: Error & { code?: string }) =>
      err.code === 'STORE_FAILED_PRECONDITION' && err.message.includes('no local models folder'));
  } finally {
    await cleanup();
  }
});
