// The Holistic method as the child serves it, on models loaded through the child's LoadedModels table and ONNX
// loader: face mesh and hand landmarks run on worker threads made from the models' bytes, so their
// runs overlap in time (worker-side timestamps); results match the in-process pipeline and FaceMesh;
// unloading a model stops its workers.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import { createLogger, encodeRoles, MODELS_KEY } from '@tabagent/common';
import { HolisticRequest, type HolisticResponse } from '@tabagent/protos/v1/vision';
import { LoadedModels } from '../../runtime/loaded-models.js';
import { createOnnxLoader, OnnxHandle } from '../../runtime/onnx-loader.js';
import { FaceMesh } from '../../pipelines/face-mesh/face-mesh.js';
import { loadBodyTestModel } from '../../vision/testing/body-models.js';
import { HolisticPipeline } from '../../pipelines/holistic/holistic-pipeline.js';
import { onnxBytesOf } from '../../vision/testing/onnx-bytes.js';
import { ThreadedSession } from '../../runtime/threaded-session.js';
import type { RunSpan } from '../../runtime/worker-session.js';
import { frameToRgb } from '../../vision/image/frame.js';
import { readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModel, type TestModel } from '../../vision/testing/models.js';
import type { Landmark } from '../../vision/types.js';
import { HOLISTIC_WORKERS_KEY, holisticMethod, holisticModels } from './holistic.js';

const IDS = { detector: 'test/pose-detection', landmarks: 'test/pose-full', face: 'test/face-mesh', hand: 'test/hand-full', blazeface: 'test/face-detection' } as const;
type Role = keyof typeof IDS;
/** The same models in process: the reference runs. */
let local: Record<Role, TestModel>;
let loadedModels: LoadedModels;

before(async () => {
  const [detector, landmarks, face, hand, blazeface] = await Promise.all([
    loadBodyTestModel('blazepose-detector'), loadBodyTestModel('blazepose-full'), loadFaceTestModel('facemesh'),
    loadBodyTestModel('handlandmark-full'), loadFaceTestModel('facemesh-detection-short'),
  ]);
  local = { detector, landmarks, face, hand, blazeface };
  const bytes = new Map<string, Uint8Array>();
  for (const role of Object.keys(IDS) as Role[]) bytes.set(IDS[role], await onnxBytesOf(local[role]));
  loadedModels = new LoadedModels({
    loaders: [createOnnxLoader()], defaultThreads: 2, log: createLogger({ proc: 'test', level: 'silent' }),
    fileReader: (manifest) => () => Promise.resolve(bytes.get(manifest.model)!),
  });
  for (const [id, data] of bytes) {
    await loadedModels.load({ model: id, task: 'vision', runtime: 'onnxruntime', files: [{ path: 'model.onnx', size: data.length, sha256: '' }], options: undefined, paramsJson: '' });
  }
});
after(async () => {
  await loadedModels.disposeAll();
  await Promise.all(Object.values(local).map((m) => m.session.release()));
});

function metadata(): Metadata {
  const m = new Metadata();
  m.set(MODELS_KEY, encodeRoles({ detector: IDS.detector, landmarks: IDS.landmarks, face: IDS.face, hand: IDS.hand }));
  return m;
}

function threaded(id: string): ThreadedSession {
  const handle = loadedModels.get(id).handle;
  assert.ok(handle instanceof OnnxHandle);
  const t = handle.attachments.get(HOLISTIC_WORKERS_KEY);
  assert.ok(t instanceof ThreadedSession, `${id} has no worker-thread session`);
  return t;
}

function maxDiff(a: readonly Landmark[], b: readonly Landmark[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((p, i) => Math.max(Math.abs(p.x - b[i]!.x), Math.abs(p.y - b[i]!.y))));
}

/** Milliseconds during which some span of `a` and some span of `b` ran at the same time. */
function overlapMs(a: readonly RunSpan[], b: readonly RunSpan[]): number {
  let total = 0;
  for (const x of a) for (const y of b) total += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
  return total;
}

