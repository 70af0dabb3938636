// Unit tests of the supervisor's model registry against a fake child runtime, cache and clock:
// load, unload, eviction, keep-alive, reload after a child restart, concurrent acquire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { FakeClock, flush } from '../child/fakes.test-support.js';
import { capabilityStatuses } from './capability-health.js';
import { FakeCache, FakeRuntime } from './fakes.test-support.js';
import { SupervisorModels } from './supervisor-models.js';

const MB = 1024 * 1024;

function setup(limits: { maxLoaded?: number; budgetBytes?: number; keepAlive?: number } = {}) {
  const cache = new FakeCache().add('face', 'face-detection', 10 * MB).add('mesh', 'face-mesh', 20 * MB)
    .add('pose', 'pose-detection', 30 * MB).add('llm', 'text-generation', 40 * MB);
  const child = new FakeRuntime();
  const clock = new FakeClock();
  const issued = new Map<string, readonly string[]>();
  let changes = 0;
  const models = new SupervisorModels({
    store: cache, child, clock, log: pino({ level: 'silent' }),
    issued: { issue: (m, p) => void issued.set(m, p), revoke: (m) => void issued.delete(m) },
    defaultKeepAliveSeconds: limits.keepAlive ?? 300, maxLoaded: limits.maxLoaded ?? 0,
    budgetBytes: limits.budgetBytes ?? 0, childWaitMs: 1000, onChange: () => { changes += 1; },
  });
  return { cache, child, clock, issued, models, changes: () => changes };
}

