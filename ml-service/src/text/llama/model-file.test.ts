// Unit tests of the private model file: 0600 in a 0700 folder, removed once (idempotent), and
// folders of dead children swept while this process's and live ones' are kept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PrivateModelFile, sweepStaleFiles } from './model-file.js';

test('a private model file is 0600 in a 0700 folder and remove() deletes both, once', () => {
  const base = mkdtempSync(join(tmpdir(), 'model-file-test-'));
  try {
    const f = new PrivateModelFile(Uint8Array.from([1, 2, 3]), 'model.gguf', base);
    assert.deepEqual([...readFileSync(f.path)], [1, 2, 3]);
    assert.equal(statSync(f.path).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(f.path)).mode & 0o777, 0o700);
    assert.equal(f.remove(), true);
    assert.equal(existsSync(dirname(f.path)), false);
    assert.equal(f.remove(), true);
    assert.equal(f.removed, true);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('sweeping removes the folders of dead processes only', () => {
  const base = mkdtempSync(join(tmpdir(), 'model-file-test-'));
  try {
    const dead = join(base, 'tabagent-gguf-999999999-abc');
    const mine = join(base, `tabagent-gguf-${process.pid}-abc`);
    const parent = join(base, `tabagent-gguf-${process.ppid}-abc`);
    const other = join(base, 'unrelated-folder');
    for (const d of [dead, mine, parent, other]) mkdirSync(d);
    assert.equal(sweepStaleFiles(base), 1);
    assert.equal(existsSync(dead), false);
    for (const d of [mine, parent, other]) assert.equal(existsSync(d), true, d);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
