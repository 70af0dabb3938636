// The soak's targets, decided from what it recorded: no lost accepted unary request, supervisor RSS
// flat after warm-up, child RSS flat during each child's life, and the hang noticed and replaced.
import type { FaultResult } from './faults.js';
import { childLifetimes, median, spread, supervisorAfterWarmup, type RssSample } from './rss.js';

/** One target and whether it was met. */
export interface TargetResult {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean;
}

/** What the targets are judged on. */
export interface TargetInput {
  readonly lost: number;
  readonly unaryCalls: number;
  readonly rss: readonly RssSample[];
  readonly faults: readonly FaultResult[];
  /** Supervisor samples before this many seconds are warm-up. */
  readonly warmupS: number;
  /** Child samples in the first this many seconds of each child's life are left out. */
  readonly settleS: number;
  /** Allowed spread around the median (0.1 = ±10%). */
  readonly tolerance: number;
  /** Longest acceptable time from SIGSTOP until the supervisor has killed the stopped child. */
  readonly hangLimitMs: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** How far above and below their median the values go (fractions): a leak rises, memory handed back falls. */
function direction(values: readonly number[]): { up: number; down: number } {
  const m = median(values);
  return { up: (Math.max(...values) - m) / m, down: (m - Math.min(...values)) / m };
}

/** Every target with its measured value. */
export function evaluateTargets(i: TargetInput): TargetResult[] {
  const out: TargetResult[] = [];
  out.push({ name: 'lost accepted unary requests = 0', measured: `${i.lost} of ${i.unaryCalls}`, met: i.lost === 0 && i.unaryCalls > 0 });
  const sup = supervisorAfterWarmup(i.rss, i.warmupS);
  const supName = `supervisor RSS within ±${pct(i.tolerance)} after warm-up (medians of each minute)`;
  out.push(sup.medians.length < 2
    ? { name: supName, measured: 'not measured (run too short)', met: false }
    : { name: supName, measured: `±${pct(spread(sup.medians))} over ${sup.medians.length} minutes (${sup.samples} samples)`, met: spread(sup.medians) <= i.tolerance });
  const lives = childLifetimes(i.rss, i.settleS).filter((l) => l.values.length >= 2);
  const worst = lives.map((l) => ({ pid: l.pid, s: spread(l.values), n: l.values.length, ...direction(l.values) })).sort((a, b) => b.s - a.s)[0];
  out.push(worst === undefined
    ? { name: `child RSS within ±${pct(i.tolerance)} between restarts`, measured: 'not measured (no child lived long enough)', met: false }
    : { name: `child RSS within ±${pct(i.tolerance)} between restarts`, measured: `worst ±${pct(worst.s)} (pid ${worst.pid}, ${worst.n} samples, rising at most +${pct(worst.up)} and falling at most −${pct(worst.down)} from its median; ${lives.length} children)`, met: worst.s <= i.tolerance });
  const kills = i.faults.filter((f) => f.kind === 'kill');
  const unrecovered = kills.filter((f) => !Number.isFinite(f.recoveredMs)).length;
  out.push({ name: 'every SIGKILLed child replaced', measured: `${kills.length - unrecovered} of ${kills.length}`, met: unrecovered === 0 && kills.length > 0 });
  const stop = i.faults.find((f) => f.kind === 'stop');
  out.push(stop === undefined
    ? { name: 'SIGSTOPped child detected and replaced', measured: 'not injected', met: false }
    : {
      name: `SIGSTOPped child killed by the supervisor within ${i.hangLimitMs} ms, and replaced`,
      measured: `${Number.isFinite(stop.detectedMs) ? `killed after ${stop.detectedMs} ms` : 'STILL ALIVE'}; new child ready ${Number.isFinite(stop.recoveredMs) ? `after ${stop.recoveredMs} ms` : 'never'}`,
      met: (stop.detectedMs ?? NaN) <= i.hangLimitMs && Number.isFinite(stop.recoveredMs),
    });
  return out;
}
