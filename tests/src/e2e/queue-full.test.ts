// End-to-end: a model's request queue is bounded (--queue-size). Requests past it are refused at
// once with RESOURCE_EXHAUSTED naming the model and carrying a retry hint, while the admitted ones
// finish; readiness does not flip because a queue is full, a Track stream is not counted, and once
// the queue drains new requests are served again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HEALTH_SERVICES, HealthClient, RETRY_AFTER_KEY } from '@tabagent/common';
import { TrackTask } from '@tabagent/protos/v1/vision';
import { connect, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, openTrack, preload, vision } from './vision-helpers.js';

const QUEUE = 2;
const BURST = 12;

describe('per-model request queue through tabagent-server', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let health: HealthClient;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--queue-size', String(QUEUE), '--keep-alive', '-1'] });
    c = connect(server.address);
    health = new HealthClient(server.address);
    await preload(c, ['mediapipe/face-detection-short', 'mediapipe/face-mesh']);
  });
  after(async () => {
    health?.close();
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it(`a burst of ${BURST} FaceMesh calls: ${QUEUE} are served, the rest refused at once with a retry hint; readiness stays SERVING`, async () => {
    const childPid = server.childPids()[0];
    // A Track stream holding the same models does not take a place in the queue.
    const track = openTrack(c);
    track.send({ timestampUs: 1, task: TrackTask.TRACK_TASK_FACE_MESH, frame: encodedFrame('portrait.jpg') });
    assert.equal((await track.next(60_000)).faceMesh?.faces.length, 1);

    const frame = encodedFrame('family_group.jpg');
    const started = Date.now();
    const outcomes = await Promise.all(Array.from({ length: BURST }, async () => {
      try {
        const res = await vision(c, 'faceMesh', { frame });
        return { ok: true as const, faces: res.faces.length };
      } catch (err) {
        return { ok: false as const, err: err as ServiceError, afterMs: Date.now() - started };
      }
    }));
    const served = outcomes.filter((o) => o.ok);
    const refused = outcomes.flatMap((o) => (o.ok ? [] : [o]));
    process.stdout.write(`burst of ${BURST}: ${served.length} served, ${refused.length} refused (slowest refusal after ${Math.max(...refused.map((r) => r.afterMs))} ms)\n`);
    // All arrive within milliseconds of each other; a served call that ends early may let one more in.
    assert.ok(served.length >= QUEUE && refused.length >= BURST / 2, `${served.length} served, ${refused.length} refused`);
    for (const s of served) assert.ok(s.faces >= 1);
    for (const r of refused) {
      assert.equal(r.err.code, status.RESOURCE_EXHAUSTED, r.err.details);
      assert.match(r.err.details, /model "mediapipe\/face-(detection-short|mesh)" has 2 requests outstanding, its queue size \(--queue-size 2\)/);
      assert.equal(r.err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_RESOURCE_EXHAUSTED');
      assert.equal(r.err.metadata.get(RETRY_AFTER_KEY)[0], '200');
    }
    assert.equal(await health.check(HEALTH_SERVICES.vision, 5_000), 'SERVING');
    assert.equal(await health.check('', 5_000), 'SERVING');

    // The queue drained: the stream and a new request are served, by the same child.
    track.send({ timestampUs: 2, task: TrackTask.TRACK_TASK_FACE_MESH, frame: encodedFrame('portrait.jpg') });
    assert.equal((await track.next(60_000)).faceMesh?.faces.length, 1);
    await track.finish(10_000);
    assert.equal((await vision(c, 'faceMesh', { frame: encodedFrame('portrait.jpg') })).faces.length, 1);
    assert.deepEqual(server.childPids(), [childPid]);
  });
});
