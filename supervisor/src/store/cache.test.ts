// Tests of the disk cache: path safety, atomic writes, verification by sha256, removal.

import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelCache, defaultCacheRoot } from './cache.js';
import { validateEntry } from './catalog.js';
import { writeFileAtomic } from './fs-atomic.js';
import { hashBytes } from './core/hash.js';
import { writeManifest } from './manifest.js';
import { idFolderName, resolveInside } from './safe-path.js';
import { tempDir } from './test-support/env.js';

const denied = { code: 'STORE_PERMISSION_DENIED' };

test('default cache root is under the user cache folder', () => {
  assert.equal(defaultCacheRoot({ HOME: '/home/u', XDG_CACHE_HOME: '/x/cache' }), join('/x/cache', 'tabagent', 'models'));
  assert.match(defaultCacheRoot({}), /[/\\]\.cache[/\\]tabagent[/\\]models$/);
});

test('paths that escape the cache are refused', async () => {
  const { dir, cleanup } = await tempDir('paths');
  try {
    const root = join(dir, 'cache');
    const outside = join(dir, 'outside');
    await mkdir(join(root, 'm'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'x');
    assert.equal(await resolveInside(root, 'm/a.bin'), join(root, 'm', 'a.bin'));
    await assert.rejects(resolveInside(root, '../outside/secret'), denied);
    await assert.rejects(resolveInside(root, 'm/../../outside/secret'), denied);
    await assert.rejects(resolveInside(root, join(outside, 'secret')), denied);
    await assert.rejects(resolveInside(root, 'm\\..\\..\\x'), denied);
    await symlink(outside, join(root, 'm', 'link'));
    await assert.rejects(resolveInside(root, 'm/link/secret'), denied);
    await assert.rejects(resolveInside(root, 'm/link/not-yet-there'), denied);
    await symlink(join(outside, 'secret'), join(root, 'm', 'file-link'));
    await assert.rejects(resolveInside(root, 'm/file-link'), denied);
    assert.equal(idFolderName('mediapipe/face-mesh'), 'mediapipe--face-mesh');
    assert.throws(() => idFolderName('../x'), denied);
  } finally {
    await cleanup();
  }
});

test('atomic writes leave the whole file and no temp files', async () => {
  const { dir, cleanup } = await tempDir('atomic');
  try {
    const dest = join(dir, 'sub', 'file.json');
    await writeFileAtomic(dest, 'first');
    await writeFileAtomic(dest, 'second version');
    assert.equal(await readFile(dest, 'utf8'), 'second version');
    assert.deepEqual(await readdir(join(dir, 'sub')), ['file.json']);
  } finally {
    await cleanup();
  }
});

test('verify finds missing and corrupt files; remove deletes every revision', async () => {
  const { dir, cleanup } = await tempDir('verify');
  try {
    const a = Buffer.from('hello model a');
    const b = Buffer.from('bytes of model b');
    const entry = validateEntry({
      id: 'acme/m', source: 'file:/nowhere', task: 'embeddings', runtime: 'onnxruntime',
      files: [{ path: 'a.bin', size: a.length, sha256: hashBytes(a) }, { path: 'sub/b.bin', sha256: hashBytes(b) }],
    });
    const cache = new ModelCache({ root: join(dir, 'cache') });
    const modelDir = await cache.modelDir(entry);
    assert.equal(modelDir, join(dir, 'cache', 'acme--m', cache.revisionFor(entry)));
    assert.match(cache.revisionFor(entry), /^h-[0-9a-f]{16}$/);
    let result = await cache.verify(entry);
    assert.equal(result.ok, false);
    assert.deepEqual(result.files.map((f) => f.state), ['missing', 'missing']);
    await mkdir(join(modelDir, 'sub'), { recursive: true });
    await writeFile(join(modelDir, 'a.bin'), a);
    await writeFile(join(modelDir, 'sub', 'b.bin'), b);
    await writeManifest({
      schemaVersion: 1, id: entry.id, source: entry.source, revision: cache.revisionFor(entry), task: entry.task,
      runtime: entry.runtime, params: {}, files: [], converted: [], origin: {}, pulledAt: new Date().toISOString(), dir: modelDir,
    });
    result = await cache.verify(entry);
    assert.equal(result.ok, true);
    const flipped = Buffer.from(b);
    flipped[0] = (flipped[0] ?? 0) ^ 0xff;
    await writeFile(join(modelDir, 'sub', 'b.bin'), flipped);
    result = await cache.verify(entry);
    assert.equal(result.ok, false);
    assert.equal(result.files[1]?.state, 'corrupt');
    assert.equal((await cache.verify(entry, { full: false })).files[1]?.state, 'ok', 'size-only check cannot see a flipped byte');
    assert.equal(await cache.remove('acme/m'), true);
    assert.equal(await cache.remove('acme/m'), false);
    assert.deepEqual(await readdir(join(dir, 'cache')), []);
  } finally {
    await cleanup();
  }
});
