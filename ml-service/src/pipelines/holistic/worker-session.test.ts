// WorkerSession: same outputs as an in-process session, holistic parts running on worker threads give
// the same landmarks, a released session refuses work, idle workers never keep the process alive.
// ThreadedSession: in process until its workers are ready, in process with a reason when they cannot
// start. Prints in-process vs worker latencies.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import ort from 'onnxruntime-node';
import { loadBodyTestModel } from '../../vision/testing/body-models.js';
import { frameToRgb } from '../../vision/image/frame.js';
import { readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModel, type TestModel } from '../../vision/testing/models.js';
import type { Landmark } from '../../vision/types.js';
import { HolisticPipeline } from './holistic-pipeline.js';
import type { HolisticResult, HolisticSessions } from './holistic-types.js';
import { onnxBytesOf } from '../../vision/testing/onnx-bytes.js';
import { ThreadedSession } from '../../runtime/threaded-session.js';
import { WorkerSession, WorkerSessionError } from '../../runtime/worker-session.js';

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
      ra = await a.runRgb(image);
      parts.inProcess.push(a.timings.partsMs);
      rb = await b.runRgb(image);
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

it('idle workers do not keep the process alive; runs report worker-side compute spans', async () => {
  // A process that starts a worker session, runs it once and never releases it must still exit.
  const module = new URL('../../runtime/worker-session.js', import.meta.url).href;
  const script = [
    `import { WorkerSession } from ${JSON.stringify(module)};`,
    'const chunks = []; for await (const c of process.stdin) chunks.push(c);',
    'const s = await WorkerSession.create(new Uint8Array(Buffer.concat(chunks)), { workers: 2 });',
    'const spans = []; s.onRun = (span) => spans.push(span);',
    'const input = { data: new Float32Array(192 * 192 * 3), dims: [1, 192, 192, 3], type: "float32" };',
    'await s.run({ [s.inputNames[0]]: input });',
    'console.log(JSON.stringify({ spans, live: s.liveWorkers, started: performance.timeOrigin }));',
  ].join('\n');
  const dir = await mkdtemp(join(tmpdir(), 'worker-session-'));
  const file = join(dir, 'idle.mjs');
  await writeFile(file, script);
  const child = spawn(process.execPath, [file], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(await onnxBytesOf(local.face));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code, signal] = (await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])))) as [number | null, string | null];
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
  assert.deepEqual([code, signal], [0, null], `the process did not exit by itself (output: ${out})`);
  const report = JSON.parse(out) as { spans: { start: number; end: number }[]; live: number; started: number };
  assert.equal(report.live, 2);
  assert.equal(report.spans.length, 1);
  const span = report.spans[0]!;
  assert.ok(span.start >= report.started && span.end > span.start && span.end - span.start < 5_000, `span ${JSON.stringify(span)}`);
});

it('ThreadedSession runs in process until its workers are ready, then on them; bad bytes fall back with a reason', async () => {
  const bytes = await onnxBytesOf(local.face);
  const feeds = { [local.face.session.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(192 * 192 * 3).fill(0.25), [1, 192, 192, 3]) };
  const t = new ThreadedSession(local.face.session, bytes, { workers: 1 });
  const bad = new ThreadedSession(local.face.session, new Uint8Array([1, 2, 3]), { workers: 1 });
  try {
    const spans: unknown[] = [];
    t.onRun = (span) => spans.push(span);
    const first = await t.run(feeds); // starts the workers in the background, runs in process
    assert.equal(spans.length, 0);
    assert.equal(await t.start(), true);
    const second = await t.run(feeds);
    assert.deepEqual([spans.length, t.liveWorkers, t.fallbackReason], [1, 1, undefined]);
    const name = local.face.session.outputNames[0]!;
    const [a, b] = [first[name]!.data as Float32Array, second[name]!.data as Float32Array];
    assert.equal(a.length, b.length);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) <= 1e-4 * Math.max(1, Math.abs(v))), 'worker and in-process outputs differ');

    const told: string[] = [];
    bad.onFallback = (reason) => told.push(reason);
    assert.equal(await bad.start(), false);
    assert.match(bad.fallbackReason ?? '', /worker threads did not start/);
    const fallback = await bad.run(feeds);
    await bad.run(feeds);
    assert.deepEqual(told, [bad.fallbackReason], 'the fallback is reported once, with its reason');
    assert.equal((fallback[name]!.data as Float32Array).length, a.length);
  } finally {
    await Promise.all([t.dispose(), bad.dispose(), t.dispose()]);
  }
  assert.equal(t.liveWorkers, 0);
  await assert.rejects(t.run(feeds), (e: unknown) => (e as { code?: string }).code === 'VISION_DISPOSED');
});
