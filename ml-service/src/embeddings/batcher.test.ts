// Unit tests of the dynamic batcher and the per-model embedding config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamicBatcher, type BatchReport } from './batcher.js';
import { DEFAULT_EMBED_CONFIG, embedConfig } from './config.js';

/** A model call that records its batches and answers each item with `key:item`. */
function recorder(delayMs = 5): { calls: string[][]; run: (key: string, items: string[]) => Promise<string[]> } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (key, items) => {
      calls.push(items);
      await new Promise((r) => setTimeout(r, delayMs));
      return items.map((i) => `${key}:${i}`);
    },
  };
}

test('concurrent requests are merged up to the batch size and answered in order', async () => {
  const r = recorder();
  const reports: BatchReport[] = [];
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 50 }, (x) => reports.push(x));
  const out = await Promise.all([b.submit('k', ['a']), b.submit('k', ['b', 'c']), b.submit('k', ['d']), b.submit('k', ['e'])]);
  assert.deepEqual(out, [['k:a'], ['k:b', 'k:c'], ['k:d'], ['k:e']]);
  // The first four items filled a batch at once (no waiting for the delay); the fifth ran next.
  assert.deepEqual(r.calls, [['a', 'b', 'c', 'd'], ['e']]);
  assert.deepEqual(reports.map((x) => [x.items, x.requests]), [[4, 3], [1, 1]]);
  assert.ok(reports[0]!.queueMs < 40, `a full batch waited ${reports[0]!.queueMs} ms`);
});

test('a lone request runs after the maximum queue delay', async () => {
  const r = recorder(0);
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 8, maxQueueDelayMs: 30 });
  const t0 = performance.now();
  assert.deepEqual(await b.submit('k', ['x']), ['k:x']);
  const waited = performance.now() - t0;
  assert.ok(waited >= 28 && waited < 500, `waited ${waited} ms`);
});

test('after a lone request a lone request runs at once; requests that queue up together are merged', async () => {
  const r = recorder(0);
  const delay = 300;
  const b = new DynamicBatcher(r.run, { enabled: true, maxBatchSize: 8, maxQueueDelayMs: delay });
  const timed = async (items: string[][]): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(items.map((i) => b.submit('k', i)));
    return performance.now() - t0;
  };
  const first = await timed([['a']]);
  const second = await timed([['b']]);
  const pair = await timed([['c'], ['d']]);
  const afterPair = await timed([['e']]);
  assert.deepEqual(r.calls, [['a'], ['b'], ['c', 'd'], ['e']]);
  // Nothing is known at first, so the first request waits; the second follows a lone call and does not.
  assert.ok(first >= delay - 2, `first waited ${first} ms`);
  assert.ok(second < delay / 2, `second waited ${second} ms`);
  assert.ok(pair < delay / 2, `the pair waited ${pair} ms`);
  // The pair was merged: traffic is concurrent again, so a lone request waits for partners.
  assert.ok(afterPair >= delay - 2, `after the pair, waited ${afterPair} ms`);
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
