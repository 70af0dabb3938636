// bench:vision — 640×480 raw RGB frames, side by side in one run for each vision task: model-only
// time (onnxruntime session.run on the tensors the pipeline prepared from the frame, each run one frame needs), the full
// in-process pipeline, unary calls through tabagent-server and straight to an ML child, and Track
// throughput against the same loop in process; then tracked face mesh against detect-every-frame.
// Env: TABAGENT_BENCH_RUNS (default 30), TABAGENT_BENCH_THREADS (intra-op threads, default 0 = runtime default),
// TABAGENT_BENCH_CASES (comma-separated parts of case names to run, e.g. "objects,segmentation"; default all).
import { credentials } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient, type LoadModelRequest, type LoadModelResponse } from '@tabagent/protos/v1/model_management';
import ort from 'onnxruntime-node';
import { benchFrame, CASES, loadSessions, type Loop, type Sessions, type VisionCase } from './bench-vision-cases.js';
import { endpoint, startDirectChild, trackThroughput, unaryTimes, type Endpoint } from './bench-vision-remote.js';
import { startBenchServer } from './bench-support/server.js';
import { benchShmDir, inlineFrames, shmFrames } from './bench-vision-shm.js';
import { rmSync } from 'node:fs';
import { median, num } from './bench-support/stats.js';
import { figure, printSummary, type Figure } from './bench-support/summary.js';
import { TrackTask } from '@tabagent/protos/v1/vision';
import type { RawFrame } from '../../ml-service/dist/vision/types.js';

