// Turns what the scheduler measured at one concurrency level into the row the report prints.
import { errorCounts, okLatencies, percentiles } from './percentiles.js';
import type { LevelRun } from './scheduler.js';
import type { LevelResult } from './types.js';

/** The result row of `workload` at `concurrency` from its run. */
export function summarizeLevel(workload: string, concurrency: number, run: LevelRun): LevelResult {
  const ok = run.counted.filter((s) => s.ok);
  const generation = ok.filter((s) => s.ttftMs !== undefined);
  const base: LevelResult = {
    workload, concurrency,
    throughput: ok.length / run.countedSeconds,
    latency: percentiles(okLatencies(run.counted)),
    ok: ok.length,
    errors: errorCounts(run.counted),
    windows: run.windows.length,
    stable: run.stable,
  };
  if (generation.length === 0) return base;
  const tokens = generation.reduce((a, s) => a + (s.tokens ?? 0), 0);
  return {
    ...base,
    ttft: percentiles(generation.map((s) => s.ttftMs!)),
    itl: percentiles(generation.flatMap((s) => s.itlMs ?? [])),
    tokensPerSecond: tokens / run.countedSeconds,
  };
}
