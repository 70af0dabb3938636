// Unit tests of the per-model request queue bound against a fake child runtime: past `queueSize`
// outstanding requests a new one is RESOURCE_EXHAUSTED at once (naming the model, with a retry hint),
// Track streams are not counted, a released or failed request frees its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { pino } from 'pino';
import { FakeClock } from '../child/fakes.test-support.js';
import { FakeCache, FakeRuntime } from './fakes.test-support.js';
import { SupervisorModels } from './supervisor-models.js';

function setup(queueSize: number) {
  const cache = new FakeCache().add('face', 'face-detection', 1024).add('mesh', 'face-mesh', 2048);
  const child = new FakeRuntime();
  const models = new SupervisorModels({
    store: cache, child, clock: new FakeClock(), log: pino({ level: 'silent' }),
    issued: { issue: () => undefined, revoke: () => undefined },
    defaultKeepAliveSeconds: 300, maxLoaded: 0, budgetBytes: 0, childWaitMs: 1000, queueSize,
  });
  return { models, child };
}

const queueFull = (err: unknown): boolean => {
  assert.ok(err instanceof TabagentError);
  assert.equal(err.code, 'TA_ERR_RESOURCE_EXHAUSTED');
  assert.equal(err.field, 'model');
  assert.match(err.message, /model "face" has 2 requests outstanding.*--queue-size 2/);
  assert.equal(err.retryAfterMs, 200);
  return true;
};

describe('per-model request queue', () => {
  it('refuses the request past the queue size at once; a release frees a place', async () => {
    const { models } = setup(2);
    const a = await models.acquire('face');
    const b = await models.acquire('face');
    await assert.rejects(models.acquire('face'), queueFull);
    (await models.acquire('mesh'))(); // another model's queue is its own
    a();
    a(); // releasing twice frees one place only
    const c = await models.acquire('face');
    await assert.rejects(models.acquire('face'), queueFull);
    b();
    c();
  });

  it('does not count Track streams, and a multi-model request that is refused holds nothing', async () => {
    const { models } = setup(2);
    const streams = await Promise.all(Array.from({ length: 5 }, () => models.acquire('face', 'stream')));
    const held = [await models.acquire('face'), await models.acquire('face')];
    await assert.rejects(models.acquireAll({ landmarks: 'mesh', detector: 'face' }), queueFull);
    // mesh was taken before face was refused, and was given back: two requests fit on mesh.
    held.push(await models.acquire('mesh'), await models.acquire('mesh'));
    await assert.rejects(models.acquire('mesh'), (e: unknown) => e instanceof TabagentError && e.code === 'TA_ERR_RESOURCE_EXHAUSTED');
    for (const r of [...held, ...streams]) r();
    assert.equal((await models.get('face')).state, 'ready');
  });

  it('a request whose load fails gives its place back', async () => {
    const { models, child } = setup(1);
    child.failing.set('face', 'no memory');
    await assert.rejects(models.acquire('face'), /no memory/);
    child.failing.delete('face');
    const r = await models.acquire('face');
    r();
  });
});