it('squats_standing_frame000.png: 543 landmarks; face and hand runs on worker threads overlap in time; same landmarks as in process', async () => {
  const holistic = holisticMethod(loadedModels);
  const req = HolisticRequest.fromPartial({ frame: { encoded: Buffer.from(readImageBytes('squats_standing_frame000.png')) } });
  await holistic(req, metadata()); // starts the workers (this call runs in process meanwhile)
  const face = threaded(IDS.face);
  const hand = threaded(IDS.hand);
  assert.deepEqual(await Promise.all([face.start(), hand.start()]), [true, true]);
  assert.deepEqual([face.liveWorkers, hand.liveWorkers, face.fallbackReason, hand.fallbackReason], [1, 2, undefined, undefined]);
  const overlaps: number[] = [];
  let res: HolisticResponse | undefined;
  for (let i = 0; i < 3; i++) {
    const spans: Record<'face' | 'hand', RunSpan[]> = { face: [], hand: [] };
    face.onRun = (s) => spans.face.push(s);
    hand.onRun = (s) => spans.hand.push(s);
    res = await holistic(req, metadata());
    assert.ok(spans.face.length >= 1 && spans.hand.length >= 2, `runs: face ${spans.face.length}, hands ${spans.hand.length}`);
    overlaps.push(overlapMs(spans.face, spans.hand));
  }
  face.onRun = undefined;
  hand.onRun = undefined;
  console.log(`face/hand worker runs overlapped by ${overlaps.map((o) => o.toFixed(1)).join(', ')} ms in 3 frames; timing ${JSON.stringify(res!.timing)}`);
  assert.ok(overlaps.some((o) => o > 0), 'face and hand runs never overlapped');
  // Overlapping runs count once in the timing: inference cannot exceed the request's wall time.
  assert.ok(res!.timing!.inferenceMs > 0 && res!.timing!.inferenceMs <= res!.timing!.totalMs, JSON.stringify(res!.timing));

  const ref = new HolisticPipeline({ poseDetector: local.detector.session, poseLandmarks: local.landmarks.session, faceMesh: local.face.session, handLandmarks: local.hand.session });
  try {
    const r = await ref.process({ encoded: readImageBytes('squats_standing_frame000.png') });
    const got = res!;
    assert.deepEqual([got.pose?.landmarks.length, got.face?.landmarks.length, got.leftHand?.landmarks.length, got.rightHand?.landmarks.length], [33, 468, 21, 21]);
    const diffs = [maxDiff(got.face!.landmarks, r.face!.landmarks), maxDiff(got.leftHand!.landmarks, r.leftHand!.landmarks), maxDiff(got.rightHand!.landmarks, r.rightHand!.landmarks)];
    for (const d of diffs) assert.ok(d < 1e-4, `worker-thread and in-process landmarks differ by ${d}`);
  } finally {
    ref.dispose();
  }
});

it('portrait.jpg: face within 0.02 of FaceMesh on the same models', async () => {
  const encoded = readImageBytes('portrait.jpg');
  const res = await holisticMethod(loadedModels)(HolisticRequest.fromPartial({ frame: { encoded: Buffer.from(encoded) } }), metadata());
  const mesh = new FaceMesh({ detector: local.blazeface.session, mesh: local.face.session });
  try {
    const [reference] = await mesh.runRgb(await frameToRgb({ encoded }));
    const diff = maxDiff(res.face!.landmarks, reference!.landmarks);
    assert.equal(res.pose?.landmarks.length, 33);
    assert.ok(diff <= 0.02, `face differs from FaceMesh by ${diff}`);
  } finally {
    mesh.dispose();
  }
});

it('unloading the face or hand model stops its worker threads', async () => {
  const models = holisticModels(loadedModels, { detector: IDS.detector, landmarks: IDS.landmarks, face: IDS.face, hand: IDS.hand });
  const face = threaded(models.face.id);
  const hand = threaded(models.hand.id);
  assert.deepEqual([face.liveWorkers, hand.liveWorkers], [1, 2]);
  assert.equal(await loadedModels.unload(IDS.face), true);
  assert.equal(face.liveWorkers, 0);
  assert.equal(hand.liveWorkers, 2);
  assert.equal(await loadedModels.unload(IDS.hand), true);
  assert.equal(hand.liveWorkers, 0);
  await assert.rejects(face.run({}), (e: unknown) => (e as { code?: string }).code === 'VISION_DISPOSED');
});
