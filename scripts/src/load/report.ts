// The bench:load table: one block per workload, one row per concurrency level.
import type { LevelResult, Percentiles } from './types.js';

const f = (n: number | undefined, d = 1, w = 8): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d)).padStart(w);
const pct = (p: Percentiles): string => `${f(p.p50)}${f(p.p90)}${f(p.p99)}`;

/** Errors as "CODE×n CODE×m", or "-". */
export function formatErrors(errors: Readonly<Record<string, number>>): string {
  const parts = Object.entries(errors).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c}×${n}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}

/** The lines of one workload's block. */
export function formatWorkload(name: string, describe: string, rows: readonly LevelResult[]): string[] {
  const generation = rows.some((r) => r.ttft !== undefined);
  const lines = [`\n${name}: ${describe}; latency ms (p50 p90 p99) of successful calls`];
  const genHead = generation ? `${'TTFT p50'.padStart(9)}${'p90'.padStart(7)}${'p99'.padStart(7)}${'ITL p50'.padStart(9)}${'p90'.padStart(7)}${'p99'.padStart(7)}${'tok/s'.padStart(8)}` : '';
  lines.push(`${'conc'.padStart(5)}${'calls/s'.padStart(9)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'p99'.padStart(8)}${genHead}${'ok'.padStart(7)}  windows  errors`);
  for (const r of rows) {
    const gen = generation
      ? `${f(r.ttft?.p50, 1, 9)}${f(r.ttft?.p90, 1, 7)}${f(r.ttft?.p99, 1, 7)}${f(r.itl?.p50, 2, 9)}${f(r.itl?.p90, 2, 7)}${f(r.itl?.p99, 2, 7)}${f(r.tokensPerSecond, 0, 8)}`
      : '';
    lines.push(`${String(r.concurrency).padStart(5)}${f(r.throughput, 1, 9)}${pct(r.latency)}${gen}${String(r.ok).padStart(7)}  ${`${r.windows}${r.stable ? '' : '*'}`.padEnd(7)}  ${formatErrors(r.errors)}`);
  }
  return lines;
}
