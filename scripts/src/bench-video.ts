// `npm run bench:video`: face mesh on a 640×480 video through `tabagent vision mesh --video`, one
// stream and then 8 at once. Prints per frame: the CLI process's CPU time, its decoding ffmpeg's
// CPU time (both sampled from /proc while they run) and the server's model time (from the results).
// Start-up (node loading modules and opening gRPC; ffmpeg opening the input) is a one-time cost and
// is printed apart from the steady per-frame cost: the CLI's from its own summary (its CPU from the
// first decoded frame on), ffmpeg's from its CPU when the CLI printed its first result.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '@tabagent/common';
import { benchDir, repoRoot, sharedDir } from './bench-support/paths.js';
import { figure, printSummary, type Figure } from './bench-support/summary.js';
import { startBenchServer } from './bench-support/server.js';
import { cpuMs } from './bench-support/cpu.js';

const cli = join(repoRoot, 'cli', 'dist', 'main.js');
const childrenOf = (pid: number): number[] => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
  try {
    return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid;
  } catch {
    return false;
  }
});

interface StreamResult { cliMs: number; cliSteadyMs: number; ffmpegMs: number; ffmpegSteadyMs: number; modelMs: number; decoded: number; processed: number; dropped: number }

function runStream(server: string, video: string): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, '--server', server, 'vision', 'mesh', '--video', video, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let cliMs = 0;
    const ff = new Map<number, number>();
    const sample = (): void => {
      cliMs = cpuMs(p.pid!) ?? cliMs;
      for (const c of childrenOf(p.pid!)) ff.set(c, cpuMs(c) ?? ff.get(c) ?? 0);
    };
    let ffAtFirst: number | undefined;
    p.stdout.on('data', (d: Buffer) => {
      if (ffAtFirst === undefined) {
        sample();
        ffAtFirst = [...ff.values()].reduce((a, b) => a + b, 0);
      }
      out += d.toString();
    });
    const timer = setInterval(sample, 50);
    p.on('error', reject);
    p.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`tabagent exited ${code}`));
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { result?: { timing?: Record<string, number> }; summary?: StreamResult & { cpuMs: number } });
      const s = lines.at(-1)!.summary!;
      const model = lines.reduce((n, l) => n + (l.result?.timing ? (l.result.timing['preprocessMs'] ?? 0) + (l.result.timing['inferenceMs'] ?? 0) + (l.result.timing['postprocessMs'] ?? 0) : 0), 0);
      const ffmpegMs = [...ff.values()].reduce((a, b) => a + b, 0);
      resolve({ cliMs, cliSteadyMs: s.cpuMs, ffmpegMs, ffmpegSteadyMs: ffmpegMs - (ffAtFirst ?? 0), modelMs: model, decoded: s.decoded, processed: s.processed, dropped: s.dropped });
    });
  });
}

function report(label: string, short: string, rs: StreamResult[]): Figure[] {
  const sum = (k: keyof StreamResult): number => rs.reduce((n, r) => n + r[k], 0);
  const decoded = sum('decoded');
  const processed = sum('processed');
  console.log(`${label}: ${decoded} frames decoded, ${processed} processed, ${sum('dropped')} dropped`);
  const startup = (k: 'cliMs' | 'ffmpegMs', steady: 'cliSteadyMs' | 'ffmpegSteadyMs'): string => `${((sum(k) - sum(steady)) / rs.length).toFixed(0)} ms once per stream`;
  console.log(`  CLI process CPU    ${(sum('cliSteadyMs') / decoded).toFixed(2)} ms/frame while streaming; start-up ${startup('cliMs', 'cliSteadyMs')} (${(sum('cliMs') / decoded).toFixed(2)} ms/frame with it)`);
  console.log(`  ffmpeg decode CPU  ${(sum('ffmpegSteadyMs') / decoded).toFixed(2)} ms/frame while streaming; start-up ${startup('ffmpegMs', 'ffmpegSteadyMs')} (${(sum('ffmpegMs') / decoded).toFixed(2)} ms/frame with it)`);
  console.log(`  CLI / decode       ${(sum('cliSteadyMs') / Math.max(1e-9, sum('ffmpegSteadyMs'))).toFixed(2)} while streaming`);
  console.log(`  model time         ${(sum('modelMs') / Math.max(1, processed)).toFixed(2)} ms/processed frame (server pre+inference+post)`);
  return [figure(`${short} CLI / decode CPU`, sum('cliSteadyMs') / Math.max(1e-9, sum('ffmpegSteadyMs')), '×'), figure(`${short} dropped`, sum('dropped') / Math.max(1, decoded) * 100, '%')];
}

const dir = benchDir('video');
mkdirSync(dir, { recursive: true });
const video = join(dir, 'hand_reach_640x480.mp4');
if (!existsSync(video)) {
  // The shared videos are 620×1080, 720×1280 and 640×360; the 640×360 one is scaled to 640×480 once.
  const src = join(sharedDir(), 'testdata', 'video', 'hand_reach_open_palm.mp4');
  const r = spawnSync(resolveFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', src, '-an', '-vf', 'scale=640:480', '-c:v', 'libx264', '-preset', 'veryfast', video]);
  if (r.status !== 0) throw new Error(`cannot make the 640×480 video: ${r.stderr.toString()}`);
}
const server = await startBenchServer(['--keep-alive', '-1']);
try {
  await runStream(server.address, video); // warm-up: loads the models
  const one = report('1 stream (640×480, 25 fps, real time)', '1 stream', [await runStream(server.address, video)]);
  const eight = report('8 streams at once', '8 streams', await Promise.all(Array.from({ length: 8 }, () => runStream(server.address, video))));
  printSummary('video', [...one, ...eight]);
} finally {
  await server.stop();
}
