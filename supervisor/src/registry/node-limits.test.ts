// Unit tests of the per-node side of the registry over fake nodes: max-loaded, memory budget and
// queue size hold per ML node; eviction for room unloads only the full node's copy of a model that
// has others; a ready model does not evict to top up its replicas; and copies past a model's
// replicas (a node came back, or the replicas went down) are retired, least busy node first, newest
// copy first: a retired copy takes no new call and is unloaded once its running calls end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { pino } from 'pino';
import { FakeClock, flush } from '../child/fakes.test-support.js';
import { FakeCache, FakeNodes } from './fakes.test-support.js';
import { SupervisorModels } from './supervisor-models.js';

const READY = ModelState.MODEL_STATE_READY;
const EVERY = { devices: [], threads: 0, keepAliveSeconds: undefined, replicas: 0 };

function setup(n: number, limits: { maxLoaded?: number; budgetBytes?: number; queueSize?: number } = {}) {
  const cache = new FakeCache().add('face', 'face-detection', 1000).add('mesh', 'face-mesh', 2000).add('pose', 'pose-detection', 3000);
  const nodes = new FakeNodes(n);
  const clock = new FakeClock();
  const models = new SupervisorModels({
    store: cache, child: nodes, clock, log: pino({ level: 'silent' }),
    issued: { issue: () => undefined, revoke: () => undefined },
    defaultKeepAliveSeconds: -1, maxLoaded: limits.maxLoaded ?? 0, budgetBytes: limits.budgetBytes ?? 0, childWaitMs: 1000,
    ...(limits.queueSize ? { queueSize: limits.queueSize } : {}),
  });
  return { models, nodes, clock };
}

const on = async (models: SupervisorModels, id: string): Promise<string[]> => (await models.get(id)).nodes.map((p) => p.node);

describe('per-node limits', () => {
  it('max-loaded counts per node: one model per node fits on each; a third evicts on the node it goes to', async () => {
    const { models, nodes } = setup(2, { maxLoaded: 1 });
    await models.load('face');
    await models.load('mesh');
    assert.deepEqual(nodes.nodes.map((n) => n.loads), [['face'], ['mesh']]);
    assert.deepEqual(nodes.nodes.map((n) => n.unloads), [[], []], 'two models on two nodes: nothing evicted');
    await models.load('pose');
    assert.deepEqual(nodes.node('n1').unloads, ['face'], 'the least recently used idle model of n1 makes room');
    assert.equal((await models.get('face')).state, 'unloaded', 'its only copy: the model is unloaded');
    assert.equal((await models.get('mesh')).state, 'ready');
    assert.deepEqual(await on(models, 'pose'), ['n1']);
  });

  it('the memory budget counts per node, with the incoming model', async () => {
    const one = setup(1, { budgetBytes: 3500 });
    await one.models.load('face');
    await one.models.load('mesh');
    assert.deepEqual(one.nodes.node('n1').unloads, [], '1000 + 2000 fit in 3500');
    await one.models.load('pose');
    assert.deepEqual(one.nodes.node('n1').unloads, ['face', 'mesh'], '3000 needs both gone');
    const two = setup(2, { budgetBytes: 3500 });
    await two.models.load('face');
    await two.models.load('mesh');
    await two.models.load('pose');
    assert.deepEqual(two.nodes.nodes.map((n) => n.unloads), [['face'], []], 'pose goes to n1 (fewest models) and evicts only there');
    assert.deepEqual([await on(two.models, 'mesh'), await on(two.models, 'pose')], [['n2'], ['n1']]);
  });

  it('evicting a model with copies elsewhere unloads only the full node\'s copy, and a ready model does not evict to top up', async () => {
    const { models, nodes } = setup(2, { maxLoaded: 1 });
    await models.load('face', EVERY);
    assert.deepEqual(await on(models, 'face'), ['n1', 'n2']);
    await models.load('mesh');
    assert.deepEqual(nodes.node('n1').unloads, ['face']);
    const face = await models.get('face');
    assert.equal(face.state, 'ready', 'face keeps its copy on n2');
    assert.deepEqual(face.nodes.map((p) => p.node), ['n2']);
    models.rebalance();
    await flush();
    assert.deepEqual(nodes.node('n1').loads, ['face', 'mesh'], 'n1 is full: face is not put back there');
    assert.equal((await models.get('mesh')).state, 'ready');
  });

  it('a call for a model missing on every node with room makes room on the node it loads on, keeping the call\'s other models', async () => {
    const { models, nodes } = setup(1, { maxLoaded: 2 });
    await models.load('face');
    await models.load('mesh');
    await models.unload('mesh');
    await models.load('pose');
    nodes.node('n1').unloads.length = 0;
    const l = await models.lease({ detector: 'face', landmarks: 'mesh' });
    assert.equal(l.node, 'n1');
    assert.deepEqual(nodes.node('n1').unloads, ['pose'], 'pose makes room; face, used by the call, stays');
    l.release();
  });

  it('the queue size holds per node holding the model', async () => {
    const { models } = setup(3, { queueSize: 2 });
    await models.load('face', EVERY);
    const held = await Promise.all(Array.from({ length: 6 }, () => models.acquire('face')));
    await assert.rejects(models.acquire('face'), (err: unknown) => {
      assert.ok(err instanceof TabagentError);
      assert.equal(err.code, 'TA_ERR_RESOURCE_EXHAUSTED');
      assert.equal(err.field, 'model');
      assert.match(err.message, /model "face" has 6 requests outstanding, its queue size \(--queue-size 2 per node × 3 nodes holding it\)/);
      return true;
    });
    held.forEach((r) => r());
  });
});

