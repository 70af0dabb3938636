// The soak's printed output: an RSS row every few seconds while it runs, then the faults, the
// calls by workload and code, and the targets.
import type { FaultResult } from './faults.js';
import type { Tally } from './outcome.js';
import type { TargetResult } from './targets.js';

const mb = (b: number | undefined): string => (b === undefined ? '-' : (b / (1 << 20)).toFixed(1));

export const ROW_HEADER = `${'t (s)'.padStart(6)}${'supervisor MB'.padStart(15)}${'child pid'.padStart(11)}${'child MB'.padStart(10)}${'restarts'.padStart(10)}${'ok calls'.padStart(10)}${'failed'.padStart(8)}`;

/** One RSS row (ok and failed are counts since the previous row). */
export function formatRow(r: { t: number; supervisor: number | undefined; childPid: number | undefined; child: number | undefined; restarts: number; ok: number; failed: number }): string {
  return `${r.t.toFixed(0).padStart(6)}${mb(r.supervisor).padStart(15)}${String(r.childPid ?? '-').padStart(11)}${mb(r.child).padStart(10)}${String(r.restarts).padStart(10)}${String(r.ok).padStart(10)}${String(r.failed).padStart(8)}`;
}

/** The lines of the final report. */
export function formatFinal(faults: readonly FaultResult[], tally: Tally, targets: readonly TargetResult[]): string[] {
  const lines = ['', 'faults (ms from the signal until a new child was ready):'];
  for (const f of faults) {
    const extra = f.kind === 'stop' ? `; the supervisor killed the stopped process after ${Number.isFinite(f.detectedMs) ? `${f.detectedMs} ms` : 'NEVER'}` : '';
    lines.push(`  ${f.atS.toFixed(0).padStart(5)} s  ${f.kind === 'kill' ? 'SIGKILL' : 'SIGSTOP'} pid ${f.pid}: ${Number.isFinite(f.recoveredMs) ? `${f.recoveredMs} ms` : 'NOT RECOVERED'}${extra}`);
  }
  lines.push('', 'calls by workload and outcome:');
  for (const [w, codes] of tally.codes()) {
    lines.push(`  ${w.padEnd(14)} ${[...codes].sort(([a], [b]) => (a === 'OK' ? -1 : b === 'OK' ? 1 : a.localeCompare(b))).map(([c, n]) => `${c}×${n}`).join('  ')}`);
  }
  const u = tally.unary();
  lines.push(`  replay-safe unary calls: ${u.calls}, refused with a retryable status: ${u.refused}, lost: ${u.lost.length}`);
  for (const l of u.lost.slice(0, 10)) lines.push(`    lost ${l.workload}: ${l.sample.code}${l.sample.errorCode ? ` ${l.sample.errorCode}` : ''} after ${(l.sample.endMs - l.sample.startMs).toFixed(0)} ms: ${l.sample.message ?? ''}`);
  lines.push('', 'targets:');
  for (const t of targets) lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.measured}`);
  return lines;
}
