// Unit tests of the cross-process pull lock on a real folder: holders run one at a time, a lock
// left by a process that is gone (or by a pid reused by another process) is taken over, a waiter
// can be aborted, and the lock file is gone afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ownerAlive, ownerToken, PULL_LOCK_FILE, withPullLock } from './pull-lock.js';
import { tempDir } from './test-support/env.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('pull lock', () => {
  it('runs holders one at a time and removes the lock file after', async () => {
    const work = await tempDir('pull-lock');
    try {
      const order: string[] = [];
      const holder = (name: string) => withPullLock(work.dir, {}, async () => {
        order.push(`${name} in`);
        assert.equal((await readFile(join(work.dir, PULL_LOCK_FILE), 'utf8')).trim(), ownerToken().trim());
        await sleep(150);
        order.push(`${name} out`);
        return name;
      });
      assert.deepEqual(await Promise.all([holder('a'), holder('b')]), ['a', 'b']);
      assert.ok(order.join(',') === 'a in,a out,b in,b out' || order.join(',') === 'b in,b out,a in,a out', order.join(','));
      assert.equal(existsSync(join(work.dir, PULL_LOCK_FILE)), false);
    } finally {
      await work.cleanup();
    }
  });

  it('takes over a lock whose owner is gone, or whose pid now belongs to another process', async () => {
    const work = await tempDir('pull-lock');
    try {
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const deadPid = Number(gone.stdout);
      assert.equal(ownerAlive(`${deadPid} 1`), false);
      assert.equal(ownerAlive(ownerToken()), true);
      const reused = `${process.pid} 1`; // our pid, another start time: a crashed owner's pid reused
      assert.equal(ownerAlive(reused), false);
      for (const stale of [`${deadPid} 1\n`, `${reused}\n`]) {
        await writeFile(join(work.dir, PULL_LOCK_FILE), stale);
        assert.equal(await withPullLock(work.dir, {}, () => Promise.resolve('ran')), 'ran');
        assert.equal(existsSync(join(work.dir, PULL_LOCK_FILE)), false);
      }
    } finally {
      await work.cleanup();
    }
  });

  it('a waiter behind a live owner can be aborted; the owner keeps its lock', async () => {
    const work = await tempDir('pull-lock');
    try {
      await writeFile(join(work.dir, PULL_LOCK_FILE), `${ownerToken(process.ppid)}\n`);
      const quit = new AbortController();
      const waiting = withPullLock(work.dir, { signal: quit.signal }, () => Promise.resolve('ran'));
      await sleep(250);
      quit.abort(new Error('pull cancelled'));
      await assert.rejects(waiting, /pull cancelled/);
      assert.equal(existsSync(join(work.dir, PULL_LOCK_FILE)), true);
    } finally {
      await work.cleanup();
    }
  });
});