describe('trimming copies past the replicas', () => {
  /** face (1 replica) on n1; n1 is lost, a call moves face to n2; n1 comes back and gets face again. */
  async function returned() {
    const s = setup(2);
    await s.models.load('face');
    const n1 = s.nodes.node('n1');
    n1.available = false;
    s.models.childLost('connection lost', 'n1');
    (await s.models.lease({ detector: 'face' })).release();
    await s.clock.advance(10);
    n1.available = true;
    await s.models.reloadAll(n1);
    assert.deepEqual((await s.models.get('face')).nodes.map((p) => [p.node, p.state]), [['n1', READY], ['n2', READY]], 'two ready copies, one replica');
    return s;
  }

  it('unloads the surplus copy of the least busy node, keeping the copy a call runs on', async () => {
    const { models, nodes } = await returned();
    const l = await models.lease({ detector: 'face' });
    const idle = l.node === 'n1' ? 'n2' : 'n1';
    models.trimSurplus();
    await flush();
    assert.deepEqual(nodes.node(idle).unloads, ['face']);
    assert.deepEqual(nodes.node(l.node).unloads, [], 'the copy with a call in flight stays');
    assert.deepEqual(await on(models, 'face'), [l.node]);
    assert.equal((await models.get('face')).state, 'ready');
    l.release();
  });

  it('with both copies idle, unloads the newest; a busy one takes no new call and is unloaded when its call ends', async () => {
    const a = await returned();
    a.models.trimSurplus();
    await flush();
    assert.deepEqual(a.nodes.nodes.map((n) => n.unloads), [['face'], []], 'n1 reloaded last: the newest copy goes');
    const b = await returned();
    const l1 = await b.models.lease({ detector: 'face' });
    const l2 = await b.models.lease({ detector: 'face' });
    assert.deepEqual([l1.node, l2.node].sort(), ['n1', 'n2']);
    b.models.trimSurplus();
    await flush();
    assert.deepEqual(b.nodes.nodes.map((n) => n.unloads), [[], []], 'no call is dropped');
    assert.deepEqual((await b.models.get('face')).nodes.map((p) => [p.node, p.state, p.inFlight]), [['n1', ModelState.MODEL_STATE_UNLOADED, 1], ['n2', READY, 1]], 'n1 (newest) drains');
    for (let i = 0; i < 4; i++) {
      const l = await b.models.lease({ detector: 'face' });
      assert.equal(l.node, 'n2', 'a draining copy takes no new call, though n2 is busier');
      l.release();
    }
    const onN1 = l1.node === 'n1' ? l1 : l2;
    onN1.release();
    await flush();
    assert.deepEqual(b.nodes.node('n1').unloads, ['face'], 'unloaded when its last call ended');
    assert.deepEqual(await on(b.models, 'face'), ['n2']);
    assert.equal((await b.models.get('face')).state, 'ready');
    (onN1 === l1 ? l2 : l1).release();
  });

  it('lowering the replicas of a loaded model retires the extra copies', async () => {
    const { models, nodes } = setup(3);
    await models.load('face', EVERY);
    await models.load('face', { ...EVERY, replicas: 1 });
    models.trimSurplus();
    await flush();
    assert.deepEqual(await on(models, 'face'), ['n1']);
    assert.deepEqual(nodes.nodes.map((n) => n.unloads), [[], ['face'], ['face']]);
  });

  it('never trims a model on every node (replicas 0)', async () => {
    const { models, nodes } = setup(3);
    await models.load('face', EVERY);
    models.trimSurplus();
    await flush();
    assert.deepEqual(nodes.nodes.map((n) => n.unloads), [[], [], []]);
  });
});
