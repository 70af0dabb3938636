// The shared-memory table over real files in a temp folder: a key names one regular file of the
// folder; `..`, nested paths, symlinks (to files or folders outside) and non-files are refused naming
// key; a symlinked folder is resolved once, and the path handed to the child never goes through a
// symlink of the file itself, even when one is swapped in after registration.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { tempDir } from '../store/test-support/env.js';
import { SharedMemoryTable } from './shared-memory-service.js';

function refused(fn: () => unknown, code: string, field: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TabagentError, String(err));
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.startsWith(`${field}:`), `"${err.message}" names ${field}`);
    return true;
  });
}

describe('SharedMemoryTable', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let shm = '';
  let outside = '';
  before(async () => {
    tmp = await tempDir('shm-table');
    shm = join(tmp.dir, 'shm');
    outside = join(tmp.dir, 'outside');
    mkdirSync(shm);
    mkdirSync(join(outside, 'sub'), { recursive: true });
    writeFileSync(join(shm, 'camera0'), Buffer.alloc(4096));
    writeFileSync(join(outside, 'secret'), Buffer.alloc(4096, 7));
    writeFileSync(join(outside, 'sub', 'camera0'), Buffer.alloc(4096, 8));
    symlinkSync(join(outside, 'secret'), join(shm, 'to-secret'));
    symlinkSync(join(outside, 'sub'), join(shm, 'to-sub'));
    mkdirSync(join(shm, 'folder'));
  });
  after(async () => tmp?.cleanup());

  it('registers a regular file of the folder, with its path inside the folder', () => {
    const t = new SharedMemoryTable(shm);
    assert.deepEqual(t.register({ name: 'cam', key: '/camera0', byteSize: 1024 }), { name: 'cam', key: '/camera0', byteSize: 1024 });
    assert.deepEqual(t.resolved('cam'), [{ name: 'cam', path: join(realpathSync(shm), 'camera0'), byteSize: 1024 }]);
  });

  it('refuses keys outside the folder: .., nested, absolute-looking, symlinks to files or folders, folders', () => {
    const t = new SharedMemoryTable(shm);
    for (const key of ['..', '../outside/secret', '/../outside/secret', 'to-sub/camera0', '//camera0', `${outside}/secret`, '.camera0', 'camera0/', '%2e%2e%2fsecret', 'camera0\0']) {
      refused(() => t.register({ name: 'x', key, byteSize: 1 }), 'TA_ERR_INVALID_ARGUMENT', 'key');
    }
    for (const key of ['to-secret', '/to-secret', 'to-sub', 'folder']) {
      refused(() => t.register({ name: 'x', key, byteSize: 1 }), 'TA_ERR_INVALID_ARGUMENT', 'key');
    }
    refused(() => t.register({ name: 'x', key: '/missing', byteSize: 1 }), 'TA_ERR_REGION_NOT_FOUND', 'key');
    assert.deepEqual(t.list(), []);
  });

  it('resolves a symlinked shared-memory folder once and keeps the file itself unresolved', () => {
    const linked = join(tmp.dir, 'shm-link');
    symlinkSync(shm, linked);
    const t = new SharedMemoryTable(linked);
    t.register({ name: 'cam', key: 'camera0', byteSize: 4096 });
    const [entry] = t.resolved();
    assert.equal(entry?.path, join(realpathSync(shm), 'camera0'));
    // a symlink swapped in after registration: the stored path still names the file, not its target
    renameSync(join(shm, 'camera0'), join(shm, 'camera0.old'));
    symlinkSync(join(outside, 'secret'), join(shm, 'camera0'));
    assert.equal(t.resolved()[0]?.path, join(realpathSync(shm), 'camera0'));
    refused(() => t.register({ name: 'again', key: 'camera0', byteSize: 1 }), 'TA_ERR_INVALID_ARGUMENT', 'key');
  });

  it('answers NOT_FOUND naming key when the folder itself is missing', () => {
    const t = new SharedMemoryTable(join(tmp.dir, 'no-such-folder'));
    refused(() => t.register({ name: 'cam', key: 'camera0', byteSize: 1 }), 'TA_ERR_REGION_NOT_FOUND', 'key');
  });
});
