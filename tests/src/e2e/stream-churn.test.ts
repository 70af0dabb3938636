// End-to-end: 10,000 Vision.Track streams opened and cancelled in a row (16 at a time): some
// cancelled before any frame, some right after their first frame, some after its answer. Nothing
// leaks: open file descriptors of both processes and the child's in-flight counts come back, the
// model unloads (nothing holds it), and both processes still serve with the same ML child.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status, type ClientDuplexStream } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient, type GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import { PixelFormat, TrackRequest, TrackTask, VisionClient, type TrackResponse } from '@tabagent/protos/v1/vision';
import { call } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { assertStillServing, openFds } from './fuzz-support.js';

const STREAMS = 10_000;
/**
 * Streams per connection. HTTP/2 servers (nghttp2, under Node's) close a connection that resets
 * more than ~1,000 streams in a burst (the rapid-reset guard), so the churn, like any real client
 * that cancels this much, spreads over connections.
 */
const STREAMS_PER_CONNECTION = 400;
const CONCURRENCY = 16;
const FACE = 'mediapipe/face-detection-short';
const frame = { data: Buffer.alloc(32 * 32 * 3, 100), width: 32, height: 32, format: PixelFormat.PIXEL_FORMAT_RGB };

describe('10,000 Track stream opens and cancels', () => {
  let server: ServerUnderTest;
  let models: ModelManagementClient;
  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--keep-alive', '-1'] });
    models = new ModelManagementClient(server.address, credentials.createInsecure(), grpcChannelOptions());
  });
  after(async () => {
    models?.close();
    if (server) await server.stop();
  });

  const failures: string[] = [];
  const ownConnection = (): VisionClient =>
    new VisionClient(server.address, credentials.createInsecure(), { ...grpcChannelOptions(), 'grpc.use_local_subchannel_pool': 1 });
  /** One stream: open, maybe send a frame, maybe wait for its answer, cancel; resolves when closed. */
  const churn = (vision: VisionClient, i: number): Promise<void> => new Promise((resolve) => {
    const s: ClientDuplexStream<TrackRequest, TrackResponse> = vision.track(new Metadata());
    s.on('error', (e: { code: number; details: string }) => {
      if (e.code !== status.CANCELLED) failures.push(`stream ${i}: ${status[e.code]} ${e.details}`);
      resolve();
    });
    s.on('end', resolve);
    const kind = i % 3;
    if (kind === 0) return void setImmediate(() => s.cancel());
    s.write(TrackRequest.fromPartial({ timestampUs: i, task: TrackTask.TRACK_TASK_FACES, frame }));
    if (kind === 1) return void setImmediate(() => s.cancel());
    s.once('data', () => s.cancel());
  });

  const runAll = async (count: number, offset: number): Promise<void> => {
    let next = offset;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      let used = 0;
      let client = ownConnection();
      while (next < offset + count) {
        if (++used > STREAMS_PER_CONNECTION) {
          client.close();
          client = ownConnection();
          used = 1;
        }
        await churn(client, next++);
      }
      client.close();
    }));
  };

  it('leaks no streams, sessions or descriptors', async () => {
    await runAll(300, 0); // warm-up: model loaded, channels and pools at their working size
    assert.deepEqual(failures, []);
    await new Promise((r) => setTimeout(r, 1_000));
    const [child] = server.childPids();
    assert.ok(child !== undefined);
    const before = { supervisor: openFds(server.pid), child: openFds(child) };
    const t0 = Date.now();
    await runAll(STREAMS, 300);
    const seconds = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1_500));
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} streams ended with an error other than CANCELLED`);
    const afterFds = { supervisor: openFds(server.pid), child: openFds(child) };
    process.stdout.write(`# ${STREAMS} streams in ${seconds.toFixed(1)} s; fds before ${JSON.stringify(before)}, after ${JSON.stringify(afterFds)}\n`);
    assert.ok(afterFds.supervisor <= before.supervisor + 4, `supervisor fds ${before.supervisor} → ${afterFds.supervisor}`);
    assert.ok(afterFds.child <= before.child + 4, `child fds ${before.child} → ${afterFds.child}`);
    const rt: GetRuntimeStatusResponse = await call(models, models.getRuntimeStatus, {});
    const face = rt.runtime?.models.find((m) => m.model === FACE);
    assert.ok(face, 'the face detector is loaded');
    assert.equal(face.inFlight, 0, 'no call is still counted in flight on the child');
    await call(models, models.unloadModel, { model: FACE });
    await assertStillServing(server, child);
  });
});
