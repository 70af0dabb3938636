// The concurrency-mode scheduler (Triton perf_analyzer's --concurrency-range): `concurrency` workers
// each keep one call in flight, starting the next as soon as the last one ends, while time is cut into
// windows of `windowMs`. After each window the last `stableCount` windows are checked for stability;
// measurement stops when they are stable or after `maxWindows`. Calls still in flight then are awaited
// but not counted; a warm-up before the first window is not counted either.
import { isStable, type WindowStats } from './stability.js';
import type { Caller, Sample } from './types.js';

/** How one level is measured. */
export interface LevelPlan {
  readonly concurrency: number;
  readonly windowMs: number;
  /** Stop after this many windows even when not stable. */
  readonly maxWindows: number;
  /** Stability tolerance as a fraction (0.1 = ±10%). */
  readonly tolerance: number;
  /** Windows that must agree (perf_analyzer uses 3). */
  readonly stableCount?: number;
  /** Time before the first window, not counted. */
  readonly warmupMs?: number;
  /**
   * A worker whose call was refused with retry advice waits as advised, at most this long (0, the
   * default: it calls again at once). Resending at once would flood the connection with requests
   * that are refused again and slow down the admitted ones.
   */
  readonly retryAfterCapMs?: number;
}

/** What a level measured: every window, and the samples of the windows that count (the last `stableCount`). */
export interface LevelRun {
  readonly windows: readonly WindowStats[];
  readonly counted: readonly Sample[];
  /** Seconds the counted windows cover. */
  readonly countedSeconds: number;
  readonly stable: boolean;
  /** Most calls that were in flight at once (equals the concurrency unless calls were too short to overlap). */
  readonly maxInFlight: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Statistics of the samples that ended in [from, to). */
export function windowStats(samples: readonly Sample[], from: number, to: number): WindowStats {
  const inWindow = samples.filter((s) => s.endMs >= from && s.endMs < to);
  const ok = inWindow.filter((s) => s.ok);
  const meanLatencyMs = ok.length === 0 ? NaN : ok.reduce((a, s) => a + s.endMs - s.startMs, 0) / ok.length;
  return { throughput: ok.length / ((to - from) / 1000), meanLatencyMs, calls: inWindow.length };
}

/** Measures one concurrency level of `call`. */
export async function runLevel(call: Caller, plan: LevelPlan): Promise<LevelRun> {
  if (!(plan.concurrency >= 1) || !(plan.windowMs > 0) || !(plan.maxWindows >= 1)) throw new RangeError('concurrency, windowMs and maxWindows must be positive');
  const stableCount = Math.min(plan.stableCount ?? 3, plan.maxWindows);
  const samples: Sample[] = [];
  let running = true;
  let inFlight = 0;
  let maxInFlight = 0;
  const worker = async (w: number): Promise<void> => {
    while (running) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const t0 = performance.now();
      const s = await call(w).catch((err: unknown): Sample =>
        ({ startMs: t0, endMs: performance.now(), ok: false, code: 'CLIENT_ERROR', message: String((err as Error).message ?? err) }));
      inFlight -= 1;
      samples.push(s);
      // A call that fails at once must not starve the timers that end the windows.
      if (!s.ok) await new Promise<void>((r) => setImmediate(r));
      const wait = Math.min(s.retryAfterMs ?? 0, plan.retryAfterCapMs ?? 0);
      if (!s.ok && wait > 0 && running) await sleep(wait);
    }
  };
  const workers = Array.from({ length: plan.concurrency }, (_, w) => worker(w));
  const windows: WindowStats[] = [];
  const bounds: number[] = [];
  try {
    await sleep(plan.warmupMs ?? 0);
    let start = performance.now();
    bounds.push(start);
    while (windows.length < plan.maxWindows) {
      await sleep(start + plan.windowMs - performance.now());
      const end = performance.now();
      windows.push(windowStats(samples, start, end));
      bounds.push(end);
      start = end;
      if (isStable(windows, plan.tolerance, stableCount)) break;
    }
  } finally {
    running = false;
    await Promise.all(workers);
  }
  const from = bounds[bounds.length - 1 - stableCount]!;
  const to = bounds[bounds.length - 1]!;
  return {
    windows,
    counted: samples.filter((s) => s.endMs >= from && s.endMs < to),
    countedSeconds: (to - from) / 1000,
    stable: isStable(windows, plan.tolerance, stableCount),
    maxInFlight,
  };
}