describe('SupervisorModels', () => {
  it('loads (pulling first), issues the files, and reports ready with the child pid and memory', async () => {
    const { models, child, cache, issued } = setup();
    const v = await models.load('face');
    assert.equal(v.state, 'ready');
    assert.equal(v.childPid, 4242);
    assert.equal(v.memoryBytes, 10 * MB);
    assert.equal(v.sizeBytes, 10 * MB);
    assert.deepEqual(child.loads, ['face']);
    assert.equal(cache.pulls, 1);
    assert.deepEqual(issued.get('face'), ['model.onnx']);
  });

  it('unloads: the child unloads it, files are revoked, the state is unloaded', async () => {
    const { models, child, issued } = setup();
    await models.load('face');
    const v = await models.unload('face');
    assert.equal(v.state, 'unloaded');
    assert.deepEqual(child.unloads, ['face']);
    assert.equal(issued.has('face'), false);
  });

  it('list() and get() never change state', async () => {
    const { models, cache, changes } = setup();
    await cache.pull('mesh');
    const before = changes();
    assert.equal((await models.get('mesh')).state, 'pulled');
    assert.deepEqual((await models.list()).map((m) => [m.id, m.state]), [['face', 'available'], ['mesh', 'pulled'], ['pose', 'available'], ['llm', 'available']]);
    assert.deepEqual(await models.list(true), []);
    assert.equal(changes(), before);
  });

  it('evicts the least recently used idle model over max-loaded', async () => {
    const { models, child, clock } = setup({ maxLoaded: 2 });
    await models.load('face');
    await clock.advance(10);
    await models.load('mesh');
    await clock.advance(10);
    (await models.acquire('face'))(); // face is now more recent than mesh
    await models.load('pose');
    assert.deepEqual(child.unloads, ['mesh']);
    assert.deepEqual((await models.list(true)).map((m) => m.id).sort(), ['face', 'pose']);
  });

  it('evicts enough that loaded + incoming fits the memory budget', async () => {
    const { models, child, clock } = setup({ budgetBytes: 45 * MB });
    await models.load('face'); // 10
    await clock.advance(10);
    await models.load('mesh'); // 20 → 30 loaded
    await models.load('pose'); // +30 would be 60: face (LRU) out → 50, still over: mesh out → 30
    assert.deepEqual(child.unloads, ['face', 'mesh']);
    assert.deepEqual((await models.list(true)).map((m) => m.id), ['pose']);
  });

  it('never evicts a busy model', async () => {
    const { models, child } = setup({ maxLoaded: 1 });
    const release = await models.acquire('face');
    await models.load('mesh');
    assert.deepEqual(child.unloads, []);
    release();
  });

  it('unloads an idle model when its keep-alive runs out, not while it is in use', async () => {
    const { models, child, clock } = setup({ keepAlive: 5 });
    const release = await models.acquire('face');
    await clock.advance(10_000);
    assert.deepEqual(child.unloads, [], 'busy models stay');
    release();
    await clock.advance(4_000);
    assert.deepEqual(child.unloads, []);
    await clock.advance(2_000);
    assert.deepEqual(child.unloads, ['face']);
    assert.equal((await models.get('face')).state, 'unloaded');
  });

  it('concurrent acquires of one model share one load', async () => {
    const { models, child } = setup();
    child.hold = true;
    const a = models.acquireAll({ detector: 'face', landmarks: 'mesh' });
    const b = models.acquireAll({ detector: 'face' });
    await flush();
    child.release();
    await flush();
    child.release();
    const [ra, rb] = await Promise.all([a, b]);
    assert.deepEqual(child.loads, ['face', 'mesh']);
    ra();
    rb();
    assert.equal((await models.get('face')).expiresAtMs > 0, true, 'idle again after both released');
  });

  it('acquireAll releases what it took when one model fails', async () => {
    const { models, child } = setup({ keepAlive: 0 });
    child.failing.set('mesh', 'bad graph');
    await assert.rejects(models.acquireAll({ detector: 'face', landmarks: 'mesh' }), /bad graph/);
    await flush();
    assert.deepEqual(child.unloads, ['face'], 'face released (keep-alive 0 unloads it)');
    const mesh = await models.get('mesh');
    assert.equal(mesh.state, 'failed');
    assert.equal(mesh.lastError, 'bad graph');
  });

  it('reloads wanted models on a restarted child', async () => {
    const { models } = setup();
    await models.load('face');
    await models.load('mesh');
    await models.unload('mesh');
    models.childLost('ML child was killed by SIGKILL');
    assert.equal((await models.get('face')).state, 'loading');
    const next = new FakeRuntime(5151);
    await models.reloadAll(next);
    assert.deepEqual(next.loads, ['face'], 'only wanted models');
    const face = await models.get('face');
    assert.equal(face.state, 'ready');
    assert.equal(face.childPid, 5151);
  });

  it('a failed reload turns the model FAILED with its reason and takes its capability out of service', async () => {
    const { models } = setup();
    await models.load('face');
    await models.load('llm');
    models.childLost('gone');
    const next = new FakeRuntime(5151);
    next.failing.set('face', 'session create failed');
    await models.reloadAll(next);
    const face = await models.get('face');
    assert.equal(face.state, 'failed');
    assert.equal(face.lastError, 'reload after child restart failed: session create failed');
    assert.equal((await models.get('llm')).state, 'ready');
    assert.deepEqual([...models.failedTasks()], ['face-detection']);
    const health = capabilityStatuses(true, models.failedTasks());
    assert.equal(health.get('tabagent.v1.Vision'), 'NOT_SERVING');
    assert.equal(health.get('tabagent.v1.Text'), 'SERVING');
    assert.equal(health.get('tabagent.ml'), 'SERVING');
    // Loading it again (on a child that can) puts the capability back in service.
    await models.load('face');
    assert.equal(capabilityStatuses(true, models.failedTasks()).get('tabagent.v1.Vision'), 'SERVING');
  });

  it('a load while no child is ready fails but stays wanted, and the next child loads it', async () => {
    const { models, child } = setup();
    child.available = false;
    await assert.rejects(models.load('face'), /restarting/);
    assert.equal((await models.get('face')).state, 'failed');
    const next = new FakeRuntime(6000);
    await models.reloadAll(next);
    assert.equal((await models.get('face')).state, 'ready');
  });
});

describe('capabilityStatuses', () => {
  it('is NOT_SERVING everywhere while the child is not ready', () => {
    assert.deepEqual([...capabilityStatuses(false, new Set()).values()], ['NOT_SERVING', 'NOT_SERVING', 'NOT_SERVING']);
  });

  it('an alias reaches the same record: loads, leases and unloads by canonical id, counted once per call', async () => {
    const { models, child, cache } = setup();
    cache.alias('tiny-llm', 'llm');
    const v = await models.load('tiny-llm');
    assert.equal(v.id, 'llm');
    assert.equal((await models.get('tiny-llm')).state, 'ready');
    await models.load('llm');
    assert.deepEqual(child.loads, ['llm']);
    assert.deepEqual(models.resolveRoles({ model: 'tiny-llm', detector: '' }), { model: 'llm', detector: '' });
    const lease = await models.lease({ model: 'tiny-llm', other: 'llm' });
    assert.deepEqual(lease.roles, { model: 'llm', other: 'llm' });
    const llm = (await models.list()).find((m) => m.id === 'llm');
    assert.ok(llm && !(await models.list()).some((m) => m.id === 'tiny-llm'));
    lease.release();
    assert.equal((await models.unload('tiny-llm')).state, 'unloaded');
    assert.deepEqual(child.unloads, ['llm']);
    await assert.rejects(async () => models.load('no-such'), { code: 'TA_ERR_NOT_FOUND' });
  });
});
