// End-to-end: the worker threads Holistic runs face mesh and hands on, seen from outside the real ML
// child — the first Holistic call starts them (the child's thread count grows), UnloadModel of the
// face mesh and hand models stops them (it shrinks again), and the child still exits on SIGTERM.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { call, connect, type PublicClients } from '../support/clients.js';
import { waitGone } from '../support/processes.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { PixelFormat } from '@tabagent/protos/v1/vision';
import { preload, rgbOf, vision, visionHolistic } from './vision-helpers.js';

const FACE = 'mediapipe/face-mesh';
const HAND = 'mediapipe/hand-landmark-full';
const POSE_MODELS = ['mediapipe/pose-detection', 'mediapipe/pose-landmark-full'];
/** Holistic's worker threads: one for the face mesh, one per hand. */
const WORKERS = 3;

let server: ServerUnderTest;
let c: PublicClients;

before(async () => {
  server = await startServer();
  c = connect(server.address);
  await preload(c, POSE_MODELS);
  // One intra-op thread: their in-process sessions own no thread pool, so only workers change the count.
  for (const model of [FACE, HAND]) await call(c.models, c.models.loadModel, { model, options: { devices: [], threads: 1, keepAliveSeconds: -1 } }, { timeoutMs: 180_000 });
});
after(async () => {
  c?.close();
  if (server) await server.stop('SIGTERM');
});

/** Threads of a process, from the kernel's process table. */
function threadsOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Threads:'));
  assert.ok(line !== undefined, `no thread count for pid ${pid}`);
  return Number(line.slice('Threads:'.length).trim());
}

it('Holistic starts 3 worker threads in the child; unloading face mesh and hand models stops them; SIGTERM still ends the child', async () => {
  const [child] = server.childPids();
  assert.ok(child !== undefined, 'no ML child');
  // Raw RGB: no image decoder threads come and go in the child while threads are counted.
  const rgb = await rgbOf('squats_standing_frame000.png');
  const frame = { ...rgb, format: PixelFormat.PIXEL_FORMAT_RGB };
  // A Pose call first, so the pose sessions have made their threads already.
  await vision(c, 'pose', { frame });
  const idle = threadsOf(child);
  const res = await visionHolistic(c, { frame });
  assert.deepEqual([res.pose?.landmarks.length, res.face?.landmarks.length, res.leftHand?.landmarks.length, res.rightHand?.landmarks.length], [33, 468, 21, 21]);
  // The workers start in the background during the first call: keep calling until they are there.
  let busy = threadsOf(child);
  for (let i = 0; i < 20 && busy < idle + WORKERS; i++) {
    await visionHolistic(c, { frame });
    busy = threadsOf(child);
  }
  for (const model of [FACE, HAND]) await call(c.models, c.models.unloadModel, { model });
  // Stopped threads can take a moment to leave the process table.
  let unloaded = threadsOf(child);
  for (let i = 0; i < 40 && unloaded > busy - WORKERS; i++) {
    await new Promise((r) => setTimeout(r, 50));
    unloaded = threadsOf(child);
  }
  console.log(`ML child threads: ${idle} before Holistic, ${busy} after, ${unloaded} after unloading ${FACE} and ${HAND}`);
  assert.ok(busy >= idle + WORKERS, `Holistic added ${busy - idle} threads, expected at least ${WORKERS}`);
  assert.ok(unloaded <= busy - WORKERS, `unloading removed ${busy - unloaded} threads, expected at least ${WORKERS}`);

  // Used again, the models are loaded again and new workers start; a SIGTERM still ends the child.
  const again = await visionHolistic(c, { frame });
  assert.equal(again.face?.landmarks.length, 468);
  assert.equal(await server.stop('SIGTERM'), 0);
  assert.equal(await waitGone([child], 5_000), true, 'the ML child outlived the server');
});
