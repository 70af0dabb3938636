// The one report of `npm run bench`: which benchmarks package.json registers, the machine they ran
// on, and the table of every figure they reported.
import { cpus } from 'node:os';
import type { BenchSummary } from './summary.js';

/** One benchmark's run. */
export interface BenchRun {
  /** The npm script ("bench:vision"). */
  readonly script: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly summary: BenchSummary | undefined;
}

/** The machine a report was measured on. */
export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the run started (others' work makes figures noisy). */
  readonly loadAverage: number;
}

/** This machine. */
export function thisMachine(loadAverage: number): Machine {
  const c = cpus();
  return { cores: c.length, cpuModel: c[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage };
}

/** The bench:* scripts of a package.json's scripts (not `bench` itself), filtered by `only` (names without "bench:"). */
export function benchScripts(scripts: Readonly<Record<string, string>>, only: readonly string[] = []): Array<{ script: string; command: string }> {
  const all = Object.entries(scripts).filter(([name]) => name.startsWith('bench:')).map(([script, command]) => ({ script, command }));
  if (only.length === 0) return all;
  for (const o of only) if (!all.some((b) => b.script === `bench:${o}`)) throw new Error(`--only: no script bench:${o} in package.json (have ${all.map((b) => b.script.slice(6)).join(', ')})`);
  return all.filter((b) => only.includes(b.script.slice(6)));
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(v) : '-');

/** The report's lines: the machine, then one row per figure (or per benchmark that failed). */
export function formatReport(machine: Machine, runs: readonly BenchRun[]): string[] {
  const lines = [
    `${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node} (${machine.platform}), load average ${machine.loadAverage.toFixed(2)} at the start`,
    `${'benchmark'.padEnd(20)}${'figure'.padEnd(48)}${'value'.padStart(12)} ${'unit'.padEnd(7)}${'target'.padEnd(9)}result`,
  ];
  for (const r of runs) {
    const name = r.script.replace(/^bench:/, '');
    if (r.exitCode !== 0 || r.summary === undefined) {
      lines.push(`${name.padEnd(20)}${(r.exitCode !== 0 ? `FAILED (exit ${r.exitCode}) after ${r.seconds.toFixed(0)} s` : 'no BENCH-SUMMARY line').padEnd(48)}`);
      continue;
    }
    for (const f of r.summary.figures) {
      const result = f.met === undefined ? '' : f.met ? 'met' : 'MISSED';
      lines.push(`${name.padEnd(20)}${f.name.slice(0, 47).padEnd(48)}${fmt(f.value).padStart(12)} ${f.unit.padEnd(7)}${(f.target ?? '').padEnd(9)}${result}`);
    }
  }
  const missed = runs.flatMap((r) => r.summary?.figures.filter((f) => f.met === false) ?? []).length;
  const failed = runs.filter((r) => r.exitCode !== 0).length;
  lines.push(`${runs.length} benchmarks in ${runs.reduce((a, r) => a + r.seconds, 0).toFixed(0)} s; ${failed} failed; ${missed} targets missed`);
  return lines;
}
