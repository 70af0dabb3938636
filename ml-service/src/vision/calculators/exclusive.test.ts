// Unit tests for call serialisation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Exclusive } from './exclusive.js';

test('tasks run one at a time in call order, and a failure does not block the next', async () => {
  const ex = new Exclusive();
  const log: string[] = [];
  const task = (name: string, ms: number, fail = false) => () =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      setTimeout(() => {
        log.push(`end ${name}`);
        if (fail) reject(new Error(name));
        else resolve(name);
      }, ms);
    });
  const results = await Promise.allSettled([ex.run(task('a', 20)), ex.run(task('b', 1, true)), ex.run(task('c', 1))]);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(results[0].status, 'fulfilled');
  assert.equal(results[1].status, 'rejected');
  assert.deepEqual(results[2], { status: 'fulfilled', value: 'c' });
});
