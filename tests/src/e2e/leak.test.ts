// End-to-end leak check: 200 calls of every vision task, then 50 load/unload cycles, through a real
// tabagent-server. After a warm-up, the ML child's RSS, open file descriptors and threads (every
// onnxruntime session owns an intra-op thread pool, so a session left behind shows up as threads)
// must come back within the bounds below, and the supervisor's descriptors must not grow.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { PixelFormat, type DeepPartial, type Frame } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { call, connect, type PublicClients } from '../support/clients.js';
import { testImage } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, preload, vision, visionHolistic } from './vision-helpers.js';

const CALLS_PER_TASK = 200;
const CYCLES = 50;
/** RSS may grow this much after the warm-up (allocator arenas settle; a leak of one image per call would not). */
const RSS_GROWTH = 0.15;
const MODELS = [
  'mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/iris', 'mediapipe/palm-detection', 'mediapipe/hand-landmark-full',
  'mediapipe/pose-detection', 'mediapipe/pose-landmark-full', 'mediapipe/selfie-segmentation',
];
const CYCLED = 'mediapipe/face-detection-short';

interface Footprint { rssMiB: number; fds: number; threads: number }

function footprint(pid: number): Footprint {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { rssMiB: Number(rss?.[1] ?? NaN) / 1024, fds: readdirSync(`/proc/${pid}/fd`).length, threads: readdirSync(`/proc/${pid}/task`).length };
}

/** A test image as packed RGB, its longer side scaled to 480 pixels. */
async function rawFrame(name: string): Promise<DeepPartial<Frame>> {
  const { data, info } = await sharp(testImage(name)).removeAlpha().resize(480, 480, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, format: PixelFormat.PIXEL_FORMAT_RGB };
}

function assertWithin(label: string, before: Footprint, after: Footprint): void {
  process.stdout.write(`${label}: child ${JSON.stringify(before)} → ${JSON.stringify(after)}\n`);
  assert.ok(after.rssMiB <= before.rssMiB * (1 + RSS_GROWTH), `${label}: child RSS ${before.rssMiB.toFixed(1)} → ${after.rssMiB.toFixed(1)} MiB`);
  assert.ok(after.fds <= before.fds + 2, `${label}: child fds ${before.fds} → ${after.fds}`);
  assert.ok(after.threads <= before.threads, `${label}: child threads ${before.threads} → ${after.threads}`);
}

describe('no leaks across many calls and load/unload cycles', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let childPid: number;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--keep-alive', '-1'] });
    c = connect(server.address);
    await preload(c, MODELS);
    childPid = server.childPids()[0]!;
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it(`${CALLS_PER_TASK} calls of each vision task leave the child's RSS, fds and threads where they were`, async () => {
    // Camera-sized raw frames (no decode per call), so 1,400 calls stay short on two cores.
    const face = await rawFrame('portrait.jpg');
    const hands = await rawFrame('left_hands.jpg');
    const body = await rawFrame('squats_standing_frame000.png');
    const tasks: Array<[string, () => Promise<number>]> = [
      ['faces', async () => (await vision(c, 'detectFaces', { frame: face })).faces.length],
      ['mesh', async () => (await vision(c, 'faceMesh', { frame: face })).faces.length],
      ['iris', async () => (await vision(c, 'iris', { frame: face })).faces.length],
      ['hands', async () => (await vision(c, 'hands', { frame: hands })).hands.length],
      ['pose', async () => (await vision(c, 'pose', { frame: body })).poses.length],
      ['holistic', async () => ((await visionHolistic(c, { frame: body })).pose === undefined ? 0 : 1)],
      ['segment', async () => ((await vision(c, 'segment', { frame: face })).mask === undefined ? 0 : 1)],
    ];
    const round = async (n: number): Promise<void> => {
      const ms: Record<string, number> = {};
      for (const [name, run] of tasks) {
        const t0 = performance.now();
        for (let i = 0; i < n; i += 2) {
          const found = await Promise.all([run(), run()]);
          assert.ok(found.every((f) => f > 0), `${name} found nothing on call ${i}`);
        }
        ms[name] = Math.round(performance.now() - t0);
      }
      process.stdout.write(`${n} calls per task took (ms): ${JSON.stringify(ms)}\n`);
    };
    await round(20); // warm-up: pools, arenas and worker threads reach their steady size
    const fdsSupervisor = footprint(server.pid).fds;
    const start = footprint(childPid);
    await round(CALLS_PER_TASK);
    assertWithin(`${CALLS_PER_TASK} calls per task`, start, footprint(childPid));
    assert.ok(footprint(server.pid).fds <= fdsSupervisor + 2, 'supervisor fds grew');
    assert.deepEqual(server.childPids(), [childPid], 'the child was not restarted');
  });

  it(`${CYCLES} load/unload cycles of a model release its sessions`, async () => {
    const cycle = async (): Promise<void> => {
      const un = await call(c.models, c.models.unloadModel, { model: CYCLED });
      assert.equal(un.model?.state, ModelState.MODEL_STATE_UNLOADED);
      const loaded = await call(c.models, c.models.loadModel, { model: CYCLED, options: { devices: [], threads: 0, keepAliveSeconds: -1 } });
      assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY);
      assert.equal((await vision(c, 'detectFaces', { frame: encodedFrame('portrait.jpg') })).faces.length, 1);
    };
    for (let i = 0; i < 5; i++) await cycle(); // warm-up
    const start = footprint(childPid);
    for (let i = 0; i < CYCLES; i++) await cycle();
    assertWithin(`${CYCLES} load/unload cycles`, start, footprint(childPid));
    assert.deepEqual(server.childPids(), [childPid], 'the child was not restarted');
  });
});
