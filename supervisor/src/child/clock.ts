// Time as an injectable dependency, so lifecycle tests run on a fake clock.

/** Timers the lifecycle uses; each returns a cancel function. */
export interface Clock {
  now(): number;
  after(ms: number, fn: () => void): () => void;
  every(ms: number, fn: () => void): () => void;
}

/** The real clock (timers do not keep the process alive). */
export const realClock: Clock = Object.freeze({
  now: () => Date.now(),
  after: (ms: number, fn: () => void) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  every: (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
});
