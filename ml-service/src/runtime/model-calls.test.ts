// ModelCalls, the in-flight count and drain of one loaded model: a drain waits for the calls in
// flight, refuses new ones meanwhile (naming the model), and gives the model back when it times out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { drainTimeout, ModelCalls, withCalls } from './model-calls.js';

const refused = (code: string) => (e: unknown) => e instanceof TabagentError && e.code === code && e.message.includes('"m1"');

describe('ModelCalls', () => {
  it('drains only after the last call in flight leaves, refusing new calls meanwhile', async () => {
    const calls = new ModelCalls('m1');
    calls.enter();
    calls.enter();
    let drained: boolean | undefined;
    const drain = calls.drain(10_000).then((d) => (drained = d));
    assert.equal(calls.state, 'draining');
    assert.throws(() => calls.enter(), refused('TA_ERR_FAILED_PRECONDITION'));
    calls.leave();
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, undefined, 'drained with a call still in flight');
    calls.leave();
    assert.equal(await drain, true);
    calls.disposed();
    assert.throws(() => calls.enter(), refused('TA_ERR_MODEL_NOT_LOADED'));
  });

  it('a drain with nothing in flight resolves at once', async () => {
    const calls = new ModelCalls('m1');
    assert.equal(await calls.drain(0), true);
    assert.equal(calls.inFlight, 0);
  });

  it('a drain that times out gives the model back to its callers', async () => {
    const calls = new ModelCalls('m1');
    calls.enter();
    assert.equal(await calls.drain(20), false);
    assert.equal(calls.state, 'serving');
    calls.enter();
    assert.equal(calls.inFlight, 2);
    calls.leave();
    calls.leave();
    assert.throws(() => calls.leave(), /without enter/);
  });

  it('withCalls counts every model while fn runs and enters none when one refuses', async () => {
    const a = new ModelCalls('m1');
    const b = new ModelCalls('m2');
    const seen = await withCalls([a, b], () => Promise.resolve([a.inFlight, b.inFlight]));
    assert.deepEqual(seen, [1, 1]);
    assert.deepEqual([a.inFlight, b.inFlight], [0, 0]);
    void b.drain(1_000);
    await assert.rejects(withCalls([a, b], () => Promise.resolve(0)), (e: unknown) => e instanceof TabagentError && e.message.includes('"m2"'));
    assert.equal(a.inFlight, 0, 'the first model stayed counted after the second refused');
  });
});

it('the drain time of an unload is its deadline less a reply margin, or 30 s without one', () => {
  assert.equal(drainTimeout(Infinity), 30_000);
  assert.equal(drainTimeout(new Date(10_000), 4_000), 5_950);
  assert.equal(drainTimeout(1_000, 4_000), 0);
});
