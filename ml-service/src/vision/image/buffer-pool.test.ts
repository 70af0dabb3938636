// Unit tests for buffer reuse by key.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool } from './buffer-pool.js';

test('buffers are reused per key, grown on demand and viewed when smaller', () => {
  const pool = new BufferPool();
  const a = pool.float32('input', 12);
  assert.equal(pool.float32('input', 12), a);
  assert.equal(a.length, 12);
  const small = pool.float32('input', 4);
  assert.equal(small.buffer, a.buffer);
  assert.equal(small.length, 4);
  const big = pool.float32('input', 20);
  assert.notEqual(big.buffer, a.buffer);
  assert.notEqual(pool.uint8('other', 3).buffer, pool.uint8('rgb', 3).buffer);
  assert.equal(pool.byteSize, 20 * 4 + 3 + 3);
  pool.clear();
  pool.clear();
  assert.equal(pool.byteSize, 0);
});
