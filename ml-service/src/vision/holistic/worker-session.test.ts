// WorkerSession: same outputs as an in-process session, holistic parts running on worker threads give
// the same landmarks, and a released session refuses work. Prints in-process vs worker latencies.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadBodyTestModel } from '../hands/test-models.js';
import { frameToRgb } from '../image/frame.js';
import { readImageBytes } from '../testing/golden.js';
import { loadFaceTestModel, type TestModel } from '../testing/models.js';
import type { Landmark } from '../types.js';
import { HolisticPipeline } from './holistic-pipeline.js';
import type { HolisticResult, HolisticSessions } from './holistic-types.js';
import { onnxBytesOf } from './test-onnx.js';
import { WorkerSession, WorkerSessionError } from './worker-session.js';

let local: { detector: TestModel; pose: TestModel; face: TestModel; hand: TestModel };
let faceWorker: WorkerSession;
let handWorkers: WorkerSession;

before(async () => {
  const [detector, pose, face, hand] = await Promise.all([
    loadBodyTestModel('blazepose-detector'),
    loadBodyTestModel('blazepose-full'),
    loadFaceTestModel('facemesh'),
    loadBodyTestModel('handlandmark-full'),
  ]);
  local = { detector, pose, face, hand };
  [faceWorker, handWorkers] = await Promise.all([
    WorkerSession.create(await onnxBytesOf(face)),
    WorkerSession.create(await onnxBytesOf(hand), { workers: 2 }),
  ]);
});
after(async () => {
  await Promise.all([...Object.values(local).map((m) => m.session.release()), faceWorker.release(), handWorkers.release()]);
});

function maxDiff(a: readonly Landmark[] | undefined, b: readonly Landmark[] | undefined): number {
  assert.ok(a !== undefined && b !== undefined && a.length === b.length);
  return Math.max(...a.map((p, i) => Math.max(Math.abs(p.x - b[i]!.x), Math.abs(p.y - b[i]!.y), Math.abs(p.z - b[i]!.z))));
}

it('holistic with face and hand models on worker threads matches the in-process run', async () => {
  const base = { poseDetector: local.detector.session, poseLandmarks: local.pose.session };
  const inProcess: HolisticSessions = { ...base, faceMesh: local.face.session, handLandmarks: local.hand.session };
  const workers: HolisticSessions = { ...base, faceMesh: faceWorker.asInferenceSession(), handLandmarks: handWorkers.asInferenceSession() };
  assert.deepEqual(faceWorker.inputNames, local.face.session.inputNames);
  assert.deepEqual(handWorkers.outputNames, local.hand.session.outputNames);
  const a = new HolisticPipeline(inProcess);
  const b = new HolisticPipeline(workers);
  const image = await frameToRgb({ encoded: readImageBytes('squats_standing_frame000.png') });
  const parts: Record<'inProcess' | 'workers', number[]> = { inProcess: [], workers: [] };
  let ra: HolisticResult | undefined;
  let rb: HolisticResult | undefined;
  try {
    for (let i = 0; i < 6; i++) {
      ra = await a.processImage(image);
      parts.inProcess.push(a.timings.partsMs);
      rb = await b.processImage(image);
      parts.workers.push(b.timings.partsMs);
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  const diffs = [maxDiff(ra!.face?.landmarks, rb!.face?.landmarks), maxDiff(ra!.leftHand?.landmarks, rb!.leftHand?.landmarks), maxDiff(ra!.rightHand?.landmarks, rb!.rightHand?.landmarks)];
  console.log(
    `face + 2 hands stage, median of 6: in-process ${median(parts.inProcess).toFixed(1)} ms, worker threads ${median(parts.workers).toFixed(1)} ms; ` +
      `max landmark difference ${Math.max(...diffs).toExponential(2)}`,
  );
  assert.deepEqual([ra!.landmarkCount, rb!.landmarkCount], [543, 543]);
  for (const d of diffs) assert.ok(d < 1e-4, `worker and in-process landmarks differ by ${d}`);
});

it('a released worker session rejects runs with VISION_WORKER_FAILED; release is idempotent', async () => {
  const s = await WorkerSession.create(await onnxBytesOf(local.face), { workers: 2 });
  await s.release();
  await s.release();
  await assert.rejects(s.run({}), (e: unknown) => e instanceof WorkerSessionError && e.code === 'VISION_WORKER_FAILED');
  await assert.rejects(WorkerSession.create(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof WorkerSessionError && /cannot create session/.test(e.message));
});
