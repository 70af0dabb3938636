// bench:proxy's four targets: each starts the servers it needs, measures, prints its figures and
// returns them for the summary line.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { TrackTask } from '@tabagent/protos/v1/vision';
import { benchFrame } from './bench-vision-cases.js';
import { inlineFrames, shmFrames } from './bench-vision-shm.js';
import { cpuMs, ownCpuMs } from './bench-support/cpu.js';
import { startHttp2Floor } from './bench-support/http2-floor.js';
import { freePort, startMlNode } from './bench-support/ml-node.js';
import { measureGenerate, GENERATE_MODEL } from './bench-support/proxy-generate.js';
import { trackInProcess, trackThroughServer, type TrackWork } from './bench-support/proxy-track.js';
import { measureUnary, type UnaryRun } from './bench-support/proxy-unary.js';
import { startBenchServer, type BenchServer } from './bench-support/server.js';
import { median, num } from './bench-support/stats.js';
import { figure, type Figure } from './bench-support/summary.js';
import { sharedDir } from './bench-support/paths.js';

/** Options every target reads. */
export interface ProxyOptions {
  readonly calls: number;
  readonly seconds: number;
  readonly seedSeconds: number;
  readonly runs: number;
  readonly shmDir: string;
}

const THREADS = 1;
const FORWARDERS = ['grpc-js', 'pass-through'] as const;
const say = (s: string): void => void process.stdout.write(`${s}\n`);
const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function server(forwarder: string, shmDir: string, extra: string[] = []): Promise<BenchServer> {
  return startBenchServer(['--forwarder', forwarder, '--shm-dir', shmDir, '--keep-alive', '-1', '--threads', String(THREADS), ...extra]);
}

/** Every descendant process of `pid` (the ML child and what it runs). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      parent.set(Number(d), Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [c, pp] of parent) if (pp === p) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const sumCpu = (pids: readonly number[]): number => pids.reduce((n, p) => n + (cpuMs(p) ?? 0), 0);

/** Target 1: supervisor CPU per unary call, each forwarder, both frame kinds, runs interleaved. */
export async function targetUnary(o: ProxyOptions): Promise<Figure[]> {
  say('\n1. supervisor CPU per proxied unary DetectFaces call (target ≤ 0.3 ms); concurrency 2');
  const servers = { 'grpc-js': await server('grpc-js', o.shmDir), 'pass-through': await server('pass-through', o.shmDir) };
  const floor = await startHttp2Floor();
  const onePixel = { data: new Uint8Array([128, 128, 128]), width: 1, height: 1, format: 'RGB' as const };
  const vga = await benchFrame('portrait.jpg');
  const figures: Figure[] = [];
  try {
    const shm = { 'grpc-js': await shmFrames(servers['grpc-js'].address, o.shmDir, onePixel), 'pass-through': await shmFrames(servers['pass-through'].address, o.shmDir, onePixel) };
    const kinds = [['1-px frame in shared memory', (f: typeof FORWARDERS[number]) => shm[f].source], ['640×480 RGB frame in the message', () => inlineFrames(vga)]] as const;
    for (const [label, frames] of kinds) {
      const res: Partial<Record<typeof FORWARDERS[number], UnaryRun>> = {};
      for (const f of FORWARDERS) res[f] = await measureUnary(servers[f].address, servers[f].proc.pid!, frames(f), o.calls, 2);
      say(`  ${label}`);
      for (const f of FORWARDERS) {
        const r = res[f]!;
        say(`    ${f.padEnd(13)} supervisor CPU ${num(r.supervisorCpuMsPerCall, 3, 7)} ms/call   latency p50 ${num(r.p50Ms, 2, 6)} ms  p99 ${num(r.p99Ms, 2, 6)} ms   ${num(r.callsPerSecond, 0, 5)} calls/s`);
      }
      const g = res['grpc-js']!.supervisorCpuMsPerCall;
      const p = res['pass-through']!.supervisorCpuMsPerCall;
      const bare = await measureUnary(floor.address, floor.proc.pid!, frames('pass-through'), o.calls, 2);
      say(`    ${'bare http2'.padEnd(13)} server CPU     ${num(bare.supervisorCpuMsPerCall, 3, 7)} ms/call   (Node's http2 answering at once: the public hop's floor)`);
      say(`    pass-through / grpc-js supervisor CPU: ${num(p / g, 2, 4)}`);
      const short = label.startsWith('1-px') ? 'shm 1px' : '640x480 in message';
      figures.push(figure(`t1 ${short} grpc-js supervisor CPU/call`, g, 'ms'));
      figures.push(figure(`t1 ${short} pass-through supervisor CPU/call`, p, 'ms', { text: '≤ 0.3', met: p <= 0.3 }));
      figures.push(figure(`t1 ${short} bare http2 server CPU/call`, bare.supervisorCpuMsPerCall, 'ms'));
    }
    for (const s of Object.values(shm)) await s.close();
  } finally {
    for (const s of Object.values(servers)) await s.stop();
    floor.stop();
  }
  return figures;
}

