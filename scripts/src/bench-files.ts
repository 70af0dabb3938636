// bench:files — GetModelFile throughput for a 100 MiB model file over the internal link (the real
// ModelFiles service on its unix socket, the real child-side client reading into memory with sha256
// verification, in a separate process) next to a plain local read (fs.readFile + sha256) in the same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_FILE, BENCH_MODEL, startFilesHost } from './bench-support/files-host.js';
import type { ReaderResult } from './bench-support/files-reader.js';
import { benchDir, repoRoot } from './bench-support/paths.js';
import { median, mib, mibPerSecond, num, range } from './bench-support/stats.js';
import { figure, printSummary } from './bench-support/summary.js';

const SIZE = 100 * (1 << 20);
const RUNS = Number(process.env['BENCH_FILES_RUNS'] ?? 5);
const TARGET = 0.5;

async function runReader(endpoint: string, secret: string, localPath: string, sha256: string): Promise<ReaderResult> {
  const entry = join(repoRoot, 'scripts', 'dist', 'bench-support', 'files-reader.js');
  const proc = spawn(process.execPath, [...process.execArgv, entry, endpoint, BENCH_MODEL, BENCH_FILE, localPath, sha256, String(RUNS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  proc.stdin.end(`${secret}\n`);
  const lines: string[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => lines.push(l));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0 || lines.length === 0) throw new Error(`the reader process exited with ${code}`);
  return JSON.parse(lines.at(-1)!) as ReaderResult;
}

async function main(): Promise<void> {
  const host = await startFilesHost(benchDir('files'), SIZE);
  try {
    const cpu0 = process.cpuUsage();
    const r = await runReader(host.endpoint, host.secret, host.cachedPath, host.sha256);
    const cpu = process.cpuUsage(cpu0);
    // this process only serves while the reader runs: RUNS + 1 transfers (one warm-up)
    const serveCpuMs = (cpu.user + cpu.system) / 1000 / (RUNS + 1);
    const local = r.localMs.map((ms) => mibPerSecond(SIZE, ms));
    const grpc = r.grpcMs.map((ms) => mibPerSecond(SIZE, ms));
    const a = median(local);
    const b = median(grpc);
    const lr = range(local);
    const gr = range(grpc);
    console.log(`${mib(SIZE)} MiB model file, median of ${RUNS} warm runs (MiB/s, sha256 included on both sides)`);
    console.log(`  (a) local fs.readFile + sha256          ${num(a)} MiB/s  (${num(median(r.localMs), 0, 5)} ms; min ${num(lr.min, 0, 4)} max ${num(lr.max, 0, 4)})`);
    console.log(`  (b) ModelFiles.GetModelFile, unix socket ${num(b)} MiB/s  (${num(median(r.grpcMs), 0, 5)} ms; min ${num(gr.min, 0, 4)} max ${num(gr.max, 0, 4)})`);
    console.log(`  ratio (b)/(a): ${(b / a).toFixed(3)}  (target >= ${TARGET})`);
    console.log(`  CPU per transfer (b): serving ${num(serveCpuMs, 0, 4)} ms, receiving ${num(median(r.grpcCpuMs), 0, 4)} ms (both processes; wall time depends on the machine's load)`);
    printSummary('files', [figure('GetModelFile / local read', b / a, '×', { text: `≥ ${TARGET}`, met: b / a >= TARGET }), figure('GetModelFile', b, 'MiB/s')]);
  } finally {
    await host.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:files failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
