// Unit tests of the keyed single-flight helper (pure logic).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SingleFlight } from './single-flight.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

test('concurrent callers of one key share one run and its events', async () => {
  const flights = new SingleFlight<string, number, string>();
  const gate = deferred<number>();
  let runs = 0;
  const seenA: string[] = [];
  const seenB: string[] = [];
  const work = async (emit: (e: string) => void): Promise<number> => {
    runs++;
    emit('started');
    const v = await gate.promise;
    emit('finished');
    return v;
  };
  const a = flights.run('k', work, { onEvent: (e) => seenA.push(e) });
  await new Promise((r) => setImmediate(r));
  const b = flights.run('k', work, { onEvent: (e) => seenB.push(e) });
  const other = flights.run('other', async () => 7);
  gate.resolve(42);
  assert.deepEqual(await Promise.all([a, b, other]), [42, 42, 7]);
  assert.equal(runs, 1);
  assert.deepEqual(seenA, ['started', 'finished']);
  assert.deepEqual(seenB, ['started', 'finished'], 'late joiner first receives the latest event');
  assert.equal(flights.size, 0);
});

test('a caller that aborts stops waiting without cancelling the shared run', async () => {
  const flights = new SingleFlight<string, string, never>();
  const gate = deferred<string>();
  let finished = false;
  const work = async (): Promise<string> => {
    const v = await gate.promise;
    finished = true;
    return v;
  };
  const controller = new AbortController();
  const quitter = flights.run('k', work, { signal: controller.signal });
  const stayer = flights.run('k', work);
  controller.abort();
  await assert.rejects(quitter, { code: 'STORE_CANCELLED' });
  assert.equal(finished, false);
  gate.resolve('done');
  assert.equal(await stayer, 'done');
  assert.equal(finished, true);
});

test('a failed run rejects every waiter and the next call starts afresh', async () => {
  const flights = new SingleFlight<string, number, never>();
  let calls = 0;
  const failing = async (): Promise<number> => { calls++; throw new Error('boom'); };
  await Promise.all([
    assert.rejects(flights.run('k', failing), /boom/),
    assert.rejects(flights.run('k', failing), /boom/),
  ]);
  assert.equal(calls, 1);
  assert.equal(await flights.run('k', async () => 5), 5);
});
