// Resident set size of a process from /proc (Linux), and the flatness checks of the soak targets.
import { readFileSync } from 'node:fs';

/** RSS of `pid` in bytes, or undefined when the process is gone (or /proc has no such entry). */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One RSS measurement. */
export interface RssSample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly supervisor: number | undefined;
  readonly childPid: number | undefined;
  readonly child: number | undefined;
}

/** Median of a non-empty list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** How far (a fraction) the values stray from their median at most; 0 for fewer than two values. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return Math.max(...values.map((v) => Math.abs(v - m) / m));
}

/**
 * Supervisor RSS after `warmupS` seconds as the median of each `bucketS` stretch: a garbage-collected
 * heap moves up and down by more than 10% from one sample to the next, while a leak moves the
 * medians. Returns the medians and how many raw samples they summarise.
 */
export function supervisorAfterWarmup(samples: readonly RssSample[], warmupS: number, bucketS = 60): { medians: number[]; samples: number } {
  const buckets = new Map<number, number[]>();
  let n = 0;
  for (const s of samples) {
    if (s.t < warmupS || s.supervisor === undefined) continue;
    const b = Math.floor((s.t - warmupS) / bucketS);
    buckets.set(b, [...(buckets.get(b) ?? []), s.supervisor]);
    n += 1;
  }
  return { medians: [...buckets.keys()].sort((a, b) => a - b).map((b) => median(buckets.get(b)!)), samples: n };
}

/**
 * Child RSS per child lifetime (one list per pid, in order), leaving out each child's first
 * `settleS` seconds (start, model reload and the first inferences).
 */
export function childLifetimes(samples: readonly RssSample[], settleS: number): Array<{ pid: number; values: number[] }> {
  const out: Array<{ pid: number; first: number; values: number[] }> = [];
  for (const s of samples) {
    if (s.childPid === undefined || s.child === undefined) continue;
    let life = out.find((l) => l.pid === s.childPid);
    if (!life) out.push(life = { pid: s.childPid, first: s.t, values: [] });
    if (s.t - life.first >= settleS) life.values.push(s.child);
  }
  return out.map(({ pid, values }) => ({ pid, values }));
}
