// Unit tests of FrameBuffers: large buffers are reused (the smallest that fits), small ones never
// pooled, and the free list is bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBuffers, POOLED_MIN_BYTES } from './frame-buffers.js';

describe('FrameBuffers', () => {
  it('hands a released buffer to the next call that fits, as a view of the requested size', () => {
    const pool = new FrameBuffers();
    const a = pool.acquire(921_605);
    assert.equal(a.length, 921_605);
    pool.release(a);
    assert.equal(pool.freeCount, 1);
    const b = pool.acquire(500_000);
    assert.equal(b.length, 500_000);
    assert.equal(b.buffer, a.buffer, 'the same memory');
    assert.equal(pool.freeCount, 0);
    const c = pool.acquire(921_605);
    assert.notEqual(c.buffer, a.buffer, 'a buffer in use is not handed out twice');
  });

  it('takes the smallest free buffer that fits', () => {
    const pool = new FrameBuffers();
    const big = pool.acquire(4 << 20);
    const small = pool.acquire(1 << 20);
    pool.release(big);
    pool.release(small);
    assert.equal(pool.acquire(900_000).buffer, small.buffer);
    assert.equal(pool.acquire(900_000).buffer, big.buffer);
    assert.notEqual(pool.acquire(5 << 20).buffer, big.buffer);
  });

  it('never pools small messages and keeps at most 8 free buffers', () => {
    const pool = new FrameBuffers();
    pool.release(pool.acquire(POOLED_MIN_BYTES - 1));
    assert.equal(pool.freeCount, 0);
    const held = Array.from({ length: 12 }, () => pool.acquire(POOLED_MIN_BYTES));
    for (const b of held) pool.release(b);
    assert.equal(pool.freeCount, 8);
  });
});