const WORK: ReadonlyArray<{ name: string; work: TrackWork; image: string }> = [
  { name: 'face mesh', work: { task: TrackTask.TRACK_TASK_FACE_MESH, model: '' }, image: 'portrait.jpg' },
  { name: 'pose full', work: { task: TrackTask.TRACK_TASK_POSE, model: 'mediapipe/pose-landmark-full' }, image: 'pose.jpg' },
];

/** Loads a Track workload's models on the server (so the in-process run finds them in the cache). */
async function warm(address: string, w: TrackWork, frames: Parameters<typeof trackThroughServer>[2]): Promise<void> {
  await trackThroughServer(address, w, frames, 1, 1);
}

/** Target 2: 8 lock-step Track streams through the server ÷ 8 in-process pipelines. */
export async function targetCapacity(o: ProxyOptions): Promise<Figure[]> {
  say(`\n2. capacity: 8 Track streams through the server (frames in shared memory) ÷ 8 in-process pipelines (target ≥ 0.85); ${THREADS} intra-op thread per model`);
  const figures: Figure[] = [];
  const srv = await server('pass-through', o.shmDir);
  try {
    for (const { name, work, image } of WORK) {
      const frame = await benchFrame(image);
      const shm = await shmFrames(srv.address, o.shmDir, frame, 16);
      await warm(srv.address, work, shm.source);
      const through = await trackThroughServer(srv.address, work, shm.source, 8, o.seconds);
      await shm.close();
      const local = await trackInProcess(work, frame, 8, o.seconds, THREADS);
      const ratio = through.fps / local.fps;
      say(`  ${name}: through the server ${num(through.fps, 1, 6)} frames/s (${through.frames} frames, p50 ${num(pct(through.latencies, 0.5), 1, 5)} ms); ` +
        `in process ${num(local.fps, 1, 6)} frames/s (${local.frames} frames, p50 ${num(pct(local.latencies, 0.5), 1, 5)} ms); ratio ${num(ratio, 2, 4)}`);
      figures.push(figure(`t2 ${name} server/in-process frames/s`, ratio, '×', { text: '≥ 0.85', met: ratio >= 0.85 }));
    }
  } finally {
    await srv.stop();
  }
  return figures;
}

