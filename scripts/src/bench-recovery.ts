// bench:recovery — SIGKILLs the ML child of a real tabagent-server 10 times while clients keep
// calling Vision.DetectFaces, and reports per kill and as medians: the restart delay, the time from
// SIGKILL to the new child SERVING (excluding model load), the model reload time, the total time
// until the supervisor reports SERVING again, and how many unary requests were lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient, type GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import { DetectFacesRequest, VisionClient, type DetectFacesResponse } from '@tabagent/protos/v1/vision';
import { figure, printSummary } from './bench-support/summary.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = process.env['TABAGENT_SHARED_DIR'] ?? resolve(root, '..', 'shared');
const KILLS = 10;
const CLIENTS = 4;
const DEADLINE_MS = 10_000;
const STABLE_MS = 1_000;
const FACE = 'mediapipe/face-detection-short';

/** One supervisor log line (pino JSON). */
type LogLine = Record<string, unknown> & { msg?: string; time?: number };

/** The server under measurement and its parsed logs. */
interface Server { proc: ChildProcess; address: string; logs: LogLine[]; next(msg: string, after: number): Promise<LogLine> }

async function startServer(): Promise<Server> {
  const args = [join(root, 'supervisor', 'dist', 'cli.js'), '--mode', 'all', '--port', '0', '--http-port', '0', '--log-level', 'info',
    '--cache-dir', process.env['TABAGENT_TEST_CACHE'] ?? join(root, '.cache', 'test-model-cache'),
    '--max-restarts', '100', '--stable-after-ms', String(STABLE_MS), '--keep-alive', '-1'];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const waiters: Array<() => void> = [];
  const onLine = (line: string): void => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  };
  createInterface({ input: proc.stdout! }).on('line', onLine);
  createInterface({ input: proc.stderr! }).on('line', onLine);
  const next = async (msg: string, after: number): Promise<LogLine> => {
    const end = Date.now() + 60_000;
    for (;;) {
      const hit = logs.find((l) => l.msg === msg && (l.time ?? 0) >= after);
      if (hit) return hit;
      if (Date.now() > end || proc.exitCode !== null) throw new Error(`no "${msg}" log`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  const listening = await next('tabagent-server listening', 0);
  return { proc, address: `127.0.0.1:${Number(listening['port'])}`, logs, next };
}

function unary<Res>(fn: (cb: (e: ServiceError | null, r: Res) => void) => unknown): Promise<Res> {
  return new Promise((res, rej) => fn((e, r) => (e ? rej(e) : res(r))));
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Timings of one kill, in ms from the SIGKILL. */
interface KillTiming { delay: number; listening: number; childServing: number; reload: number; ready: number }

async function main(): Promise<void> {
  const portrait = readFileSync(join(shared, 'testdata', 'images', 'portrait.jpg'));
  const server = await startServer();
  const opts = grpcChannelOptions();
  const models = new ModelManagementClient(server.address, credentials.createInsecure(), opts);
  const vision = new VisionClient(server.address, credentials.createInsecure(), opts);
  const deadline = (ms: number): { deadline: Date } => ({ deadline: new Date(Date.now() + ms) });
  await server.next('ML child ready', 0);
  await unary((cb) => models.loadModel({ model: FACE, options: undefined }, new Metadata(), deadline(60_000), cb));

  const req = DetectFacesRequest.fromPartial({ frame: { encoded: portrait } });
  const counts = { ok: 0, lost: 0, slowest: 0 };
  let running = true;
  const client = async (): Promise<void> => {
    while (running) {
      const t0 = Date.now();
      try {
        const r = await unary<DetectFacesResponse>((cb) => vision.detectFaces(req, new Metadata(), deadline(DEADLINE_MS), cb));
        if (r.faces.length !== 1) throw new Error(`expected one face, got ${r.faces.length}`);
        counts.ok += 1;
      } catch (err) {
        counts.lost += 1;
        process.stderr.write(`lost request: ${(err as Error).message}\n`);
      }
      counts.slowest = Math.max(counts.slowest, Date.now() - t0);
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);

  const rows: KillTiming[] = [];
  for (let i = 0; i < KILLS; i++) {
    await sleep(STABLE_MS + 300);
    const st = await unary<GetRuntimeStatusResponse>((cb) => models.getRuntimeStatus({}, new Metadata(), deadline(5000), cb));
    const pid = st.runtime?.pid;
    if (!pid || st.state !== 'ready') throw new Error(`child not ready before kill ${i + 1}: ${st.state}`);
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    const restart = await server.next('restarting ML child', t0);
    const listening = await server.next('ML child listening', t0);
    const serving = await server.next('ML child serving; reloading models', t0);
    const ready = await server.next('ML child ready', t0);
    rows.push({
      delay: Number(restart['delayMs']), listening: (listening.time ?? 0) - t0, childServing: (serving.time ?? 0) - t0,
      reload: Number(ready['reloadMs']), ready: (ready.time ?? 0) - t0,
    });
  }
  await sleep(500);
  running = false;
  await Promise.all(clients);
  models.close();
  vision.close();
  server.proc.kill('SIGTERM');

  const pad = (v: number | string, w = 11): string => String(typeof v === 'number' ? Math.round(v) : v).padStart(w);
  process.stdout.write(`bench:recovery — ${KILLS} SIGKILLs of the ML child, ${CLIENTS} clients calling DetectFaces (${FACE}) throughout; ms from the SIGKILL\n`);
  process.stdout.write(`${pad('kill', 5)}${pad('backoff')}${pad('listening')}${pad('serving*')}${pad('reload')}${pad('ready')}\n`);
  rows.forEach((r, i) => process.stdout.write(`${pad(i + 1, 5)}${pad(r.delay)}${pad(r.listening)}${pad(r.childServing)}${pad(r.reload)}${pad(r.ready)}\n`));
  const med = (k: keyof KillTiming): number => median(rows.map((r) => r[k]));
  process.stdout.write(`${pad('med', 5)}${pad(med('delay'))}${pad(med('listening'))}${pad(med('childServing'))}${pad(med('reload'))}${pad(med('ready'))}\n`);
  process.stdout.write('serving* = the new child answers health SERVING, before its models are reloaded (model load excluded)\n');
  process.stdout.write(`median SIGKILL → SERVING excluding model load: ${Math.round(med('childServing'))} ms (target < 1000: ${med('childServing') < 1000 ? 'met' : 'MISSED'}); `);
  process.stdout.write(`model reload ${Math.round(med('reload'))} ms; until the supervisor reports SERVING ${Math.round(med('ready'))} ms\n`);
  process.stdout.write(`unary requests: ${counts.ok} ok, ${counts.lost} lost (target 0: ${counts.lost === 0 ? 'met' : 'MISSED'}), slowest ${counts.slowest} ms with a ${DEADLINE_MS} ms deadline\n`);
  printSummary('recovery', [figure('SIGKILL → child SERVING', med('childServing'), 'ms', { text: '< 1000', met: med('childServing') < 1000 }),
    figure('SIGKILL → supervisor SERVING', med('ready'), 'ms'), figure('lost unary requests', counts.lost, 'calls', { text: '= 0', met: counts.lost === 0 })]);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:recovery failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