const RUNS = Number(process.env['TABAGENT_BENCH_RUNS'] ?? 30);
const THREADS = Number(process.env['TABAGENT_BENCH_THREADS'] ?? 0);
const ONLY = (process.env['TABAGENT_BENCH_CASES'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const SELECTED = ONLY.length === 0 ? CASES : CASES.filter((c) => ONLY.some((part) => c.name.includes(part)));

interface Row {
  name: string;
  runs: string;
  modelMs: number;
  /** Model-only time on a constant 0.5 tensor instead of the frame's own input (for comparison). */
  constModelMs: number;
  pipelineMs: number;
  unaryMs: number;
  /** Unary through the server with the frame in a shared-memory region (the client's write included). */
  shmMs: number;
  directMs: number;
  trackFps: number;
  shmTrackFps: number;
  loopFps: number;
  trackDropped: number;
}

async function timeLoop(l: Loop, frame: RawFrame, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    await l.step(frame, 1_000_000 + i * 33_333);
    if (i >= 3) out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Wraps sessions so that every run is counted and a copy of its feeds kept: the model-only time is
 * then measured on the very tensors one frame of the pipeline feeds. (Model speed depends on the
 * input values: PRelu layers, as in face mesh, run several times faster on a constant tensor than
 * on a real image, so a constant tensor understates the model.)
 */
function recordingSessions(sessions: Sessions, feeds: Array<{ role: string; feeds: Record<string, ort.Tensor> }>): Sessions {
  const out: Sessions = {};
  for (const [role, s] of Object.entries(sessions)) {
    out[role] = new Proxy(s, {
      get(target, prop) {
        if (prop === 'run') {
          return (f: Record<string, ort.Tensor>, ...rest: unknown[]) => {
            const copy: Record<string, ort.Tensor> = {};
            for (const [name, t] of Object.entries(f)) copy[name] = new ort.Tensor(t.type, (t.data as Float32Array).slice(), t.dims);
            feeds.push({ role, feeds: copy });
            return (target.run as (...a: unknown[]) => Promise<unknown>)(f, ...rest);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
  return out;
}

async function medianRun(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    await s.run(feeds);
    if (i >= 3) times.push(performance.now() - t0);
  }
  return median(times);
}

async function inProcess(c: VisionCase, frame: RawFrame): Promise<Pick<Row, 'runs' | 'modelMs' | 'constModelMs' | 'pipelineMs' | 'loopFps'>> {
  const { sessions, inputs } = await loadSessions(c.roles, THREADS);
  try {
    const recorded: Array<{ role: string; feeds: Record<string, ort.Tensor> }> = [];
    const probe = c.pipeline(recordingSessions(sessions, recorded));
    await probe.step(frame, 0);
    await probe.dispose();
    const counts: Record<string, number> = {};
    let constModelMs = 0;
    for (const r of recorded) {
      const s = sessions[r.role]!;
      counts[r.role] = (counts[r.role] ?? 0) + 1;
      constModelMs += await medianRun(s, { [s.inputNames[0]!]: inputs[r.role]! });
    }
    // Model-only and pipeline alternate frame by frame, so both see the same machine state.
    const pipeline = c.pipeline(sessions);
    const modelTimes: number[] = [];
    const pipelineTimes: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      let t0 = performance.now();
      for (const r of recorded) await sessions[r.role]!.run(r.feeds);
      const model = performance.now() - t0;
      t0 = performance.now();
      await pipeline.step(frame, 1_000_000 + i * 33_333);
      if (i >= 3) {
        pipelineTimes.push(performance.now() - t0);
        modelTimes.push(model);
      }
    }
    const modelMs = median(modelTimes);
    const pipelineMs = median(pipelineTimes);
    await pipeline.dispose();
    const tracker = c.tracker(sessions);
    const loopTimes = await timeLoop(tracker, frame, RUNS * 2);
    await tracker.dispose();
    const loopFps = loopTimes.length / (loopTimes.reduce((a, b) => a + b, 0) / 1000);
    return { runs: Object.entries(counts).map(([r, n]) => `${r[0]}×${n}`).join(' '), modelMs, constModelMs, pipelineMs, loopFps };
  } finally {
    await Promise.all(Object.values(sessions).map((s) => s.release()));
  }
}

function loadModel(models: ModelManagementClient, model: string): Promise<LoadModelResponse> {
  const req: LoadModelRequest = { model, options: { devices: [], threads: THREADS, keepAliveSeconds: -1 } };
  return new Promise((resolve, reject) => models.loadModel(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function ratio(a: number, b: number, target: number, atMost: boolean): string {
  const r = a / b;
  const ok = atMost ? r <= target : r >= target;
  return `${r.toFixed(2)}×${ok ? ' ' : '!'}`.padStart(8);
}

function print(rows: readonly Row[]): void {
  console.log('\n640×480 RGB frames, milliseconds are medians; "!" marks a missed target; "shm" = frame in a shared-memory region (SharedMemory service)');
  console.log('task              runs/frame        model  pipeline  pipe/model  unary(server)  unary/pipe  unary(shm)  shm/pipe  unary(child)   Track fps  Track/loop  shm Track fps  shm/loop  loop fps  dropped');
  console.log('                                                     (≤1.30×)                  (≤1.50×)               (≤1.50×)                             (≥0.90×)                 (≥0.90×)');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(17)} ${r.runs.padEnd(15)} ${num(r.modelMs, 2, 7)} ${num(r.pipelineMs, 2, 9)} ${ratio(r.pipelineMs, r.modelMs, 1.3, true).padStart(11)}` +
        ` ${num(r.unaryMs, 2, 14)} ${ratio(r.unaryMs, r.pipelineMs, 1.5, true).padStart(11)} ${num(r.shmMs, 2, 11)} ${ratio(r.shmMs, r.pipelineMs, 1.5, true).padStart(9)}` +
        ` ${num(r.directMs, 2, 13)} ${num(r.trackFps, 1, 11)} ${ratio(r.trackFps, r.loopFps, 0.9, false).padStart(11)}` +
        ` ${num(r.shmTrackFps, 1, 14)} ${ratio(r.shmTrackFps, r.loopFps, 0.9, false).padStart(9)} ${num(r.loopFps, 1, 9)} ${String(r.trackDropped).padStart(8)}`,
    );
  }
  console.log('model = session.run on the tensors the pipeline fed for this frame; on a constant 0.5 tensor instead:');
  console.log(rows.map((r) => `  ${r.name} ${r.constModelMs.toFixed(2)} ms (pipeline ${(r.pipelineMs / r.constModelMs).toFixed(2)}×)`).join('\n'));
}

async function main(): Promise<void> {
  const shmDir = benchShmDir();
  const server = await startBenchServer(['--shm-dir', shmDir]);
  const models = new ModelManagementClient(server.address, credentials.createInsecure(), grpcChannelOptions());
  if (SELECTED.length === 0) throw new Error(`TABAGENT_BENCH_CASES=${ONLY.join(',')} matches none of: ${CASES.map((c) => c.name).join(', ')}`);
  const ids = [...new Set(SELECTED.flatMap((c) => Object.values(c.roles)))];
  let child: { stop(): void } | undefined;
  const eps: Endpoint[] = [];
  try {
    for (const id of ids) await loadModel(models, id);
    const direct = await startDirectChild(ids, THREADS);
    child = direct;
    const viaServer = endpoint(server.address, false);
    const toChild = endpoint(direct.address, true);
    eps.push(viaServer, toChild);
    const rows: Row[] = [];
    let meshTrack = 0;
    for (const c of SELECTED) {
      const frame = await benchFrame(c.image);
      const local = await inProcess(c, frame);
      const inline = inlineFrames(frame);
      const shm = await shmFrames(server.address, shmDir, frame);
      const unaryMs = median(await unaryTimes(viaServer, c, inline, RUNS));
      const shmMs = median(await unaryTimes(viaServer, c, shm.source, RUNS));
      const directMs = median(await unaryTimes(toChild, c, inline, RUNS));
      const track = await trackThroughput(viaServer, c, inline, RUNS * 2);
      const shmTrack = await trackThroughput(viaServer, c, shm.source, RUNS * 2);
      await shm.close();
      rows.push({ name: c.name, ...local, unaryMs, shmMs, directMs, trackFps: track.fps, shmTrackFps: shmTrack.fps, trackDropped: track.dropped + shmTrack.dropped });
      if (c.track.task === TrackTask.TRACK_TASK_FACE_MESH) meshTrack = track.fps;
      process.stderr.write(`${c.name}: done (Track detector runs ${track.detectorRuns}/${track.results})\n`);
    }
    print(rows);
    const figures: Figure[] = rows.flatMap((r) => [
      figure(`${r.name} unary/pipeline`, r.unaryMs / r.pipelineMs, '×', { text: '≤ 1.5', met: r.unaryMs / r.pipelineMs <= 1.5 }),
      figure(`${r.name} Track/loop fps`, r.trackFps / r.loopFps, '×', { text: '≥ 0.9', met: r.trackFps / r.loopFps >= 0.9 }),
    ]);
    const mesh = rows.find((r) => r.name === 'face mesh');
    if (mesh) {
      const detectEvery = 1000 / mesh.pipelineMs;
      console.log(`\nface mesh in process: tracked ${mesh.loopFps.toFixed(1)} fps vs detect-every-frame ${detectEvery.toFixed(1)} fps = ${ratio(mesh.loopFps, detectEvery, 2, false).trim()} (target ≥ 2×)`);
      console.log(`face mesh end to end: Track (tracked) ${meshTrack.toFixed(1)} fps vs unary (detect every frame) ${(1000 / mesh.unaryMs).toFixed(1)} fps = ${(meshTrack * mesh.unaryMs / 1000).toFixed(2)}×`);
      figures.push(figure('face mesh tracked / detect-every-frame', mesh.loopFps * mesh.pipelineMs / 1000, '×', { text: '≥ 2', met: mesh.loopFps * mesh.pipelineMs / 1000 >= 2 }));
    }
    printSummary('vision', figures);
  } finally {
    for (const e of eps) e.close();
    models.close();
    child?.stop();
    await server.stop();
    rmSync(shmDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
