// bench:startup — starts `tabagent-server --mode all` N times (default 5) and reports, per run and
// as medians: the time from spawn until the public server is SERVING, until the ML child is
// SERVING, and the resident memory (RSS) of the supervisor and of its ML child once both serve, and
// whether the supervisor's process mapped an ML runtime's native library.
// `--cli FILE` measures another build of the entry (for before/after comparisons).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HealthClient } from '@tabagent/common';
import { figure, printSummary } from './bench-support/summary.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const cli = flag('--cli') ?? join(root, 'supervisor', 'dist', 'cli.js');
const runs = Number(flag('--runs') ?? 5);

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function mapsMlRuntime(pid: number): boolean {
  return /onnxruntime_binding\.node|sharp-[\w-]+\.node/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'));
}

function childPid(pid: number): number | undefined {
  const out = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  const first = out.split(/\s+/)[0];
  return first ? Number(first) : undefined;
}

function serving(address: string, service: string): Promise<void> {
  const client = new HealthClient(address);
  return new Promise((resolve) => {
    const stop = client.watch(service, (s) => {
      if (s !== 'SERVING') return;
      stop();
      client.close();
      resolve();
    }, () => undefined);
  });
}

interface Run { publicMs: number; childMs: number; supervisorMiB: number; childMiB: number; mapsRuntime: boolean }

async function once(): Promise<Run> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [cli, '--mode', 'all', '--port', '0', '--http-port', '0', '--log-level', 'info', '--keep-alive', '-1',
    '--cache-dir', process.env['TABAGENT_TEST_CACHE'] ?? join(root, '.cache', 'test-model-cache')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      if (!line.includes('"msg":"tabagent-server listening"')) return;
      resolve(Number((JSON.parse(line) as { port: number }).port));
    };
    createInterface({ input: proc.stdout }).on('line', onLine);
    createInterface({ input: proc.stderr }).on('line', onLine);
    proc.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const address = `127.0.0.1:${port}`;
  await serving(address, '');
  const publicMs = performance.now() - t0;
  await serving(address, 'tabagent.ml');
  const childMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500)); // let start-up garbage settle before reading RSS
  const pid = proc.pid!;
  const child = childPid(pid);
  const run = { publicMs, childMs, supervisorMiB: rssMiB(pid), childMiB: child ? rssMiB(child) : NaN, mapsRuntime: mapsMlRuntime(pid) };
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  return run;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const all: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = await once();
  all.push(r);
  console.log(`run ${i + 1}: public SERVING ${r.publicMs.toFixed(0)} ms, ML child SERVING ${r.childMs.toFixed(0)} ms, ` +
    `supervisor RSS ${r.supervisorMiB.toFixed(1)} MiB, child RSS ${r.childMiB.toFixed(1)} MiB, supervisor maps an ML runtime: ${r.mapsRuntime}`);
}
console.log(`median of ${runs}: public SERVING ${median(all.map((r) => r.publicMs)).toFixed(0)} ms, ML child SERVING ${median(all.map((r) => r.childMs)).toFixed(0)} ms, ` +
  `supervisor RSS ${median(all.map((r) => r.supervisorMiB)).toFixed(1)} MiB, child RSS ${median(all.map((r) => r.childMiB)).toFixed(1)} MiB`);
printSummary('startup', [figure('public SERVING', median(all.map((r) => r.publicMs)), 'ms'), figure('ML child SERVING', median(all.map((r) => r.childMs)), 'ms'),
  figure('supervisor RSS', median(all.map((r) => r.supervisorMiB)), 'MiB'), figure('child RSS', median(all.map((r) => r.childMiB)), 'MiB')]);
