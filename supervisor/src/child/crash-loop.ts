// Crash-loop detection: N failures within a sliding window of M milliseconds.

/** Counts failures inside a sliding window. */
export class CrashLoopDetector {
  readonly #times: number[] = [];
  readonly #max: number;
  readonly #windowMs: number;

  constructor(maxFailures: number, windowMs: number) {
    this.#max = maxFailures;
    this.#windowMs = windowMs;
  }

  /** Records a failure at `now`; returns true when the limit is reached. */
  record(now: number): boolean {
    this.#times.push(now);
    while (this.#times.length > 0 && (this.#times[0] ?? now) <= now - this.#windowMs) this.#times.shift();
    return this.#times.length >= this.#max;
  }

  /** Failures currently inside the window. */
  count(now: number): number {
    return this.#times.filter((t) => t > now - this.#windowMs).length;
  }

  /** Forgets every failure (after a manual retry). */
  reset(): void {
    this.#times.length = 0;
  }
}
