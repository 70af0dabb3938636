// ModelStore over hf: and https: sources against a real local HTTP server: resume with Range
// after a cut, one fetch for concurrent pulls, corrupt cache repair, checksum mismatch handling.

import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Catalog } from './catalog.js';
import { ModelStore } from './store.js';
import { tempDir } from './test-support/env.js';
import { fixtureEntry, writeFixtureModel } from './test-support/fixtures.js';
import type { FixtureFile } from './test-support/fixtures.js';
import { startModelServer } from './test-support/model-server.js';
import type { ModelServer } from './test-support/model-server.js';
import type { PullProgress } from './core/types.js';

let server: ModelServer;
let files: FixtureFile[];
let work: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  work = await tempDir('store-http');
  files = await writeFixtureModel(join(work.dir, 'served'));
  server = await startModelServer(join(work.dir, 'served'));
});
after(async () => {
  await server.close();
  await work.cleanup();
});

function storeFor(name: string, entries: unknown[], httpAttempts = 3): ModelStore {
  return new ModelStore({
    catalog: new Catalog(entries), cacheRoot: join(work.dir, name), hfEndpoint: server.endpoint, httpAttempts,
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('an interrupted hub download resumes with a Range request and verifies', async () => {
  const store = storeFor('resume', [fixtureEntry('acme/tiny', 'hf:acme/tiny@v1', files)]);
  const start = server.requests.length;
  server.cutNext('onnx/model.bin', 120_000);
  const events: PullProgress[] = [];
  const manifest = await store.pull('acme/tiny', { onProgress: (e) => events.push(e) });
  const log = server.requests.slice(start).filter((r) => r.path === 'onnx/model.bin');
  assert.deepEqual(log.map((r) => [r.range, r.status]), [[undefined, 200], ['bytes=120000-', 206]]);
  assert.equal(manifest.files[1]?.sha256, files[1]?.sha256);
  assert.deepEqual(await readFile(join(manifest.dir, 'onnx/model.bin')), files[1]?.data);
  const stages = events.map((e) => e.stage).filter((s, i, all) => s !== all[i - 1]);
  assert.deepEqual(stages, ['resolving', 'downloading', 'verifying', 'downloading', 'verifying', 'done']);
  const total = 300_000 + (files[0]?.data.length ?? 0);
  const lastDownload = events.filter((e) => e.stage === 'downloading').at(-1);
  assert.deepEqual([lastDownload?.file, lastDownload?.bytesDone, lastDownload?.bytesTotal], ['onnx/model.bin', total, total]);
  assert.ok(events.every((e) => e.id === 'acme/tiny' && e.bytesDone <= e.bytesTotal));
});

test('a pull that fails mid-download keeps the partial file and the next pull resumes it', async () => {
  const store = storeFor('resume-later', [fixtureEntry('acme/tiny', 'hf:acme/tiny@v1', files)], 1);
  const start = server.requests.length;
  server.cutNext('onnx/model.bin', 50_000);
  await assert.rejects(store.pull('acme/tiny'), { code: 'STORE_UNAVAILABLE' });
  const partials = (await listFiles(join(work.dir, 'resume-later'))).filter((p) => p.endsWith('.partial'));
  assert.equal(partials.length, 1);
  const manifest = await store.pull('acme/tiny');
  const log = server.requests.slice(start).filter((r) => r.path === 'onnx/model.bin');
  assert.deepEqual(log.map((r) => r.range), [undefined, 'bytes=50000-']);
  assert.equal(manifest.files[1]?.sha256, files[1]?.sha256);
  assert.deepEqual((await listFiles(join(work.dir, 'resume-later'))).filter((p) => p.endsWith('.partial')), []);
});

test('concurrent pulls of one model fetch each file once; an aborted waiter does not stop it', async () => {
  const store = storeFor('concurrent', [fixtureEntry('acme/tiny', 'hf:acme/tiny@v1', files)]);
  const start = server.requests.length;
  const quitter = new AbortController();
  const pulls = [store.pull('acme/tiny'), store.pull('acme/tiny')];
  const cancelled = assert.rejects(store.pull('acme/tiny', { signal: quitter.signal }), { code: 'STORE_CANCELLED' });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(store.isPulling('acme/tiny'), true);
  quitter.abort();
  await cancelled;
  const [a, b] = await Promise.all(pulls);
  assert.deepEqual(a, b);
  const fetched = server.requests.slice(start).map((r) => r.path).sort();
  assert.deepEqual(fetched, ['config.json', 'onnx/model.bin']);
  const again = await store.pull('acme/tiny');
  assert.equal(server.requests.length - start, 2, 'a cached, intact model is not fetched again');
  assert.equal(again.pulledAt, a?.pulledAt);
});

test('a corrupt cached file is detected by sha256 and fetched again', async () => {
  const store = storeFor('corrupt', [fixtureEntry('acme/tiny', 'https://x.invalid/unused', files, { source: `${server.endpoint}/` })]);
  const first = await store.pull('acme/tiny');
  const path = join(first.dir, 'onnx/model.bin');
  const damaged = Buffer.from(files[1]?.data ?? []);
  damaged[1000] = (damaged[1000] ?? 0) ^ 0x55;
  await writeFile(path, damaged);
  assert.equal((await store.verify('acme/tiny')).ok, false);
  const start = server.requests.length;
  const repaired = await store.pull('acme/tiny');
  assert.deepEqual(server.requests.slice(start).map((r) => r.path), ['onnx/model.bin']);
  assert.deepEqual(await readFile(path), files[1]?.data);
  assert.equal(repaired.files[1]?.sha256, files[1]?.sha256);
  assert.equal((await store.verify('acme/tiny')).ok, true);
});

test('a checksum mismatch from the source is STORE_DATA_LOSS and leaves nothing in the cache', async () => {
  const wrong = files.map((f, i) => (i === 1 ? { ...f, sha256: 'f'.repeat(64) } : f));
  const store = storeFor('mismatch', [fixtureEntry('acme/tiny', 'hf:acme/tiny@v1', wrong)]);
  await assert.rejects(store.pull('acme/tiny'), (err: Error & { code?: string; details?: Record<string, unknown> }) => {
    assert.equal(err.code, 'STORE_DATA_LOSS');
    assert.equal(err.details?.['path'], 'onnx/model.bin');
    assert.equal(err.details?.['sha256'], files[1]?.sha256);
    return true;
  });
  assert.deepEqual(await listFiles(join(work.dir, 'mismatch')), []);
  await assert.rejects(store.open('acme/tiny', 'onnx/model.bin'), { code: 'STORE_NOT_FOUND' });
});

test('without catalog checksums the hub ETag is checked, and unknown files are STORE_NOT_FOUND', async () => {
  const bare = { id: 'acme/bare', source: 'hf:acme/bare', task: 'embeddings', runtime: 'onnxruntime', files: [{ path: 'config.json' }] };
  const missing = { ...bare, id: 'acme/missing', files: [{ path: 'nope.bin' }] };
  const store = storeFor('bare', [bare, missing]);
  const manifest = await store.pull('acme/bare');
  assert.equal(manifest.files[0]?.sha256, files[0]?.sha256);
  assert.equal(manifest.files[0]?.size, files[0]?.data.length);
  await assert.rejects(store.pull('acme/missing'), (err: Error & { code?: string }) =>
    err.code === 'STORE_NOT_FOUND' && err.message.includes('nope.bin'));
});
