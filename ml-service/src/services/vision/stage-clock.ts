// Per-call stage timing for the Vision service: wraps onnxruntime sessions so every run() is
// timed, and turns the run times plus the call's own marks into the proto Timing message.
import type * as ort from 'onnxruntime-node';
import type { Timing } from '@tabagent/protos/v1/common';

/**
 * Collects the inference runs of one call. Time before the first run and between runs counts as
 * pre-processing (crops, warps), time after the last run as post-processing.
 */
export class RunClock {
  #start = 0;
  #firstRun = -1;
  #lastEnd = -1;
  #inference = 0;
  #running = 0;
  #since = 0;

  /** Starts a new call. */
  reset(now = performance.now()): void {
    this.#start = now;
    this.#firstRun = -1;
    this.#lastEnd = -1;
    this.#inference = 0;
  }

  /** Records one run. */
  record(start: number, end: number): void {
    if (this.#firstRun < 0) this.#firstRun = start;
    this.#lastEnd = end;
    this.#inference += end - start;
  }

  /**
   * A run starts / ends. Runs that overlap (holistic's face and hands on worker threads) form one busy
   * period, recorded once from the first start to the last end, so inference never exceeds wall time.
   */
  runStarted(now = performance.now()): void {
    if (this.#running++ === 0) this.#since = now;
  }

  runEnded(now = performance.now()): void {
    if (--this.#running === 0) this.record(this.#since, now);
  }

  /** Splits the pipeline time [reset, end] into stages. */
  split(end = performance.now()): { preprocessMs: number; inferenceMs: number; postprocessMs: number } {
    if (this.#firstRun < 0) return { preprocessMs: end - this.#start, inferenceMs: 0, postprocessMs: 0 };
    const total = end - this.#start;
    const postprocessMs = Math.max(0, end - this.#lastEnd);
    return { preprocessMs: Math.max(0, total - this.#inference - postprocessMs), inferenceMs: this.#inference, postprocessMs };
  }
}

/**
 * A view of `session` whose run() reports to `clock`. Everything else (names, metadata, release)
 * goes to the session itself, so pipelines cannot tell the difference.
 */
export function timedSession(session: ort.InferenceSession, clock: RunClock): ort.InferenceSession {
  const run = async (...args: Parameters<ort.InferenceSession['run']>): Promise<ort.InferenceSession.ReturnType> => {
    clock.runStarted();
    try {
      return await (session.run as (...a: typeof args) => Promise<ort.InferenceSession.ReturnType>)(...args);
    } finally {
      clock.runEnded();
    }
  };
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'run') return run;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Timing of one request: decode time, the pipeline's split and the wall time since `arrived`. */
export function timingOf(arrived: number, decodeMs: number, clock: RunClock, end = performance.now()): Timing {
  const s = clock.split(end);
  return {
    decodeMs: round(decodeMs),
    preprocessMs: round(s.preprocessMs),
    inferenceMs: round(s.inferenceMs),
    postprocessMs: round(s.postprocessMs),
    totalMs: round(end - arrived),
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
