// Unit tests of the registry over several ML nodes (fake runtimes): replicas place copies on the
// least-loaded nodes (0 = every node), leases go to the least busy node holding a call's models and
// avoid a node that just lost a call, a lost node's copies wait for it while others serve, a
// returning node gets its models back, and a call whose models sit on different nodes loads the
// missing one where most of them are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { pino } from 'pino';
import { FakeClock } from '../child/fakes.test-support.js';
import { FakeCache, FakeNodes, FakeRuntime } from './fakes.test-support.js';
import { SupervisorModels } from './supervisor-models.js';

const { MODEL_STATE_LOADING: LOADING, MODEL_STATE_READY: READY } = ModelState;

function setup(n: number) {
  const cache = new FakeCache().add('face', 'face-detection', 1024).add('mesh', 'face-mesh', 2048).add('pose', 'pose-detection', 4096);
  const nodes = new FakeNodes(n);
  const models = new SupervisorModels({
    store: cache, child: nodes, clock: new FakeClock(), log: pino({ level: 'silent' }),
    issued: { issue: () => undefined, revoke: () => undefined },
    defaultKeepAliveSeconds: -1, maxLoaded: 0, budgetBytes: 0, childWaitMs: 1000,
  });
  return { models, nodes };
}

const states = async (models: SupervisorModels, id: string): Promise<Array<[string, number]>> =>
  (await models.get(id)).nodes.map((p) => [p.node, p.state]);

describe('SupervisorModels over several nodes', () => {
  it('places one copy by default, spreading models over the nodes; replicas 0 puts one on every node', async () => {
    const { models, nodes } = setup(3);
    await models.load('face');
    await models.load('mesh');
    await models.load('pose');
    assert.deepEqual(nodes.nodes.map((n) => n.loads), [['face'], ['mesh'], ['pose']], 'each model on the node holding the fewest');
    await models.load('face', { devices: [], threads: 0, keepAliveSeconds: undefined, replicas: 0 });
    assert.deepEqual(nodes.nodes.map((n) => n.loads.filter((m) => m === 'face').length), [1, 1, 1]);
    const v = await models.get('face');
    assert.equal(v.replicas, 0);
    assert.deepEqual(v.nodes.map((p) => p.node), ['n1', 'n2', 'n3']);
  });

  it('leases the least busy node holding the models, avoiding the one a call was lost on', async () => {
    const { models } = setup(3);
    await models.load('face', { devices: [], threads: 0, keepAliveSeconds: undefined, replicas: 0 });
    const held = await Promise.all([0, 1, 2, 3, 4, 5].map(() => models.lease({ detector: 'face' })));
    assert.deepEqual(held.map((l) => l.node).sort(), ['n1', 'n1', 'n2', 'n2', 'n3', 'n3'], 'two each');
    held.forEach((l) => l.release());
    for (let i = 0; i < 10; i++) {
      const l = await models.lease({ detector: 'face' }, 'request', 'n1');
      assert.notEqual(l.node, 'n1');
      l.release();
    }
    const v = await models.get('face');
    assert.equal(v.nodes.reduce((s, p) => s + p.routedTotal, 0), 16);
    assert.ok(v.nodes.every((p) => p.inFlight === 0));
  });

  it('a lost node: the model stays ready elsewhere, a short model moves, and the node gets its models back', async () => {
    const { models, nodes } = setup(2);
    await models.load('face', { devices: [], threads: 0, keepAliveSeconds: undefined, replicas: 0 });
    await models.load('mesh');
    assert.deepEqual(nodes.node('n1').loads, ['face', 'mesh']);
    nodes.node('n1').available = false;
    models.childLost('connection lost', 'n1');
    assert.equal((await models.get('face')).state, 'ready', 'face still has its copy on n2');
    assert.equal((await models.get('mesh')).state, 'loading');
    // A call for mesh goes to n2, which loads it ("or loads the model").
    const l = await models.lease({ landmarks: 'mesh' }, 'request', 'n1');
    assert.equal(l.node, 'n2');
    l.release();
    assert.deepEqual(await states(models, 'mesh'), [['n1', LOADING], ['n2', READY]]);
    // n1 returns (a new process): it gets both its models back without a LoadModel.
    const back = new FakeRuntime(777, 'n1');
    await models.reloadAll(back);
    assert.deepEqual(back.loads, ['face', 'mesh']);
    assert.deepEqual(await states(models, 'face'), [['n1', READY], ['n2', READY]]);
  });

  it('a call whose models sit on different nodes loads the missing one where the others are', async () => {
    const { models, nodes } = setup(2);
    await models.load('face');
    await models.load('mesh');
    assert.deepEqual(nodes.nodes.map((n) => n.loads), [['face'], ['mesh']]);
    const l = await models.lease({ detector: 'face', landmarks: 'mesh' });
    assert.ok(['n1', 'n2'].includes(l.node));
    const node = nodes.node(l.node);
    assert.deepEqual([...node.loads].sort(), ['face', 'mesh']);
    l.release();
  });

  it('a node that leaves the list is forgotten and its models are placed again on the others', async () => {
    const { models, nodes } = setup(2);
    await models.load('face');
    nodes.node('n1').available = false;
    models.nodeRemoved('n1');
    assert.equal((await models.get('face')).state, 'loading');
    models.rebalance();
    await new Promise((r) => setImmediate(r));
    await models.load('face');
    assert.deepEqual(await states(models, 'face'), [['n2', READY]]);
  });
});
