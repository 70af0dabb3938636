// bench:load — a load generator in the style of Triton's perf_analyzer concurrency mode against a
// real tabagent-server: for each workload (vision unary through shared memory and in the message,
// Track streams, Embed, Generate, HTTP chat streaming and embeddings) and each concurrency level, N
// calls stay in flight while 1 s windows are measured until the last three agree within the
// tolerance (or the window cap). Prints calls/s, latency p50/p90/p99, for generation TTFT and
// inter-token latency (as vLLM's serving benchmark), and failed calls by status code: a queue-full
// RESOURCE_EXHAUSTED is a measured outcome, not a failure of the benchmark.
import { rmSync, writeFileSync } from 'node:fs';
import { startBenchServer } from './bench-support/server.js';
import { figure, printSummary, type Figure } from './bench-support/summary.js';
import { benchShmDir } from './bench-vision-shm.js';
import { LOAD_HELP, parseLoadArgs } from './load/args.js';
import { summarizeLevel } from './load/level.js';
import { formatWorkload } from './load/report.js';
import { runLevel } from './load/scheduler.js';
import type { LevelResult, Workload } from './load/types.js';
import { buildWorkloads } from './load-workloads.js';

/** A worker refused with retry advice waits as advised, up to this (as a well-behaved client does). */
const RETRY_AFTER_CAP_MS = 1000;

async function measure(w: Workload, levels: readonly number[], plan: { windowMs: number; maxWindows: number; tolerance: number }): Promise<LevelResult[]> {
  const rows: LevelResult[] = [];
  for (const concurrency of levels) {
    const open = await w.open(concurrency);
    try {
      const run = await runLevel(open.call, { ...plan, concurrency, warmupMs: Math.min(plan.windowMs, 500), retryAfterCapMs: RETRY_AFTER_CAP_MS });
      const row = summarizeLevel(w.name, concurrency, run);
      rows.push(row);
      const errors = Object.values(row.errors).reduce((a, b) => a + b, 0);
      process.stderr.write(`${w.name} ×${concurrency}: ${row.throughput.toFixed(1)} calls/s, p99 ${row.latency.p99.toFixed(1)} ms, ${errors} failed, ${run.windows.length} windows${run.stable ? '' : ' (not stable)'}\n`);
    } finally {
      await open.close();
    }
  }
  return rows;
}

function summaryFigures(results: ReadonlyMap<string, LevelResult[]>): Figure[] {
  const out: Figure[] = [];
  for (const [name, rows] of results) {
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) continue;
    out.push(figure(`${name} calls/s @${first.concurrency}`, first.throughput, '/s'));
    if (last !== first) out.push(figure(`${name} calls/s @${last.concurrency}`, last.throughput, '/s'));
    out.push(figure(`${name} p99 @${last.concurrency}`, last.latency.p99, 'ms'));
    if (last.ttft) out.push(figure(`${name} TTFT p50 @${last.concurrency}`, last.ttft.p50, 'ms'));
    const failed = rows.reduce((a, r) => a + Object.values(r.errors).reduce((x, y) => x + y, 0), 0);
    out.push(figure(`${name} failed calls`, failed, 'calls'));
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseLoadArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(LOAD_HELP);
    return;
  }
  const shmDir = benchShmDir();
  const server = await startBenchServer(['--shm-dir', shmDir, '--keep-alive', '-1', ...(args.queueSize ? ['--queue-size', String(args.queueSize)] : [])]);
  const results = new Map<string, LevelResult[]>();
  try {
    const set = await buildWorkloads(server, args.workloads, { tokens: args.tokens, deadlineMs: 60_000, shmDir });
    try {
      for (const w of set.byName.values()) {
        results.set(w.name, await measure(w, args.levels, args));
        console.log(formatWorkload(w.name, w.describe, results.get(w.name)!).join('\n'));
      }
    } finally {
      await set.close();
    }
  } finally {
    await server.stop();
    rmSync(shmDir, { recursive: true, force: true });
  }
  console.log(`\n${args.windowMs} ms windows, a level stops when its last 3 windows agree within ±${Math.round(args.tolerance * 100)}% or after ${args.maxWindows} windows (* = not stable); figures cover the last 3 windows.`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ args, results: Object.fromEntries(results) }, null, 2)}\n`);
  printSummary('load', summaryFigures(results));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:load failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
