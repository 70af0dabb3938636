// The frame socket delivers exactly the bytes written, cut at frame boundaries whatever the write
// sizes, reuses released buffers, and drops a trailing partial frame.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FramePool, openFrameSocket } from './frame-reader.js';

const FRAME = 7 * 5 * 3;

/** Bytes 0, 1, 2, ... (mod 251) so any misplaced byte shows. */
function pattern(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
}

/** Writes `data` in pieces of the given sizes (cycled), then closes; resolves with the copies of the frames read. */
async function roundTrip(pool: FramePool, data: Buffer, pieces: number[], keep: (f: Buffer) => boolean): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  const pair = await openFrameSocket(pool, (f) => {
    frames.push(Buffer.from(f));
    if (!keep(f)) pool.release(f);
  });
  const closed = new Promise<void>((resolve) => pair.reader.once('close', () => resolve()));
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.min(pieces[i % pieces.length]!, data.length - off);
    await new Promise<void>((resolve) => pair.child.write(data.subarray(off, off + n), () => resolve()));
    off += n;
  }
  pair.child.end();
  await closed;
  return frames;
}

describe('openFrameSocket', () => {
  it('cuts the stream into whole frames whatever the write sizes, and drops a trailing partial frame', async () => {
    const data = pattern(FRAME * 4 + 10);
    for (const pieces of [[1], [FRAME], [FRAME * 4 + 10], [13, 200, 3]]) {
      const frames = await roundTrip(new FramePool(FRAME), data, pieces, () => false);
      assert.equal(frames.length, 4, `pieces ${pieces.join(',')}`);
      frames.forEach((f, i) => assert.deepEqual(f, data.subarray(i * FRAME, (i + 1) * FRAME), `frame ${i} with pieces ${pieces.join(',')}`));
    }
  });

  it('reuses released buffers and allocates new ones only while frames are held', async () => {
    const pool = new FramePool(FRAME);
    const seen = new Set<Buffer>();
    const held: Buffer[] = [];
    const frames = await openFrameSocket(pool, (f) => {
      seen.add(f);
      if (held.length < 2) held.push(f);
      else pool.release(f);
    }).then(async (pair) => {
      const closed = new Promise<void>((resolve) => pair.reader.once('close', () => resolve()));
      pair.child.end(pattern(FRAME * 6));
      await closed;
      return seen.size;
    });
    // two frames held + one filling at a time + the one just released and reused: four buffers at most
    assert.ok(frames <= 4, `${frames} distinct buffers for 6 frames`);
    assert.notEqual(held[0], held[1]);
    pool.release(held[0]!);
    assert.equal(pool.acquire(), held[0], 'a released buffer is handed out again');
  });

  it('ignores buffers of another size and double releases', () => {
    const pool = new FramePool(FRAME);
    const a = pool.acquire();
    pool.release(a);
    pool.release(a);
    pool.release(Buffer.alloc(FRAME + 1));
    assert.equal(pool.acquire(), a);
    assert.notEqual(pool.acquire(), a, 'the pool held a only once');
  });
});
