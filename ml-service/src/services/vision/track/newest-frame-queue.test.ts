// NewestFrameQueue: one frame at a time, only the newest waiting frame kept, replaced frames reported
// with the result of the frame that replaced them, ordered shutdown and failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NewestFrameQueue } from './newest-frame-queue.js';

interface Frame { timestampUs: number }

/** A queue whose processing finishes only when the test releases it. */
function harness() {
  const gates: Array<() => void> = [];
  const delivered: { ts: number; dropped: number[] }[] = [];
  const state = { done: 0, failed: undefined as unknown };
  const queue = new NewestFrameQueue<Frame, number>({
    process: (f) => new Promise((resolve, reject) => gates.push(() => (f.timestampUs < 0 ? reject(new Error('bad frame')) : resolve(f.timestampUs)))),
    deliver: (ts, dropped) => delivered.push({ ts, dropped }),
    done: () => { state.done += 1; },
    fail: (err) => { state.failed = err; },
  });
  const release = async (): Promise<void> => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { queue, delivered, state, release, gates };
}

describe('NewestFrameQueue', () => {
  it('processes frames one at a time and keeps only the newest waiting one', async () => {
    const h = harness();
    h.queue.push({ timestampUs: 1 });
    for (const ts of [2, 3, 4, 5]) h.queue.push({ timestampUs: ts });
    assert.equal(h.queue.depth, 2);
    assert.equal(h.gates.length, 1, 'only one frame in processing');
    await h.release();
    assert.deepEqual(h.delivered, [{ ts: 1, dropped: [] }]);
    h.queue.push({ timestampUs: 6 });
    await h.release();
    await h.release();
    assert.deepEqual(h.delivered, [{ ts: 1, dropped: [] }, { ts: 5, dropped: [2, 3, 4] }, { ts: 6, dropped: [] }]);
    assert.equal(h.queue.depth, 0);
  });

  it('ends after the kept frame is delivered; frames after end() are ignored', async () => {
    const h = harness();
    h.queue.push({ timestampUs: 1 });
    h.queue.push({ timestampUs: 2 });
    h.queue.end();
    h.queue.push({ timestampUs: 3 });
    assert.equal(h.state.done, 0);
    await h.release();
    assert.equal(h.state.done, 0);
    await h.release();
    assert.equal(h.state.done, 1);
    assert.deepEqual(h.delivered.map((d) => d.ts), [1, 2]);
  });

  it('ends at once when idle', () => {
    const h = harness();
    h.queue.end();
    h.queue.end();
    assert.equal(h.state.done, 1);
  });

  it('stops on the first failure and delivers nothing after it', async () => {
    const h = harness();
    h.queue.push({ timestampUs: -1 });
    h.queue.push({ timestampUs: 2 });
    await h.release();
    assert.equal((h.state.failed as Error).message, 'bad frame');
    assert.equal(h.gates.length, 0);
    h.queue.end();
    assert.equal(h.state.done, 0);
    assert.deepEqual(h.delivered, []);
  });

  it('stop() drops the waiting frame and the result in flight', async () => {
    const h = harness();
    h.queue.push({ timestampUs: 1 });
    h.queue.push({ timestampUs: 2 });
    h.queue.stop();
    await h.release();
    assert.deepEqual(h.delivered, []);
    assert.equal(h.gates.length, 0);
  });
});
