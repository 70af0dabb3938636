// bench:scale — total face-mesh frames/s through one supervisor with 1, 2 and 3 `--mode ml` nodes
// (each node pinned to one core with taskset when it is installed), and the ratio to one node. The
// model pair (face detector + mesh) is placed on every node (replicas 0); clients send unary FaceMesh
// calls with a raw RGB frame for a fixed time, and the supervisor spreads them by in-flight work.
// Usage: npm run bench:scale [-- --seconds 8 --clients-per-node 3]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createServer } from 'node:net';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { FaceMeshRequest, PixelFormat, VisionClient, type FaceMeshResponse } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { repoRoot, serverCli, sharedDir } from './bench-support/paths.js';
import { startBenchServer } from './bench-support/server.js';
import { num } from './bench-support/stats.js';

const MODELS = ['mediapipe/face-detection-short', 'mediapipe/face-mesh'];

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, 'clients-per-node': { type: 'string', default: '3' } } });
const SECONDS = Number(values.seconds);
const CLIENTS_PER_NODE = Number(values['clients-per-node']);
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

/** Starts one `--mode ml` node (pinned to `core` when taskset is there); resolves with its address. */
async function startNode(core: number, filesEndpoint: string, secret: string): Promise<{ proc: ChildProcess; address: string }> {
  const args = [serverCli, '--mode', 'ml', '--ml-listen', '127.0.0.1:0', '--files-endpoint', filesEndpoint, '--threads', '1', '--log-level', 'warn'];
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];
  const proc = spawn(cmd, argv, { cwd: repoRoot, env: { ...process.env, TABAGENT_ML_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { event?: string; address?: string };
      if (m.event === 'listening' && m.address) resolve(m.address);
    });
    proc.once('exit', (code) => reject(new Error(`ML node exited with ${code}`)));
  });
  return { proc, address };
}

function unary<Res>(fn: (cb: (e: ServiceError | null, r: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
}

/** Frames per second of `clients` loops of FaceMesh for SECONDS (after a warm-up). */
async function measure(address: string, clients: number, frame: FaceMeshRequest): Promise<{ fps: number; frames: number }> {
  const vision = new VisionClient(address, credentials.createInsecure(), grpcChannelOptions());
  const once = (): Promise<FaceMeshResponse> => unary((cb) => vision.faceMesh(frame, new Metadata(), { deadline: new Date(Date.now() + 30_000) }, cb));
  for (let i = 0; i < clients * 2; i++) await once();
  let frames = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) {
      const r = await once();
      if (r.faces.length !== 1) throw new Error(`face mesh found ${r.faces.length} faces`);
      frames += 1;
    }
  }));
  vision.close();
  return { fps: frames / ((performance.now() - t0) / 1000), frames };
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** One supervisor with `nodes` ML nodes: the model pair on every node, then the measurement. */
async function run(nodes: number, request: FaceMeshRequest): Promise<{ fps: number; frames: number }> {
  const secret = randomBytes(18).toString('base64url');
  const port = await freePort();
  const cores = availableParallelism();
  const started = await Promise.all(Array.from({ length: nodes }, (_, i) => startNode(i % cores, `127.0.0.1:${port}`, secret)));
  try {
    const server = await startBenchServer(['--mode', 'supervisor', '--port', String(port), '--ml-endpoint', started.map((n) => n.address).join(',')],
      60_000, { TABAGENT_ML_SECRET: secret });
    try {
      const models = new ModelManagementClient(server.address, credentials.createInsecure(), grpcChannelOptions());
      for (const model of MODELS) {
        await unary((cb) => models.loadModel({ model, options: { devices: [], threads: 1, keepAliveSeconds: -1, replicas: 0 } }, new Metadata(), { deadline: new Date(Date.now() + 120_000) }, cb));
      }
      models.close();
      return await measure(server.address, CLIENTS_PER_NODE * nodes, request);
    } finally {
      await server.stop();
    }
  } finally {
    for (const n of started) n.proc.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const { data, info } = await sharp(join(sharedDir(), 'testdata', 'images', 'portrait.jpg')).removeAlpha().resize(410, 512).raw().toBuffer({ resolveWithObject: true });
  const request = FaceMeshRequest.fromPartial({ frame: { data, width: info.width, height: info.height, format: PixelFormat.PIXEL_FORMAT_RGB } });
  process.stdout.write(`bench:scale: FaceMesh (detector + mesh) on a ${info.width}x${info.height} RGB frame, ${SECONDS} s per run, ${CLIENTS_PER_NODE} clients per node, ` +
    `${availableParallelism()} cores, nodes ${hasTaskset ? 'pinned with taskset (node i on core i mod cores)' : 'not pinned (no taskset)'}\n`);
  const results: Array<{ nodes: number; fps: number; frames: number }> = [];
  for (const nodes of [1, 2, 3]) {
    const r = await run(nodes, request);
    results.push({ nodes, ...r });
    process.stdout.write(`nodes ${nodes}: ${num(r.fps)} frames/s (${r.frames} frames)\n`);
  }
  const base = results[0]?.fps ?? NaN;
  process.stdout.write('\nnodes   frames/s   ratio to 1 node\n');
  for (const r of results) process.stdout.write(`${String(r.nodes).padStart(5)} ${num(r.fps, 1, 10)} ${num(r.fps / base, 2, 12)}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`bench:scale failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
