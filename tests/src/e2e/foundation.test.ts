// End-to-end: tabagent-server --mode all as a real process: health SERVING for the supervisor and its
// ML child, reflection, ListModels, UNIMPLEMENTED for unknown RPCs, and a clean SIGTERM with no orphan.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { HealthClient } from '@tabagent/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { isAlive } from '../support/processes.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

describe('tabagent-server --mode all', () => {
  let server: ServerUnderTest;
  let clients: PublicClients;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all'] });
    clients = connect(server.address);
  });
  after(async () => {
    clients?.close();
    if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
  });

  it('reports the supervisor and its ML child SERVING on grpc.health.v1', async () => {
    const health = new HealthClient(server.address);
    try {
      assert.equal(await health.check('', 5000), 'SERVING');
      assert.equal(await health.check('tabagent.ml', 5000), 'SERVING');
      assert.equal(await health.check('tabagent.v1.ModelManagement', 5000), 'SERVING');
      await assert.rejects(health.check('no.such.Service', 5000), (e: ServiceError) => e.code === status.NOT_FOUND);
    } finally {
      health.close();
    }
    const kids = server.childPids();
    assert.equal(kids.length, 1, `expected exactly one ML child, got ${kids.join(',')}`);
  });

  it('lists the catalogued models through ModelManagement.ListModels', async () => {
    const res = await call(clients.models, clients.models.listModels, { loadedOnly: false });
    const ids = res.models.map((m) => m.id);
    for (const id of ['mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/pose-landmark-full', 'karpathy/stories260K']) {
      assert.ok(ids.includes(id), `ListModels lacks ${id}: ${ids.join(', ')}`);
    }
    const face = res.models.find((m) => m.id === 'mediapipe/face-detection-short');
    assert.equal(face?.task, 'face-detection');
    assert.ok(face?.state === ModelState.MODEL_STATE_AVAILABLE || face?.state === ModelState.MODEL_STATE_PULLED);
    const loaded = await call(clients.models, clients.models.listModels, { loadedOnly: true });
    assert.deepEqual(loaded.models, []);
  });

  it('answers NOT_FOUND naming an unknown model', async () => {
    const err = await expectGrpcError(call(clients.models, clients.models.getModel, { model: 'nobody/nothing' }));
    assert.equal(err.code, status.NOT_FOUND);
    assert.match(err.details, /nobody\/nothing/);
  });

  it('answers UNIMPLEMENTED with a message for unknown RPCs', async () => {
    const Ctor = makeGenericClientConstructor({
      nope: {
        path: '/tabagent.v1.Vision/NoSuchMethod', requestStream: false, responseStream: false,
        requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b,
      },
    }, 'X');
    const c = new Ctor(server.address, credentials.createInsecure()) as unknown as {
      nope(b: Buffer, m: Metadata, o: object, cb: (e: ServiceError | null) => void): void; close(): void;
    };
    const err = await new Promise<ServiceError>((resolve, reject) => {
      c.nope(Buffer.alloc(0), new Metadata(), { deadline: new Date(Date.now() + 5000) }, (e) => (e ? resolve(e) : reject(new Error('call succeeded'))));
    });
    c.close();
    assert.equal(err.code, status.UNIMPLEMENTED);
    assert.ok(err.details.length > 0, 'UNIMPLEMENTED carries a message');
  });

  it('exits 0 on SIGTERM and leaves no process behind within 10 s', async () => {
    const kids = server.childPids();
    assert.ok(kids.length >= 1);
    const t0 = Date.now();
    const code = await server.stop('SIGTERM', 10_000);
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 10_000);
    for (const pid of [server.pid, ...kids]) assert.equal(isAlive(pid), false, `pid ${pid} survived`);
  });
});
