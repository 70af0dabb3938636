// bench — runs every benchmark package.json registers (bench:*) one after another with its own
// defaults, collects the BENCH-SUMMARY line each prints, and prints one table of their figures and
// ratios with the machine's core count, CPU model and Node version; --out FILE writes it as JSON so
// runs can be compared. --only vision,text picks benchmarks; each runs at most --timeout-s seconds.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchScripts, formatReport, thisMachine, type BenchRun } from './bench-support/one-report.js';
import { repoRoot } from './bench-support/paths.js';
import { parseSummary } from './bench-support/summary.js';

const HELP = `npm run bench -- [--only a,b] [--out FILE] [--timeout-s N]
  --only a,b      run only bench:a and bench:b (default: every bench:* script)
  --out FILE      also write the report as JSON
  --timeout-s N   stop a benchmark that runs longer (default 600)`;

/** Runs one benchmark; its output goes to stderr as it comes (progress), stdout is also kept. */
function run(script: string, command: string, timeoutMs: number): Promise<BenchRun> {
  const t0 = performance.now();
  process.stderr.write(`\n== ${script}: ${command}\n`);
  // A process group of its own, so a timeout stops the servers it started too.
  const proc = spawn(command, { cwd: repoRoot, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    process.stderr.write(b);
  });
  proc.stderr.on('data', (b: Buffer) => process.stderr.write(b));
  const timer = setTimeout(() => {
    process.stderr.write(`${script}: stopped after ${timeoutMs / 1000} s\n`);
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }, timeoutMs);
  return new Promise((resolve) => proc.once('close', (code) => {
    clearTimeout(timer);
    resolve({ script, command, exitCode: code, seconds: (performance.now() - t0) / 1000, summary: parseSummary(out) });
  }));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) return void console.log(HELP);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  for (const a of argv) if (a.startsWith('--') && !['--only', '--out', '--timeout-s'].includes(a)) throw new Error(`unknown flag ${a} (see --help)`);
  const only = (flag('--only') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const timeoutS = Number(flag('--timeout-s') ?? 600);
  if (!(timeoutS > 0)) throw new Error('--timeout-s must be a positive number');
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const machine = thisMachine(loadavg()[0] ?? 0);
  const startedAt = new Date().toISOString();
  const runs: BenchRun[] = [];
  for (const b of benchScripts(pkg.scripts, only)) runs.push(await run(b.script, b.command, timeoutS * 1000));
  console.log(`\n${formatReport(machine, runs).join('\n')}`);
  const out = flag('--out');
  if (out) writeFileSync(out, `${JSON.stringify({ startedAt, machine, runs }, null, 2)}\n`);
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
