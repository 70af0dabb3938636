// bench:proxy — what the supervisor costs per proxied call (issue 16's targets, ratios side by side):
// 1. supervisor CPU per unary DetectFaces call (a 1-pixel frame in shared memory, a 640×480 frame in
//    the message) with each forwarder (--forwarder grpc-js / pass-through), from /proc utime+stime;
// 2. frames/s of 8 Track streams (face mesh; pose full) through the server ÷ 8 in-process pipelines;
// 3. the seed scenario: 13 streams at 5 fps of face detection + mesh, p99 latency and CPU per frame
//    of supervisor, ML child and client;
// 4. Generate tokens/s through the supervisor ÷ straight to the ML node, 5 alternating runs.
// Usage: npm run bench:proxy [-- --calls 2000 --seconds 8 --seed-seconds 10 --runs 5 --only 1,2,3,4]
import { parseArgs } from 'node:util';
import { printSummary, type Figure } from './bench-support/summary.js';
import { num } from './bench-support/stats.js';
import { benchShmDir } from './bench-vision-shm.js';
import { targetCapacity, targetGenerate, targetSeed, targetUnary } from './bench-proxy-targets.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' }, seconds: { type: 'string', default: '8' }, 'seed-seconds': { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' }, only: { type: 'string', default: '1,2,3,4' },
  },
});
const only = new Set(values.only.split(',').map((s) => s.trim()));
const opts = { calls: Number(values.calls), seconds: Number(values.seconds), seedSeconds: Number(values['seed-seconds']), runs: Number(values.runs), shmDir: benchShmDir() };

async function main(): Promise<void> {
  process.stdout.write(`bench:proxy: ${opts.calls} calls per unary run, ${opts.seconds} s per capacity run, ${opts.seedSeconds} s seed scenario, ${opts.runs} Generate pairs; ` +
    'the machine is shared and noisy: ratios of runs taken side by side matter, not absolute figures\n');
  const figures: Figure[] = [];
  if (only.has('1')) figures.push(...await targetUnary(opts));
  if (only.has('2')) figures.push(...await targetCapacity(opts));
  if (only.has('3')) figures.push(...await targetSeed(opts));
  if (only.has('4')) figures.push(...await targetGenerate(opts));
  process.stdout.write('\nsummary\n');
  for (const f of figures) process.stdout.write(`  ${f.name.padEnd(52)} ${num(f.value, 3, 10)} ${f.unit.padEnd(10)} ${f.target ? `${f.target} ${f.met ? 'met' : 'MISSED'}` : ''}\n`);
  printSummary('proxy', figures);
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`bench:proxy failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

