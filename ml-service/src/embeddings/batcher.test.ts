// Unit tests of the dynamic batcher and the per-model embedding config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamicBatcher, type BatchReport, type BatcherClock } from './batcher.js';
import { DEFAULT_EMBED_CONFIG, embedConfig } from './config.js';

/** A model call that records its batches and answers each item with `key:item`. */
function recorder(delayMs = 5): { calls: string[][]; run: (key: string, items: string[]) => Promise<string[]> } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (key, items) => {
      calls.push(items);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      return items.map((i) => `${key}:${i}`);
    },
  };
}

/** A clock whose time moves only when the test advances it; due timers then fire in order. */
class FakeClock implements BatcherClock {
  #t = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Moves time on by `ms`, firing the timers that fall due. */
  advance(ms: number): void {
    this.#t += ms;
    for (const [id, t] of [...this.#timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.#t) break;
      this.#timers.delete(id);
      t.fn();
    }
  }
}

/** Lets the batcher's setImmediate dispatch and the answers' promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

test('concurrent requests are merged up to the batch size and answered in order', async () => {
  const r = recorder(0);
  const clock = new FakeClock();
  const reports: BatchReport[] = [];
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 50 }, (x) => reports.push(x), clock);
  const all = Promise.all([b.submit('k', ['a']), b.submit('k', ['b', 'c']), b.submit('k', ['d']), b.submit('k', ['e'])]);
  await settle();
  // The first four items filled a batch at once (no time passed: no waiting for the delay).
  assert.deepEqual(r.calls, [['a', 'b', 'c', 'd']]);
  // Traffic is concurrent, so the fifth, alone now, waits the delay for partners, then runs.
  clock.advance(50);
  assert.deepEqual(await all, [['k:a'], ['k:b', 'k:c'], ['k:d'], ['k:e']]);
  assert.deepEqual(r.calls, [['a', 'b', 'c', 'd'], ['e']]);
  assert.deepEqual(reports.map((x) => [x.items, x.requests, x.queueMs]), [[4, 3, 0], [1, 1, 50]]);
});

test('a lone request runs after the maximum queue delay', async () => {
  const r = recorder(0);
  const clock = new FakeClock();
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 8, maxQueueDelayMs: 30 }, undefined, clock);
  const answer = b.submit('k', ['x']);
  await settle();
  clock.advance(29);
  await settle();
  assert.deepEqual(r.calls, [], 'ran before the delay was over');
  clock.advance(1);
  assert.deepEqual(await answer, ['k:x']);
  assert.deepEqual(r.calls, [['x']]);
});

test('after a lone request a lone request runs at once; requests that queue up together are merged', async () => {
  const r = recorder(0);
  const clock = new FakeClock();
  const delay = 300;
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 8, maxQueueDelayMs: delay }, undefined, clock);
  /** Submits the requests; true when they were answered before the clock moved, else after it moved by the delay. */
  const ranAtOnce = async (items: string[][]): Promise<boolean> => {
    let done = false;
    const all = Promise.all(items.map((i) => b.submit('k', i))).then(() => (done = true));
    await settle();
    if (done) return true;
    clock.advance(delay);
    await all;
    return false;
  };
  // Nothing is known at first, so the first request waits; the second follows a lone call and does not.
  assert.equal(await ranAtOnce([['a']]), false);
  assert.equal(await ranAtOnce([['b']]), true);
  assert.equal(await ranAtOnce([['c'], ['d']]), true);
  assert.deepEqual(r.calls, [['a'], ['b'], ['c', 'd']]);
  // The pair was merged: traffic is concurrent again, so a lone request waits for partners.
  assert.equal(await ranAtOnce([['e']]), false);
  assert.deepEqual(r.calls, [['a'], ['b'], ['c', 'd'], ['e']]);
});

test('requests with different keys never share a call; a big request runs alone', async () => {
  const r = recorder();
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 3, maxQueueDelayMs: 5 });
  const out = await Promise.all([b.submit('a', ['1']), b.submit('b', ['2']), b.submit('a', ['3']), b.submit('a', ['4', '5', '6', '7'])]);
  assert.deepEqual(out, [['a:1'], ['b:2'], ['a:3'], ['a:4', 'a:5', 'a:6', 'a:7']]);
  assert.deepEqual(r.calls, [['1', '3'], ['2'], ['4', '5', '6', '7']]);
});

test('with batching off every request is its own call, one at a time', async () => {
  const r = recorder();
  const b = new DynamicBatcher(r.run, { enabled: false, maxBatchSize: 32, maxQueueDelayMs: 2 });
  await Promise.all(['a', 'b', 'c'].map((x) => b.submit('k', [x])));
  assert.deepEqual(r.calls, [['a'], ['b'], ['c']]);
});

test('the next call starts only after work queued by the previous answers had a turn of the event loop', async () => {
  const order: string[] = [];
  const b = new DynamicBatcher<string, string>(async (_k, items) => {
    order.push(`run ${items.join()}`);
    return items;
  }, { enabled: false, maxBatchSize: 32, maxQueueDelayMs: 2 });
  // Like a gRPC answer, whose bytes are written on a later turn: it must not wait behind the next model call.
  const first = b.submit('k', ['a']).then(() => new Promise<void>((r) => setImmediate(() => {
    order.push('answer a sent');
    r();
  })));
  await Promise.all([first, b.submit('k', ['b'])]);
  assert.deepEqual(order, ['run a', 'answer a sent', 'run b']);
});

test('a failing call rejects every request of its batch, and later batches still run', async () => {
  let calls = 0;
  const b = new DynamicBatcher<string, string>(async (_k, items) => {
    calls++;
    if (items.includes('bad')) throw Object.assign(new Error('boom'), { code: 'X' });
    return items;
  }, { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 5 });
  const results = await Promise.allSettled([b.submit('k', ['ok']), b.submit('k', ['bad'])]);
  assert.deepEqual(results.map((x) => x.status), ['rejected', 'rejected']);
  assert.deepEqual(await b.submit('k', ['fine']), ['fine']);
  assert.equal(calls, 2);
});

test('embedding config: defaults, batching off, overrides and invalid values', () => {
  assert.deepEqual(embedConfig({}), DEFAULT_EMBED_CONFIG);
  assert.equal(DEFAULT_EMBED_CONFIG.batching.maxQueueDelayMs, 2);
  assert.equal(DEFAULT_EMBED_CONFIG.batching.maxBatchSize, 32);
  assert.equal(DEFAULT_EMBED_CONFIG.maxTextsPerRequest, 256);
  assert.equal(embedConfig({ dynamicBatching: false }).batching.enabled, false);
  const c = embedConfig({ dynamicBatching: { maxBatchSize: 8, maxQueueDelayMs: 0.5 }, maxTextsPerRequest: 10 });
  assert.deepEqual(c.batching, { enabled: true, maxBatchSize: 8, maxQueueDelayMs: 0.5 });
  assert.equal(c.maxTextsPerRequest, 10);
  assert.throws(() => embedConfig({ dynamicBatching: { maxBatchSize: 0 } }), { code: 'EMBED_MODEL_LOAD_FAILED', message: /dynamicBatching\.maxBatchSize/ });
  assert.throws(() => embedConfig({ maxTextsPerRequest: 2.5 }), { code: 'EMBED_MODEL_LOAD_FAILED' });
});