/** Target 3: 13 camera-like streams at 5 fps of face detection + mesh through the server. */
export async function targetSeed(o: ProxyOptions): Promise<Figure[]> {
  say('\n3. seed scenario: 13 Track streams × 5 fps of face detection + mesh through the server (target: every stream 5 fps, p99 < 100 ms)');
  const srv = await server('pass-through', o.shmDir);
  try {
    const frame = await benchFrame('portrait.jpg');
    const shm = await shmFrames(srv.address, o.shmDir, frame, 26);
    const work = WORK[0]!.work;
    await warm(srv.address, work, shm.source);
    const pid = srv.proc.pid!;
    const kids = descendants(pid);
    const before = { sup: cpuMs(pid) ?? 0, child: sumCpu(kids), client: ownCpuMs() };
    const r = await trackThroughServer(srv.address, work, shm.source, 13, o.seedSeconds, 200);
    const cpu = { sup: (cpuMs(pid) ?? 0) - before.sup, child: sumCpu(kids) - before.child, client: ownCpuMs() - before.client };
    await shm.close();
    // The CPU covers the 2 s warm-up too: divide by every frame answered, warm-up included (≈ 13 × 5 per second).
    const answered = Math.max(1, r.frames + 13 * 5 * 2);
    const minFps = Math.min(...r.perStream) / o.seedSeconds;
    const p99 = pct(r.latencies, 0.99);
    say(`  ${r.frames} frames measured; slowest stream ${num(minFps, 2, 4)} fps; latency p50 ${num(pct(r.latencies, 0.5), 1, 5)} ms p99 ${num(p99, 1, 5)} ms`);
    say(`  CPU per frame: supervisor ${num(cpu.sup / answered, 2, 5)} ms, ML child ${num(cpu.child / answered, 2, 5)} ms, client ${num(cpu.client / answered, 2, 5)} ms`);
    const met = minFps >= 4.9 && p99 < 100;
    return [
      figure('t3 slowest stream fps', minFps, 'fps', { text: '≥ 5 (±2%)', met: minFps >= 4.9 }),
      figure('t3 p99 frame latency', p99, 'ms', { text: '< 100', met: p99 < 100 && met }),
      figure('t3 supervisor CPU/frame', cpu.sup / answered, 'ms'),
      figure('t3 child CPU/frame', cpu.child / answered, 'ms'),
      figure('t3 client CPU/frame', cpu.client / answered, 'ms'),
    ];
  } finally {
    await srv.stop();
  }
}

/** Target 4: Generate through a supervisor attached to an ML node ÷ the node called directly. */
export async function targetGenerate(o: ProxyOptions): Promise<Figure[]> {
  say(`\n4. Generate (${GENERATE_MODEL}, 256 greedy tokens) tokens/s through the supervisor ÷ straight to the ML node, ${o.runs} alternating runs (target ≥ 0.95)`);
  const secret = randomBytes(18).toString('base64url');
  const port = await freePort();
  const node = await startMlNode(`127.0.0.1:${port}`, secret);
  try {
    const srv = await startBenchServer(['--mode', 'supervisor', '--port', String(port), '--ml-endpoint', node.address,
      '--shared-models-dir', `${sharedDir()}/models`], 60_000, { TABAGENT_ML_SECRET: secret });
    try {
      const models = new ModelManagementClient(srv.address, credentials.createInsecure(), grpcChannelOptions());
      await new Promise<void>((resolve, reject) => models.loadModel({ model: GENERATE_MODEL, options: { devices: [], threads: 0, keepAliveSeconds: -1, replicas: 0 } },
        new Metadata(), { deadline: new Date(Date.now() + 120_000) }, (e: ServiceError | null) => (e ? reject(e) : resolve())));
      models.close();
      const runs = await measureGenerate(srv.address, node.address, secret, o.runs);
      const ratios = runs.map((r) => r.supervisor.tokensPerSecond / r.direct.tokensPerSecond);
      runs.forEach((r, i) => say(`  run ${i + 1}: supervisor ${num(r.supervisor.tokensPerSecond, 0, 6)} tokens/s, direct ${num(r.direct.tokensPerSecond, 0, 6)} tokens/s, ratio ${num(ratios[i]!, 2, 4)}`));
      const m = median(ratios);
      say(`  median ratio ${num(m, 2, 4)} (min ${num(Math.min(...ratios), 2, 4)}, max ${num(Math.max(...ratios), 2, 4)})`);
      return [figure('t4 Generate supervisor/direct tokens/s (median)', m, '×', { text: '≥ 0.95', met: m >= 0.95 }), figure('t4 Generate ratio min', Math.min(...ratios), '×')];
    } finally {
      await srv.stop();
    }
  } finally {
    node.proc.kill('SIGTERM');
  }
}
